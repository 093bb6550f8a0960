using System.Buffers;
using Paxuby.Cache;
using Paxuby.Consensus;

namespace Paxuby.Bench;

/// <summary>
/// A deterministic in-process driver for a few pure <see cref="Replica"/> cores: no threads, no
/// timers, no disk. Messages are handed straight to the addressee's <see cref="Replica.Step"/>,
/// "persist" is <see cref="DurableState.Apply"/> and each replica applies decided slots to its own
/// <see cref="ExactlyOnceApplier"/> over a <see cref="CacheStateMachine"/>. Time moves only in
/// <see cref="ElectLeader"/>; after it the clock stands still, so the leader's leases never run out
/// and nothing is resent. The driver itself allocates nothing per Ready (lists are indexed, never
/// enumerated through an interface), so what a benchmark measures is the pipeline's.
/// </summary>
internal sealed class InMemoryReplicaGroup
{
    private readonly Replica[] _replicas;
    private readonly DurableState[] _durable;
    private readonly ExactlyOnceApplier[] _appliers;
    private readonly List<AppliedCommand> _applied = new(256);
    private readonly List<ReadState>[] _waitingReads;
    private readonly ArrayBufferWriter<byte> _readReply = new(4096);
    private long _compactedThrough;

    public InMemoryReplicaGroup(int count = 3, int seed = 1)
    {
        int[] ids = Enumerable.Range(0, count).ToArray();
        _replicas = new Replica[count];
        _durable = new DurableState[count];
        _appliers = new ExactlyOnceApplier[count];
        _waitingReads = new List<ReadState>[count];
        for (int i = 0; i < count; i++)
        {
            _durable[i] = new DurableState();
            _waitingReads[i] = new List<ReadState>(64);
            _appliers[i] = new ExactlyOnceApplier(new CacheStateMachine());
            _replicas[i] = new Replica(new ReplicaOptions { ReplicaId = i, ReplicaIds = ids }, _durable[i], new Random(seed + i));
        }
    }

    public IReadOnlyList<Replica> Replicas => _replicas;

    public Replica Leader { get; private set; } = null!;

    public ExactlyOnceApplier LeaderApplier { get; private set; } = null!;

    /// <summary>Read commands (encoded GETs) served for read id n: <c>ReadCommands[n % Length]</c>.</summary>
    public byte[][] ReadCommands { get; set; } = [];

    /// <summary>The driver's clock for reads (the applier never reads behind its applied clock).</summary>
    public long NowMs { get; set; }

    public long ReadsServed { get; private set; }

    /// <summary>Bytes of the last read's reply.</summary>
    public int LastReadReplyBytes { get; private set; }

    public ExactlyOnceApplier ApplierOf(int replica) => _appliers[replica];

    /// <summary>Ticks every replica and runs the pipeline until one is leader and able to serve local reads.</summary>
    public Replica ElectLeader(int maxTicks = 10_000)
    {
        for (int tick = 0; tick < maxTicks; tick++)
        {
            foreach (Replica replica in _replicas) replica.Tick();
            RunUntilQuiet();
            foreach (Replica replica in _replicas)
            {
                if (replica.Role == Role.Leader && replica.CanServeLocalReads)
                {
                    Leader = replica;
                    LeaderApplier = _appliers[replica.Id];
                    return replica;
                }
            }
        }
        throw new InvalidOperationException($"no leader with a read lease after {maxTicks} ticks");
    }

    /// <summary>
    /// The Ready cycle on every replica until none has anything to do: GetReady, deliver
    /// EagerMessages, persist, deliver Messages, apply Decided, serve Reads, Advance.
    /// </summary>
    public void RunUntilQuiet()
    {
        bool any;
        do
        {
            any = false;
            for (int i = 0; i < _replicas.Length; i++)
            {
                Replica replica = _replicas[i];
                if (!replica.HasReady) continue;
                any = true;
                Ready ready = replica.GetReady();
                Deliver(ready.EagerMessages);
                if (!ready.Persist.IsEmpty) _durable[i].Apply(ready.Persist);
                Deliver(ready.Messages);
                IReadOnlyList<DecidedSlot> decided = ready.Decided;
                for (int d = 0; d < decided.Count; d++)
                {
                    _applied.Clear();
                    _appliers[i].Apply(decided[d], _applied);
                }
                IReadOnlyList<ReadState> reads = ready.Reads;
                List<ReadState> waiting = _waitingReads[i];
                for (int r = 0; r < reads.Count; r++) waiting.Add(reads[r]);
                if (waiting.Count > 0) ServeReads(_appliers[i], waiting);
                if (ready.FailedReads.Count > 0 || ready.SnapshotsToSend.Count > 0 || ready.DroppedProposals.Count > 0)
                {
                    throw new InvalidOperationException("the benchmark cluster lost its leader or fell behind a compaction");
                }
                replica.Advance(ready);
            }
        }
        while (any);
    }

    /// <summary>
    /// Drops the log below the slot every replica has applied, once that is <paramref name="everySlots"/>
    /// past the last compaction, as a driver does after a durable snapshot (none is taken: nothing here
    /// restarts). Keeps memory flat over millions of commits; amortised, it costs a few ns per slot.
    /// </summary>
    public void CompactIfDue(long everySlots = 4096)
    {
        long floor = long.MaxValue;
        foreach (Replica replica in _replicas) floor = Math.Min(floor, replica.AppliedIndex);
        if (floor - _compactedThrough < everySlots) return;
        for (int i = 0; i < _replicas.Length; i++)
        {
            _replicas[i].Compact(floor);
            _durable[i] = CompactedCopy(_durable[i], floor);
        }
        _compactedThrough = floor;
    }

    /// <summary>
    /// The same state as <see cref="DurableState.CompactThrough"/> leaves, built afresh: CompactThrough
    /// removes entries one by one through <c>Keys.First()</c>, whose enumerator allocations would
    /// otherwise be charged to every commit. The replica never reads this state back (no restarts).
    /// </summary>
    private static DurableState CompactedCopy(DurableState durable, long floor)
    {
        var copy = new DurableState { PromisedBallot = durable.PromisedBallot, CommitIndex = durable.CommitIndex };
        copy.CompactThrough(floor);
        foreach (KeyValuePair<long, LogEntry> entry in durable.Entries)
        {
            if (entry.Key > floor) copy.Entries[entry.Key] = entry.Value;
        }
        return copy;
    }

    private void Deliver(IReadOnlyList<Message> messages)
    {
        for (int m = 0; m < messages.Count; m++)
        {
            Message message = messages[m];
            _replicas[message.To].Step(message);
        }
    }

    /// <summary>Serves the reads whose slot the replica has applied; the rest keep waiting.</summary>
    private void ServeReads(ExactlyOnceApplier applier, List<ReadState> waiting)
    {
        int kept = 0;
        for (int r = 0; r < waiting.Count; r++)
        {
            ReadState read = waiting[r];
            if (read.Slot > applier.AppliedSlot)
            {
                waiting[kept++] = read;
                continue;
            }
            _readReply.ResetWrittenCount();
            applier.Read(NowMs, ReadCommands[(int)(read.ReadId % ReadCommands.Length)], _readReply);
            LastReadReplyBytes = _readReply.WrittenCount;
            ReadsServed++;
        }
        waiting.RemoveRange(kept, waiting.Count - kept);
    }
}
