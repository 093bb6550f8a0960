using Paxuby.Consensus;

namespace Paxuby.Consensus.Tests;

/// <summary>
/// Snapshots and log compaction in the core: <see cref="Replica.Compact"/>, recovery with a
/// <see cref="DurableState.SnapshotSlot"/>, <see cref="Ready.SnapshotsToSend"/>,
/// <see cref="Replica.InstallSnapshot"/>, and the two acceptor rules below the floor.
/// </summary>
public sealed class ReplicaCompactionTests
{
    private static readonly Ballot FirstBallotOf0 = new(1, 0);

    private static ReplicaOptions Options(int id, int replicas = 3) => new()
    {
        ReplicaId = id,
        ReplicaIds = Enumerable.Range(0, replicas).ToArray(),
    };

    private static Ready Cycle(Replica replica)
    {
        var ready = replica.GetReady();
        replica.Advance(ready);
        return ready;
    }

    private static Batch NoOp(Ballot ballot, long slot) => Batch.NoOp(new BatchId(ballot, slot), 0);

    /// <summary>A disk with slots 1..<paramref name="slots"/> accepted under ballot (1,0), the first <paramref name="commit"/> decided.</summary>
    private static DurableState Disk(int slots, int commit)
    {
        var disk = new DurableState { PromisedBallot = FirstBallotOf0, CommitIndex = commit };
        for (var slot = 1; slot <= slots; slot++)
        {
            disk.Entries[slot] = new LogEntry(slot, FirstBallotOf0, NoOp(FirstBallotOf0, slot));
        }
        return disk;
    }

    private static Message Reply(MessageType type, Message request, long commitIndex = 0) => new()
    {
        Type = type, From = request.To, To = request.From, Ballot = request.Ballot, Slot = request.Slot,
        CommitIndex = commitIndex, EchoCommitIndex = request.CommitIndex, RequestTick = request.RequestTick,
    };

    /// <summary>Replica 0 leads {0,1,2} (its first campaign, round 1) with slots 1..<paramref name="slots"/> committed and applied.</summary>
    private static Replica LeaderWithCommittedSlots(int slots)
    {
        var leader = new Replica(Options(0), new DurableState(), new Random(7));
        Cycle(leader);
        Ready campaign;
        do
        {
            leader.Tick();
        }
        while (!leader.HasReady);
        campaign = leader.GetReady();
        leader.Advance(campaign);
        leader.Step(Reply(MessageType.Promise, campaign.EagerMessages.First(m => m.To == 1)));
        var ready = Cycle(leader);
        for (var sequence = 1; leader.CommitIndex < slots; sequence++)
        {
            foreach (var accept in ready.EagerMessages.Where(m => m.Type == MessageType.Accept && m.To == 1))
            {
                leader.Step(Reply(MessageType.Accepted, accept, commitIndex: accept.CommitIndex));
            }
            if (leader.CommitIndex < slots)
            {
                leader.Propose(new Command(1, sequence, 1000, new byte[] { 1 }));
            }
            ready = Cycle(leader);
        }
        Assert.Equal(Role.Leader, leader.Role);
        Assert.Equal(slots, leader.AppliedIndex);
        return leader;
    }

    private static Message AckFrom(int peer, Replica leader, long peerCommit) => new()
    {
        Type = MessageType.HeartbeatAck, From = peer, To = leader.Id, Ballot = leader.PromisedBallot,
        CommitIndex = peerCommit, EchoCommitIndex = leader.CommitIndex, RequestTick = leader.CurrentTick,
    };

    /// <summary>A restarted replica promises nobody for a lease; tick it past that.</summary>
    private static void PastRestartLease(Replica replica)
    {
        for (var i = 0; i < 20; i++)
        {
            replica.Tick();
        }
    }

    [Fact]
    public void Compact_drops_applied_slots_from_memory_and_remembers_the_floor()
    {
        var leader = LeaderWithCommittedSlots(6);
        Assert.Equal(6, leader.LogSlotCount);

        leader.Compact(4);

        Assert.Equal(4, leader.SnapshotSlot);
        Assert.Equal(2, leader.LogSlotCount);
        Assert.False(leader.HasReady); // compaction persists nothing: storage compacts its own copy
        leader.Compact(2); // below the floor: ignored
        Assert.Equal(4, leader.SnapshotSlot);
        leader.Compact(6);
        Assert.Equal(0, leader.LogSlotCount);
    }

