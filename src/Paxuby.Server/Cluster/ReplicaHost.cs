using Paxuby.Cache;
using Paxuby.Consensus;

namespace Paxuby.Server.Cluster;

/// <summary>
/// One replica as the node loop drives it: the consensus core, what it has made durable, and the
/// cache it applies decided commands to (through the exactly-once table).
/// </summary>
internal sealed class ReplicaHost
{
    public ReplicaHost(ReplicaOptions options, int seed)
    {
        Options = options;
        Core = new Replica(options, Durable.Clone(), new Random(seed));
        Applier = new ExactlyOnceApplier(Cache);
    }

    public ReplicaOptions Options { get; }

    public int Id => Options.ReplicaId;

    public Replica Core { get; }

    /// <summary>What this replica has made durable (in memory until the write-ahead log lands).</summary>
    public DurableState Durable { get; } = new();

    public CacheStateMachine Cache { get; } = new();

    public ExactlyOnceApplier Applier { get; }

    /// <summary>Cut off from every other replica (tests of partitions and failover).</summary>
    public bool Isolated { get; set; }
}
