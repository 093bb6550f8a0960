using BenchmarkDotNet.Attributes;
using Paxuby.Cache;
using Paxuby.Consensus;
using Paxuby.Resp;

namespace Paxuby.Bench;

/// <summary>
/// The consensus commit pipeline in one process: three pure <see cref="Replica"/> cores driven by
/// <see cref="InMemoryReplicaGroup"/> (no threads, timers, sockets or disk; persist is
/// <see cref="DurableState.Apply"/>), each applying to an <see cref="ExactlyOnceApplier"/> over a
/// <see cref="CacheStateMachine"/>. What is measured is the CPU and allocation cost of Propose →
/// Accept → Accepted → decide → apply on all three replicas (the followers apply a slot when the next
/// Accept tells them it is decided), and of a leader-lease read. SETs overwrite 100,000 keys loaded in
/// setup with 100-byte values, from 1,024 clients with ever-increasing sequences; the log is compacted
/// every 4,096 slots, as a node does after a snapshot, so memory stays flat.
/// </summary>
[MemoryDiagnoser]
public class CommitPipelineBenchmarks
{
    private const int KeyCount = 100_000;
    private const int ClientCount = 1024;
    private const int BatchSize = 64;

    private InMemoryReplicaGroup _group = null!;
    private Replica _leader = null!;
    private ExactlyOnceApplier _leaderApplier = null!;
    private byte[][] _sets = [];
    private byte[][] _gets = [];
    private int _next;
    private long _sequence;
    private long _readId;
    private long _timestampMs = 1_800_000_000_000;

    [GlobalSetup]
    public void Setup()
    {
        var commands = new EncodedCommands(KeyCount);
        _sets = commands.Sets;
        _gets = commands.Gets;

        _group = new InMemoryReplicaGroup(count: 3) { ReadCommands = _gets, NowMs = _timestampMs };
        _leader = _group.ElectLeader();
        _leaderApplier = _group.LeaderApplier;

        // Load every key through the pipeline, so the measured SETs overwrite (steady state).
        for (int loaded = 0; loaded < KeyCount;)
        {
            for (int n = 0; n < 4096 && loaded < KeyCount; n++, loaded++) Propose();
            _group.RunUntilQuiet();
        }
        _group.CompactIfDue(everySlots: 1);

        // Sanity: a commit applies on the leader, a lease read sees a loaded value.
        long before = _leaderApplier.AppliedSlot;
        CommitOneSet();
        if (_leaderApplier.AppliedSlot != before + 1) throw new InvalidOperationException("a commit was not applied on the leader");
        LeaseReadGet();
        if (_group.ReadsServed != 1 || _group.LastReadReplyBytes < 100) throw new InvalidOperationException("the lease read was not served");
        if (_leaderApplier.ClientCount != ClientCount) throw new InvalidOperationException("unexpected client table size");
    }

    /// <summary>One SET: proposed at the leader, decided by a majority, applied on the leader.</summary>
    [Benchmark]
    public long CommitOneSet()
    {
        Propose();
        _group.RunUntilQuiet();
        _group.CompactIfDue();
        return _leaderApplier.AppliedSlot;
    }

    /// <summary>64 SETs queued, then one pipeline run: they go out as one batch in one slot.</summary>
    [Benchmark(OperationsPerInvoke = BatchSize)]
    public long CommitBatchOf64Sets()
    {
        for (int i = 0; i < BatchSize; i++) Propose();
        _group.RunUntilQuiet();
        _group.CompactIfDue();
        return _leaderApplier.AppliedSlot;
    }

    /// <summary>A GET served by the leader under its lease: Read, the Ready that lists it, the applier's Read.</summary>
    [Benchmark]
    public int LeaseReadGet()
    {
        if (_leader.Read(++_readId) != ReadStatus.Pending) throw new InvalidOperationException("the leader refused a read");
        _group.RunUntilQuiet();
        return _group.LastReadReplyBytes;
    }

    private void Propose()
    {
        long sequence = ++_sequence;
        var command = new Command(1 + sequence % ClientCount, sequence, ++_timestampMs, _sets[_next++ % KeyCount]);
        if (_leader.Propose(command) != ProposeStatus.Accepted) throw new InvalidOperationException("the leader refused a proposal");
    }
}