    [Fact]
    public void Compact_above_the_applied_slot_trips_an_invariant()
    {
        var replica = new Replica(Options(1), Disk(slots: 5, commit: 4), new Random(7), appliedSlot: 2);

        Assert.Throws<ConsensusInvariantException>(() => replica.Compact(3));
    }

    [Fact]
    public void Restarted_replica_with_snapshot_slot_2_hands_out_decided_slots_from_its_applied_one_and_holds_none_below_the_floor()
    {
        var disk = Disk(slots: 5, commit: 4);
        disk.CompactThrough(2);

        var replica = new Replica(Options(1), disk, new Random(7), appliedSlot: 2);

        Assert.Equal((2L, 4L, 2L, 3), (replica.SnapshotSlot, replica.CommitIndex, replica.AppliedIndex, replica.LogSlotCount));
        Assert.Equal([3L, 4L], Cycle(replica).Decided.Select(d => d.Slot));
        var fromNewerSnapshot = new Replica(Options(1), disk, new Random(7), appliedSlot: 3);
        Assert.Equal([4L], Cycle(fromNewerSnapshot).Decided.Select(d => d.Slot));
        Assert.Throws<ConsensusInvariantException>(() => new Replica(Options(1), disk, new Random(7), appliedSlot: 1));
        Assert.Throws<ConsensusInvariantException>(() => new Replica(Options(1), disk, new Random(7), appliedSlot: 5));
    }

    [Fact]
    public void Restarted_replica_whose_snapshot_covers_every_entry_starts_with_commit_at_the_snapshot_slot()
    {
        var disk = Disk(slots: 3, commit: 3);
        disk.CompactThrough(3);

        var replica = new Replica(Options(1), disk, new Random(7), appliedSlot: 3);

        Assert.Equal((3L, 3L, 0), (replica.CommitIndex, replica.SnapshotSlot, replica.LogSlotCount));
        Assert.Empty(Cycle(replica).Decided);
    }

    [Fact]
    public void Leader_lists_a_peer_behind_its_floor_in_SnapshotsToSend_once_per_SnapshotResendTicks_instead_of_catch_up()
    {
        var leader = LeaderWithCommittedSlots(5);
        leader.Compact(3);

        leader.Step(AckFrom(2, leader, peerCommit: 1)); // it lacks slots 2..5, and 2..3 are compacted
        var ready = Cycle(leader);
        Assert.Equal([2], ready.SnapshotsToSend);
        Assert.DoesNotContain(ready.EagerMessages, m => m.Type == MessageType.CatchUp);

        leader.Step(AckFrom(2, leader, peerCommit: 1)); // the transfer is still on its way
        Assert.False(leader.HasReady);

        for (var i = 0; i < 20; i++)
        {
            leader.Tick();
            leader.Step(AckFrom(1, leader, peerCommit: leader.CommitIndex)); // keeps the leader in office
            Cycle(leader);
        }
        leader.Step(AckFrom(2, leader, peerCommit: 1)); // SnapshotResendTicks later: ask again
        Assert.Equal([2], Cycle(leader).SnapshotsToSend);
    }

    [Fact]
    public void Leader_sends_log_entries_not_a_snapshot_to_a_peer_that_needs_only_slots_above_the_floor()
    {
        var leader = LeaderWithCommittedSlots(5);
        leader.Compact(3);

        leader.Step(AckFrom(2, leader, peerCommit: 3));

        var ready = Cycle(leader);
        Assert.Empty(ready.SnapshotsToSend);
        var catchUp = Assert.Single(ready.EagerMessages, m => m.Type == MessageType.CatchUp);
        Assert.Equal([4L, 5L], catchUp.Entries.Select(e => e.Slot));
    }

    [Fact]
    public void Leader_whose_in_flight_slot_is_decided_by_a_late_catch_up_and_compacted_ignores_its_late_Accepted()
    {
        var leader = LeaderWithCommittedSlots(1);
        leader.Propose(new Command(1, 1, 1000, new byte[] { 1 }));
        var proposal = Cycle(leader);
        var accept = proposal.EagerMessages.First(m => m.Type == MessageType.Accept && m.To == 1);

        // Found seed 1000235: slot 2 becomes decided through a CatchUp, not through its votes.
        leader.Step(new Message
        {
            Type = MessageType.CatchUp, From = 2, To = 0, Ballot = leader.PromisedBallot, CommitIndex = 2,
            Entries = [new LogEntry(2, leader.PromisedBallot, accept.Batch!)],
        });
        Cycle(leader);
        Assert.Equal(2, leader.AppliedIndex);
        leader.Compact(2);
        leader.Step(Reply(MessageType.Accepted, accept, commitIndex: 1));

        Assert.Equal((2L, 2L, Role.Leader), (leader.CommitIndex, leader.SnapshotSlot, leader.Role));
    }

