using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Paxuby.Consensus;
using Paxuby.Server.Configuration;
using Paxuby.Server.Engine;
using Paxuby.Transport;

namespace Paxuby.Server.Cluster;

/// <summary>
/// One replica of config.yaml in this process, replicating with the others over TCP: its node
/// loop, log and cache, and its links to the peers (listening on its own peer address).
/// </summary>
public sealed class NetworkReplica : IAsyncDisposable
{
    private readonly ReplicaNode _node;
    private readonly PeerNetwork _network;

    private readonly NetworkPeerChannel _channel;
    private readonly int[] _peers;

    private NetworkReplica(ReplicaNode node, PeerNetwork network, NetworkPeerChannel channel, int[] peers)
    {
        _node = node;
        _network = network;
        _channel = channel;
        _peers = peers;
    }

    /// <summary>PUBLISH here reaches the other replicas' subscribers, and theirs reach this process's.</summary>
    public void RelayPubSub(PubSub.PubSubHub hub) => _channel.AttachPubSub(hub, _peers);

    public static async Task<NetworkReplica> StartAsync(ClusterConfig config, int id, ClusterOptions options, TimeProvider time, ILoggerFactory loggers)
    {
        int[] ids = Enumerable.Range(0, config.Addrs.Count).ToArray();
        ILogger logger = loggers.CreateLogger("paxos");
        var host = new ReplicaHost(options.ReplicaOptionsFor(id, ids), options.Seed * 31 + id,
            Path.Combine(config.DataDir, $"node-{id}"), options.Fsync, options.SnapshotLogBytes);
        var node = new ReplicaNode(host, options, time, logger);
        var channel = new NetworkPeerChannel(id, logger);
        IReadOnlyList<IPEndPoint> peerEndpoints = config.PeerEndpoints;
        var network = new PeerNetwork(new PeerNetworkOptions
        {
            SelfId = id,
            Peers = ids.Where(i => i != id).ToDictionary(i => i, EndPoint (i) => peerEndpoints[i]),
            ListenEndPoint = peerEndpoints[id],
            ClusterId = config.ClusterId,
            Secret = config.ClusterSecret is null ? null : Encoding.UTF8.GetBytes(config.ClusterSecret),
        }, channel, loggers.CreateLogger("peers"));
        channel.Attach(network, node);
        try
        {
            await network.StartAsync();
        }
        catch
        {
            await network.DisposeAsync();
            await node.DisposeAsync();
            throw;
        }
        node.Start(channel);
        return new NetworkReplica(node, network, channel, ids.Where(i => i != id).ToArray());
    }

    public ICommandEngine Engine => new ReplicaNodeEngine(_node);

    public async ValueTask DisposeAsync()
    {
        await _network.DisposeAsync();
        await _node.DisposeAsync();
    }
}
