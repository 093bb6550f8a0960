using System.Net;
using Microsoft.Extensions.Logging;
using Paxuby.Server.Configuration;
using Paxuby.Server.Engine;

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

    private PaxubyServer()
    {
    }

    public IReadOnlyList<NodeContext> Nodes { get; private set; } = [];

    public IReadOnlyList<IPEndPoint> ClientEndpoints => _listeners.Select(l => l.LocalEndpoint).ToList();

    /// <summary>Starts the replicas numbered in <paramref name="nodeIds"/>.</summary>
    public static PaxubyServer Start(ClusterConfig config, IReadOnlyList<int> nodeIds, ILoggerFactory loggers, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        var server = new PaxubyServer();
        var engine = new SingleNodeEngine(time, TimeSpan.FromMilliseconds(config.ExpireSweepIntervalMs));
        server._engines.Add(engine);
        var nodes = new List<NodeContext>();
        try
        {
            foreach (int id in nodeIds)
            {
                IPEndPoint endpoint = config.Endpoints[id];
                var node = new NodeContext(id, endpoint, config, engine, time, loggers.CreateLogger($"node{id}"));
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
    }
}