    [Fact]
    public void InstallSnapshot_moves_floor_commit_and_applied_to_its_slot_keeps_accepted_entries_above_and_persists_the_commit()
    {
        var follower = new Replica(Options(1), new DurableState(), new Random(7));
        Cycle(follower);
        // It accepted slot 6 from leader (1,0) but missed slots 1..5.
        var batch6 = NoOp(FirstBallotOf0, 6);
        follower.Step(new Message { Type = MessageType.Accept, From = 0, To = 1, Ballot = FirstBallotOf0, Slot = 6, Batch = batch6 });
        Cycle(follower);

        Assert.True(follower.InstallSnapshot(5));

        Assert.Equal((5L, 5L, 5L, 1), (follower.SnapshotSlot, follower.CommitIndex, follower.AppliedIndex, follower.LogSlotCount));
        var ready = Cycle(follower);
        Assert.Equal(5, ready.Persist.CommitIndex);
        Assert.Empty(ready.Decided); // slots 1..5 came with the snapshot
        follower.Step(new Message { Type = MessageType.Heartbeat, From = 0, To = 1, Ballot = FirstBallotOf0, CommitIndex = 6 });
        var next = Cycle(follower);
        Assert.Equal([6L], next.Decided.Select(d => d.Slot)); // its own accepted entry, now learned decided
        Assert.Equal(6, Assert.Single(next.Messages).CommitIndex);
    }

    [Fact]
    public void InstallSnapshot_at_or_below_the_applied_slot_is_ignored()
    {
        var replica = new Replica(Options(1), Disk(slots: 5, commit: 5), new Random(7), appliedSlot: 4);

        Assert.False(replica.InstallSnapshot(4));
        Assert.False(replica.InstallSnapshot(2));
        Assert.Equal((0L, 4L), (replica.SnapshotSlot, replica.AppliedIndex));
        Assert.True(replica.InstallSnapshot(5));
        Assert.Equal((5L, 5L, 5L), (replica.SnapshotSlot, replica.AppliedIndex, replica.CommitIndex));
    }

    [Fact]
    public void InstallSnapshot_while_a_Ready_is_in_flight_trips_an_invariant()
    {
        var replica = new Replica(Options(1), new DurableState(), new Random(7));
        var ready = replica.GetReady();

        Assert.Throws<ConsensusInvariantException>(() => replica.InstallSnapshot(5));
        replica.Advance(ready);
        Assert.True(replica.InstallSnapshot(5));
    }

    [Fact]
    public void InstallSnapshot_on_a_leader_steps_it_down_first()
    {
        var leader = LeaderWithCommittedSlots(2);

        Assert.True(leader.InstallSnapshot(10));

        Assert.Equal(Role.Follower, leader.Role);
        Assert.Equal((10L, 10L), (leader.CommitIndex, leader.AppliedIndex));
        Assert.Equal(Role.Follower, Cycle(leader).RoleChange!.Value.Role);
    }

    [Fact]
    public void Acceptor_with_floor_5_neither_promises_nor_raises_its_promise_for_a_candidate_with_commit_index_4_and_hints_why()
    {
        var disk = Disk(slots: 6, commit: 6);
        disk.CompactThrough(5);
        var acceptor = new Replica(Options(1), disk, new Random(7), appliedSlot: 5);
        Cycle(acceptor);
        PastRestartLease(acceptor);
        Assert.False(acceptor.HasReady);

        acceptor.Step(new Message { Type = MessageType.Prepare, From = 2, To = 1, Ballot = new Ballot(3, 2), CommitIndex = 4 });

        Assert.Equal(FirstBallotOf0, acceptor.PromisedBallot);
        var refused = Cycle(acceptor);
        Assert.True(refused.Persist.IsEmpty);
        var hint = Assert.Single(refused.Messages); // a Nack with the candidate's own ballot: "you are behind my floor"
        Assert.Equal((MessageType.Nack, 2, new Ballot(3, 2), 5L, 6L), (hint.Type, hint.To, hint.Ballot, hint.Slot, hint.CommitIndex));

        acceptor.Step(new Message { Type = MessageType.Prepare, From = 2, To = 1, Ballot = new Ballot(3, 2), CommitIndex = 5 });
        var ready = Cycle(acceptor);
        Assert.Equal(new Ballot(3, 2), ready.Persist.PromisedBallot);
        var promise = Assert.Single(ready.Messages);
        Assert.Equal(MessageType.Promise, promise.Type);
        Assert.Equal([6L], promise.Entries.Select(e => e.Slot)); // every accepted value above the candidate's commit index
    }

