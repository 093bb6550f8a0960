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

    private PaxubyServer()
    {
    }

    public IReadOnlyList<NodeContext> Nodes { get; private set; } = [];

    public IReadOnlyList<IPEndPoint> ClientEndpoints => _listeners.Select(l => l.LocalEndpoint).ToList();

    /// <summary>The consensus cluster when every replica of several runs in this process; null otherwise.</summary>
    public LocalCluster? Cluster => _cluster;

    /// <summary>
    /// Starts the replicas numbered in <paramref name="nodeIds"/>. When they are all the replicas of
    /// a cluster of several, they run Multi-Paxos among themselves; a lone replica serves alone.
    /// </summary>
    public static PaxubyServer Start(ClusterConfig config, IReadOnlyList<int> nodeIds, ILoggerFactory loggers, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        var server = new PaxubyServer();
        bool replicated = config.Addrs.Count > 1 && nodeIds.Count == config.Addrs.Count;
        SingleNodeEngine? single = null;
        if (replicated)
        {
            server._cluster = new LocalCluster(config.Addrs.Count,
                new ClusterOptions
                {
                    ExpireSweepInterval = TimeSpan.FromMilliseconds(config.ExpireSweepIntervalMs),
                    DataDirectory = config.DataDir,
                    Fsync = config.FsyncPolicy,
                },
                time, loggers.CreateLogger("paxos"));
        }
        else
        {
            single = new SingleNodeEngine(time, TimeSpan.FromMilliseconds(config.ExpireSweepIntervalMs));
            server._engines.Add(single);
        }
        var pubSub = new PubSubHub();
        var nodes = new List<NodeContext>();
        try
        {
            foreach (int id in nodeIds)
            {
                IPEndPoint endpoint = config.Endpoints[id];
                ICommandEngine engine = server._cluster?.EngineFor(id) ?? single!;
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
    }
}
