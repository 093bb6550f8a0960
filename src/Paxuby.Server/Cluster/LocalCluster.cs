using Microsoft.Extensions.Logging;
using Paxuby.Consensus;
using Paxuby.Server.Engine;

namespace Paxuby.Server.Cluster;

/// <summary>
/// All replicas of a cluster in one process, each a <see cref="ReplicaNode"/> with its own loop,
/// log and cache, joined by in-memory links that can be cut (tests of partitions and failover).
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private readonly ReplicaNode[] _nodes;
    private readonly InMemoryPeerHub _hub;

    public LocalCluster(int replicaCount, ClusterOptions options, TimeProvider time, ILogger logger)
    {
        int[] ids = Enumerable.Range(0, replicaCount).ToArray();
        _nodes = ids.Select(id => new ReplicaNode(
            new ReplicaHost(options.ReplicaOptionsFor(id, ids), options.Seed * 31 + id,
                options.DataDirectory is null ? null : Path.Combine(options.DataDirectory, $"node-{id}"), options.Fsync, options.SnapshotLogBytes),
            options, time, logger)).ToArray();
        _hub = new InMemoryPeerHub(_nodes);
        foreach (ReplicaNode node in _nodes) node.Start(_hub);
    }

    public int ReplicaCount => _nodes.Length;

    /// <summary>The engine through which replica <paramref name="node"/>'s clients reach the cluster.</summary>
    public ICommandEngine EngineFor(int node) => new ReplicaNodeEngine(_nodes[node]);

    /// <summary>The replica that leads and is reachable, or -1 while there is none.</summary>
    public int LeaderId => _nodes.FirstOrDefault(n => !_hub.IsIsolated(n.Id) && n.IsLeader)?.Id ?? -1;

    /// <summary>Cuts replica <paramref name="node"/> off from the others, or heals it.</summary>
    public void SetIsolated(int node, bool isolated) => _hub.SetIsolated(node, isolated);

    /// <summary>
    /// The cache state of every replica that is not isolated, taken once all of them have applied
    /// the same slot, at least the highest decided when called: equal bytes mean equal caches.
    /// </summary>
    public async Task<byte[][]> SnapshotsWhenCaughtUpAsync()
    {
        ReplicaNode[] reachable = _nodes.Where(n => !_hub.IsIsolated(n.Id)).ToArray();
        long target = reachable.Max(n => n.CommitIndex);
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(5));
        while (true)
        {
            var snapshots = reachable.Select(n => n.SnapshotNow()).ToArray();
            if (snapshots.All(s => s.Slot >= target && s.Slot == snapshots[0].Slot)) return snapshots.Select(s => s.State).ToArray();
            await poll.WaitForNextTickAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (ReplicaNode node in _nodes) await node.DisposeAsync();
    }
}