    [Fact]
    public void Candidate_refused_by_a_floor_above_its_commit_index_stands_aside_and_drops_the_lease_it_granted_itself()
    {
        var candidate = new Replica(Options(2), new DurableState(), new Random(7));
        Cycle(candidate);
        do
        {
            candidate.Tick();
        }
        while (!candidate.HasReady);
        var campaign = candidate.GetReady();
        candidate.Advance(campaign);
        var prepare = campaign.EagerMessages.First(m => m.To == 1);
        Assert.Equal(Role.Candidate, candidate.Role);

        candidate.Step(new Message { Type = MessageType.Nack, From = 1, To = 2, Ballot = prepare.Ballot, Slot = 5, CommitIndex = 6 });

        Assert.Equal(Role.Follower, candidate.Role);
        Cycle(candidate);
        // Without its own lease it promises the up-to-date replica at once.
        var higher = new Ballot(prepare.Ballot.Round + 1, 1);
        candidate.Step(new Message { Type = MessageType.Prepare, From = 1, To = 2, Ballot = higher, CommitIndex = 6 });
        var ready = Cycle(candidate);
        Assert.Equal(higher, ready.Persist.PromisedBallot);
        Assert.Equal(MessageType.Promise, Assert.Single(ready.Messages).Type);
    }

    [Fact]
    public void Acceptor_answers_an_Accept_at_or_below_its_floor_without_storing_it_and_Nacks_one_below_its_promise()
    {
        var disk = Disk(slots: 6, commit: 6);
        disk.CompactThrough(5);
        var acceptor = new Replica(Options(1), disk, new Random(7), appliedSlot: 5);
        Cycle(acceptor);

        var ballot = new Ballot(2, 0);
        acceptor.Step(new Message { Type = MessageType.Accept, From = 0, To = 1, Ballot = ballot, Slot = 3, Batch = NoOp(ballot, 3), CommitIndex = 2, RequestTick = 9 });

        var ready = Cycle(acceptor);
        Assert.Empty(ready.Persist.Entries);
        Assert.Equal(ballot, ready.Persist.PromisedBallot); // accepting under a ballot promises it
        var accepted = Assert.Single(ready.Messages);
        Assert.Equal((MessageType.Accepted, 3L, 9L), (accepted.Type, accepted.Slot, accepted.RequestTick));
        Assert.Equal(1, acceptor.LogSlotCount);

        acceptor.Step(new Message { Type = MessageType.Accept, From = 2, To = 1, Ballot = FirstBallotOf0, Slot = 4, Batch = NoOp(FirstBallotOf0, 4) });
        Assert.Equal(MessageType.Nack, Assert.Single(Cycle(acceptor).Messages).Type);
    }

    [Fact]
    public void Acceptor_ignores_catch_up_entries_at_or_below_its_floor()
    {
        var disk = Disk(slots: 4, commit: 4);
        disk.CompactThrough(4);
        var follower = new Replica(Options(1), disk, new Random(7), appliedSlot: 4);
        Cycle(follower);
        var entries = Enumerable.Range(3, 4).Select(s => new LogEntry(s, FirstBallotOf0, NoOp(FirstBallotOf0, s))).ToList();

        follower.Step(new Message { Type = MessageType.CatchUp, From = 0, To = 1, Ballot = FirstBallotOf0, CommitIndex = 6, Entries = entries });

        var ready = Cycle(follower);
        Assert.Equal([5L, 6L], ready.Persist.Entries.Select(e => e.Slot));
        Assert.Equal([5L, 6L], ready.Decided.Select(d => d.Slot));
        Assert.Equal(2, follower.LogSlotCount);
    }
}
