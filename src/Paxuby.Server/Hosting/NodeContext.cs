using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;
using Paxuby.Resp;
using Paxuby.Server.Configuration;
using Paxuby.Server.Engine;
using Paxuby.Server.PubSub;
using Paxuby.Server.Sessions;

namespace Paxuby.Server.Hosting;

/// <summary>What every client session of one replica shares.</summary>
public sealed class NodeContext
{
    private long _nextClientId;
    private RespLimits _limits = RespLimits.Default;

    public NodeContext(int nodeId, IPEndPoint endpoint, ClusterConfig config, ICommandEngine engine, TimeProvider time, ILogger logger)
    {
        NodeId = nodeId;
        Endpoint = endpoint;
        Config = config;
        Engine = engine;
        Time = time;
        Logger = logger;
        Settings = new RuntimeSettings(config, endpoint);
        StartedAt = time.GetUtcNow();
        Limits = new RespLimits { MaxBulkBytes = config.ProtoMaxBulkLen };
    }

    public int NodeId { get; }

    /// <summary>The client address; the bound one once listening (a configured port 0 becomes the actual port).</summary>
    public IPEndPoint Endpoint { get; internal set; }

    public ClusterConfig Config { get; }

    public ICommandEngine Engine { get; }

    public TimeProvider Time { get; }

    public ILogger Logger { get; }

    public RuntimeSettings Settings { get; }

    public RespLimits Limits
    {
        get => _limits;
        set
        {
            _limits = value;
            UnauthenticatedLimits = new RespLimits { MaxBulkBytes = value.MaxBulkBytes, AuthenticationRequired = true };
        }
    }

    /// <summary>Redis's tighter limits for a connection that has not yet authenticated on a server with requirepass.</summary>
    public RespLimits UnauthenticatedLimits { get; private set; } = RespLimits.Default;

    public DateTimeOffset StartedAt { get; }

    /// <summary>Subscriptions; replicas of one process share one hub, so a message reaches every port's subscribers.</summary>
    public PubSubHub PubSub { get; init; } = new();

    public ConcurrentDictionary<long, ClientSession> Clients { get; } = new();

    public NodeStats Stats { get; } = new();

    /// <summary>Unique within this replica's lifetime, like Redis's client ids.</summary>
    public long NextClientId() => Interlocked.Increment(ref _nextClientId);

    public long NowMs => Time.GetUtcNow().ToUnixTimeMilliseconds();
}

/// <summary>Counters for INFO stats; updated without locks.</summary>
public sealed class NodeStats
{
    public long ConnectionsReceived;
    public long CommandsProcessed;
    public long RejectedConnections;
    public long NetInputBytes;
    public long NetOutputBytes;
}
