using Paxuby.Consensus;
using Paxuby.Consensus.Tests.Simulation;

namespace Paxuby.Consensus.Tests;

public sealed class ExactlyOnceApplierTests
{
    private static DecidedSlot Slot(long slot, long timestampMs, params Command[] commands) =>
        new(slot, new Batch(new BatchId(new Ballot(1, 0), slot), timestampMs, commands));

    private static Command Incr(long client, long seq) => new(client, seq, 0, KvStateMachine.EncodeIncr(0));

    [Fact]
    public void A_retried_command_is_applied_once_and_gets_the_first_reply()
    {
        var kv = new KvStateMachine();
        var applier = new ExactlyOnceApplier(kv);
        var results = new List<AppliedCommand>();

        applier.Apply(Slot(1, 10, Incr(7, 1)), results);
        applier.Apply(Slot(2, 10, Incr(7, 1), Incr(8, 1)), results);

        Assert.Equal([ApplyOutcome.Applied, ApplyOutcome.Duplicate, ApplyOutcome.Applied], results.Select(r => r.Outcome));
        Assert.Equal(results[0].Reply, results[1].Reply);
        Assert.Equal(2, kv.Peek(0));
    }

    [Fact]
    public void A_command_older_than_the_clients_last_is_stale_and_not_applied()
    {
        var kv = new KvStateMachine();
        var applier = new ExactlyOnceApplier(kv);
        var results = new List<AppliedCommand>();
        applier.Apply(Slot(1, 0, Incr(7, 2), Incr(7, 1)), results);
        Assert.Equal([ApplyOutcome.Applied, ApplyOutcome.Stale], results.Select(r => r.Outcome));
        Assert.Equal(1, kv.Peek(0));
    }

    [Fact]
    public void Slots_apply_in_order_only()
    {
        var applier = new ExactlyOnceApplier(new KvStateMachine());
        Assert.Throws<ConsensusInvariantException>(() => applier.Apply(Slot(2, 0)));
    }

    [Fact]
    public void The_clock_never_goes_back_even_when_a_batch_timestamp_does()
    {
        var applier = new ExactlyOnceApplier(new KvStateMachine());
        applier.Apply(Slot(1, 50));
        applier.Apply(Slot(2, 40));
        Assert.Equal(50, applier.LastTimestampMs);
    }

    [Fact]
    public void Snapshot_carries_the_client_table_so_a_restored_replica_still_drops_duplicates()
    {
        var applier = new ExactlyOnceApplier(new KvStateMachine());
        applier.Apply(Slot(1, 10, Incr(7, 1), Incr(3, 4)));
        using var stream = new MemoryStream();
        applier.Snapshot(stream);

        var kv = new KvStateMachine();
        var restored = new ExactlyOnceApplier(kv);
        stream.Position = 0;
        restored.Restore(stream);
        var results = new List<AppliedCommand>();
        restored.Apply(Slot(2, 5, Incr(7, 1)), results);

        Assert.Equal((1L, 10L, 2), (restored.AppliedSlot - 1, restored.LastTimestampMs, restored.ClientCount));
        Assert.Equal(ApplyOutcome.Duplicate, results[0].Outcome);
        Assert.Equal(2, kv.Peek(0));
    }

    [Fact]
    public void Client_table_is_bounded_and_forgets_the_least_recently_applied_client()
    {
        var kv = new KvStateMachine();
        var applier = new ExactlyOnceApplier(kv, maxClients: 2);
        applier.Apply(Slot(1, 0, Incr(1, 1), Incr(2, 1)));
        applier.Apply(Slot(2, 0, Incr(1, 2)));      // client 1 is now the most recent
        applier.Apply(Slot(3, 0, Incr(3, 1)));      // a third client: client 2 is forgotten
        var results = new List<AppliedCommand>();
        applier.Apply(Slot(4, 0, Incr(1, 2), Incr(2, 1)), results);

        Assert.Equal(2, applier.ClientCount);
        Assert.Equal([ApplyOutcome.Duplicate, ApplyOutcome.Applied], results.Select(r => r.Outcome));
    }

    [Fact]
    public void Restored_replica_forgets_the_same_clients_as_the_original()
    {
        var original = new ExactlyOnceApplier(new KvStateMachine(), maxClients: 3);
        original.Apply(Slot(1, 0, Incr(9, 1), Incr(4, 1), Incr(6, 1)));
        original.Apply(Slot(2, 0, Incr(9, 2)));
        using var stream = new MemoryStream();
        original.Snapshot(stream);
        stream.Position = 0;
        var restored = new ExactlyOnceApplier(new KvStateMachine(), maxClients: 3);
        restored.Restore(stream);

        var fromOriginal = new List<AppliedCommand>();
        var fromRestored = new List<AppliedCommand>();
        DecidedSlot next = Slot(3, 0, Incr(5, 1), Incr(6, 1), Incr(9, 2), Incr(4, 1));
        original.Apply(next, fromOriginal);
        restored.Apply(next, fromRestored);

        // Client 4 was the least recent, so both forget it when client 5 arrives: its retry applies again.
        Assert.Equal([ApplyOutcome.Applied, ApplyOutcome.Duplicate, ApplyOutcome.Duplicate, ApplyOutcome.Applied], fromOriginal.Select(r => r.Outcome));
        Assert.Equal(fromOriginal.Select(r => r.Outcome), fromRestored.Select(r => r.Outcome));
    }
}
