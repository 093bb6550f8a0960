using Paxuby.Consensus;

namespace Paxuby.Consensus.Tests;

public sealed class ProtocolTypesTests
{
    [Fact]
    public void Message_type_numbers_are_pinned_because_they_go_on_the_wire()
    {
        Assert.Equal(1, (int)MessageType.Prepare);
        Assert.Equal(2, (int)MessageType.Promise);
        Assert.Equal(3, (int)MessageType.Accept);
        Assert.Equal(4, (int)MessageType.Accepted);
        Assert.Equal(5, (int)MessageType.Heartbeat);
        Assert.Equal(6, (int)MessageType.HeartbeatAck);
        Assert.Equal(7, (int)MessageType.Nack);
        Assert.Equal(8, (int)MessageType.CatchUp);
        Assert.Equal(8, Enum.GetValues<MessageType>().Length);
    }

    [Fact]
    public void Ballots_order_by_round_then_replica_id()
    {
        Assert.True(new Ballot(1, 2) < new Ballot(2, 0));
        Assert.True(new Ballot(2, 0) < new Ballot(2, 1));
        Assert.True(Ballot.Zero < new Ballot(1, 0));
        Assert.Equal(new Ballot(3, 1), Ballot.Max(new Ballot(3, 1), new Ballot(3, 0)));
    }

    [Fact]
    public void Options_reject_a_lease_longer_than_the_election_timeout()
    {
        var options = new ReplicaOptions { ReplicaId = 0, ReplicaIds = [0, 1, 2], LeaseTicks = 30, ElectionTimeoutTicks = 20 };
        Assert.Throws<ConsensusInvariantException>(options.Validate);
    }

    [Fact]
    public void Durable_state_applies_records_in_order_and_a_later_entry_replaces_an_earlier_one()
    {
        var state = new DurableState();
        var a = Batch.NoOp(new BatchId(new Ballot(1, 0), 1), 0);
        var b = Batch.NoOp(new BatchId(new Ballot(2, 1), 1), 0);
        state.Apply(new PersistRecords([new LogEntry(1, new Ballot(1, 0), a), new LogEntry(1, new Ballot(2, 1), b)], new Ballot(2, 1), 1));
        Assert.Same(b, state.Entries[1].Batch);
        Assert.Equal((new Ballot(2, 1), 1L), (state.PromisedBallot, state.CommitIndex));
    }
    [Theory]
    [InlineData(3)]
    [InlineData(97)]
    [InlineData(100)]
    [InlineData(150)] // a floor above every entry
    public void Compacting_durable_state_keeps_exactly_the_entries_above_the_floor(long floor)
    {
        var state = new DurableState();
        var entries = new List<LogEntry>();
        for (long slot = 1; slot <= 100; slot++)
        {
            entries.Add(new LogEntry(slot, new Ballot(1, 0), Batch.NoOp(new BatchId(new Ballot(1, 0), slot), 0)));
        }
        state.Apply(new PersistRecords(entries, new Ballot(1, 0), 2));

        state.CompactThrough(floor);

        Assert.Equal(entries.Where(e => e.Slot > floor).Select(e => e.Slot), state.Entries.Keys.Order());
        Assert.All(state.Entries, pair => Assert.Same(entries[(int)pair.Key - 1], pair.Value));
        Assert.Equal((floor, Math.Max(2, floor)), (state.SnapshotSlot, state.CommitIndex));
        state.Apply(new PersistRecords([new LogEntry(floor, new Ballot(2, 1), Batch.NoOp(new BatchId(new Ballot(2, 1), 1), 0))], null, null));
        Assert.DoesNotContain(floor, state.Entries.Keys);
    }
}
