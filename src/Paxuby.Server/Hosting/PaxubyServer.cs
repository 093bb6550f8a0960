using System.Net;
using Microsoft.Extensions.Logging;
using Paxuby.Server.Cluster;
using Paxuby.Server.Configuration;
using Paxuby.Server.Engine;
using Paxuby.Server.PubSub;

namespace Paxuby.Server.Hosting;

/// <summary>
/// The replicas of config.yaml that this process runs, each listening on its own client port.
/// Replicas started together in one process share one engine, so every port serves the same
/// linearizable cache.
/// </summary>
public sealed class PaxubyServer : IAsyncDisposable
{
    private readonly List<ClientListener> _listeners = [];
    private readonly List<IDisposable> _engines = [];
    private LocalCluster? _cluster;
    private readonly List<NetworkReplica> _replicas = [];

    private PaxubyServer()
    {
    }

    public IReadOnlyList<NodeContext> Nodes { get; private set; } = [];

    public IReadOnlyList<IPEndPoint> ClientEndpoints => _listeners.Select(l => l.LocalEndpoint).ToList();

    /// <summary>The consensus cluster when every replica of several runs in this process; null otherwise.</summary>
    public LocalCluster? Cluster => _cluster;

    /// <summary>
    /// Starts the replicas numbered in <paramref name="nodeIds"/>. When they are all the replicas of
    /// a cluster of several, they run Multi-Paxos among themselves over in-memory links; when they
    /// are some of them, each links to the others over TCP on its peer address; a cluster of one
    /// serves alone.
    /// </summary>
    public static PaxubyServer Start(ClusterConfig config, IReadOnlyList<int> nodeIds, ILoggerFactory loggers, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        var server = new PaxubyServer();
        var options = new ClusterOptions
        {
            ExpireSweepInterval = TimeSpan.FromMilliseconds(config.ExpireSweepIntervalMs),
            CommandTimeout = TimeSpan.FromMilliseconds(config.CommandTimeoutMs),
            SnapshotLogBytes = config.SnapshotLogBytes,
            DataDirectory = config.DataDir,
            Fsync = config.FsyncPolicy,
        };
        SingleNodeEngine? single = null;
        var engines = new Dictionary<int, ICommandEngine>();
        if (config.Addrs.Count > 1 && nodeIds.Count == config.Addrs.Count)
        {
            server._cluster = new LocalCluster(config.Addrs.Count, options, time, loggers.CreateLogger("paxos"));
        }
        else if (config.Addrs.Count > 1)
        {
            try
            {
                foreach (int id in nodeIds)
                {
                    NetworkReplica replica = NetworkReplica.StartAsync(config, id, options, time, loggers).GetAwaiter().GetResult();
                    server._replicas.Add(replica);
                    engines[id] = replica.Engine;
                }
            }
            catch
            {
                server.DisposeAsync().AsTask().GetAwaiter().GetResult();
                throw;
            }
        }
        else
        {
            single = new SingleNodeEngine(time, TimeSpan.FromMilliseconds(config.ExpireSweepIntervalMs));
            server._engines.Add(single);
        }
        var pubSub = new PubSubHub();
        // One replica of several in this process: its peers' subscribers are elsewhere. (Several
        // replicas here share the hub; relaying from each would deliver twice.)
        if (server._replicas.Count == 1) server._replicas[0].RelayPubSub(pubSub);
        var nodes = new List<NodeContext>();
        try
        {
            foreach (int id in nodeIds)
            {
                IPEndPoint endpoint = config.Endpoints[id];
                ICommandEngine engine = server._cluster?.EngineFor(id) ?? engines.GetValueOrDefault(id) ?? single!;
                var node = new NodeContext(id, endpoint, config, engine, time, loggers.CreateLogger($"node{id}")) { PubSub = pubSub };
                var listener = new ClientListener(node);
                listener.Start();
                server._listeners.Add(listener);
                nodes.Add(node);
            }
        }
        catch
        {
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
        server.Nodes = nodes;
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (ClientListener listener in _listeners) await listener.DisposeAsync();
        foreach (IDisposable engine in _engines) engine.Dispose();
        if (_cluster is not null) await _cluster.DisposeAsync();
        foreach (NetworkReplica replica in _replicas) await replica.DisposeAsync();
    }
}
