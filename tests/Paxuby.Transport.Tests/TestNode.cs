using System.Net;

namespace Paxuby.Transport.Tests;

/// <summary>One PeerNetwork with its recording handler and logger, on 127.0.0.1.</summary>
internal sealed class TestNode : IAsyncDisposable
{
    private TestNode(int id, PeerNetwork network, RecordingHandler handler, TestLogger logger)
    {
        Id = id;
        Network = network;
        Handler = handler;
        Logger = logger;
    }

    public int Id { get; }

    public PeerNetwork Network { get; }

    public RecordingHandler Handler { get; }

    public TestLogger Logger { get; }

    public IPEndPoint EndPoint => (IPEndPoint)Network.LocalEndPoint!;

    public static async Task<TestNode> BindAsync(int id, Func<PeerNetworkOptions, PeerNetworkOptions>? configure = null, int port = 0)
    {
        var options = new PeerNetworkOptions
        {
            SelfId = id,
            ListenEndPoint = new IPEndPoint(IPAddress.Loopback, port),
            ClusterId = "test-cluster",
            ReconnectMin = TimeSpan.FromMilliseconds(20),
            ReconnectMax = TimeSpan.FromMilliseconds(200),
        };
        options = configure?.Invoke(options) ?? options;
        var handler = new RecordingHandler();
        var logger = new TestLogger($"node{id}");
        var network = new PeerNetwork(options, handler, logger);
        await network.BindAsync();
        return new TestNode(id, network, handler, logger);
    }

    /// <summary>Binds every node on a free port, then starts each with the others as its peers.</summary>
    public static async Task<TestNode[]> StartClusterAsync(int count, Func<PeerNetworkOptions, PeerNetworkOptions>? configure = null)
    {
        var nodes = new TestNode[count];
        for (var i = 0; i < count; i++)
        {
            nodes[i] = await BindAsync(i + 1, configure);
        }
        foreach (var node in nodes)
        {
            await node.Network.StartAsync(PeersOf(node.Id, nodes));
        }
        return nodes;
    }

    public static Dictionary<int, EndPoint> PeersOf(int id, IEnumerable<TestNode> nodes) =>
        nodes.Where(n => n.Id != id).ToDictionary(n => n.Id, n => (EndPoint)n.EndPoint);

    public Task WaitUpAsync(params int[] peers) =>
        Handler.WaitUntilAsync(() => peers.All(Handler.IsUp), $"node {Id} to see peers {string.Join(",", peers)} up");

    public Task WaitDownAsync(int peer) =>
        Handler.WaitUntilAsync(() => !Handler.IsUp(peer) && Handler.WasEverUp(peer), $"node {Id} to see peer {peer} down");

    public ValueTask DisposeAsync() => Network.DisposeAsync();

    public static async Task DisposeAllAsync(IEnumerable<TestNode?> nodes)
    {
        foreach (var node in nodes)
        {
            if (node is not null)
            {
                await node.DisposeAsync();
            }
        }
    }
}
