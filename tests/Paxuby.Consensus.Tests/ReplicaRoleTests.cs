using Paxuby.Consensus;

namespace Paxuby.Consensus.Tests;

/// <summary>
/// Role tests tied to the protocol's sentences: each drives one replica by hand and asserts exactly
/// which messages it sends and what it asks to persist.
/// </summary>
public sealed class ReplicaRoleTests
{
    private static readonly Ballot FirstBallotOf0 = new(1, 0);

    private static ReplicaOptions Options(int id, int replicas = 3, int windowSlots = 8, int maxPendingCommands = 4096) => new()
    {
        ReplicaId = id,
        ReplicaIds = Enumerable.Range(0, replicas).ToArray(),
        WindowSlots = windowSlots,
        MaxPendingCommands = maxPendingCommands,
    };

    private static Replica NewReplica(int id, DurableState? state = null, ReplicaOptions? options = null) =>
        new(options ?? Options(id), state ?? new DurableState(), new Random(7));

    /// <summary>Takes and advances a Ready, returning it (asserting Persist before Advance is the caller's job).</summary>
    private static Ready Cycle(Replica replica)
    {
        var ready = replica.GetReady();
        replica.Advance(ready);
        return ready;
    }

    private static Ready TickUntilReady(Replica replica, out int ticks)
    {
        for (ticks = 1; ticks <= 1000; ticks++)
        {
            replica.Tick();
            if (replica.HasReady)
            {
                return replica.GetReady();
            }
        }
        throw new InvalidOperationException("replica never produced a Ready");
    }

    private static Message Reply(MessageType type, Message request, long commitIndex = 0, IReadOnlyList<LogEntry>? entries = null) => new()
    {
        Type = type, From = request.To, To = request.From, Ballot = request.Ballot, Slot = request.Slot,
        CommitIndex = commitIndex, EchoCommitIndex = request.CommitIndex, RequestTick = request.RequestTick,
        Entries = entries ?? Array.Empty<LogEntry>(),
    };

    private static Command Cmd(long clientId, long sequence, long timestampMs = 1000) =>
        new(clientId, sequence, timestampMs, new byte[] { 1, 2, 3 });

    /// <summary>Makes replica 0 leader of {0,1,2} with its no-op in slot 1 committed; returns it and its Prepare to 1.</summary>
    private static (Replica Leader, Message Prepare) ElectedLeader(int replicas = 3, ReplicaOptions? options = null)
    {
        var leader = NewReplica(0, options: options ?? Options(0, replicas));
        Cycle(leader); // initial role announcement
        var campaign = TickUntilReady(leader, out _);
        leader.Advance(campaign);
        var prepare = campaign.EagerMessages.First(m => m.To == 1);
        leader.Step(Reply(MessageType.Promise, prepare));
        var first = Cycle(leader);
        var accept = first.EagerMessages.First(m => m.To == 1);
        leader.Step(Reply(MessageType.Accepted, accept));
        Cycle(leader);
        Assert.Equal(1, leader.CommitIndex);
        return (leader, prepare);
    }

    [Fact]
    public void Candidate_sends_Prepare_to_every_peer_after_election_timeout_and_persists_its_promise_first()
    {
        var replica = NewReplica(0);
        Assert.Equal(Role.Follower, Cycle(replica).RoleChange!.Value.Role);

        var ready = TickUntilReady(replica, out var ticks);

        Assert.InRange(ticks, 20, 39); // a seeded timeout in [T, 2T)
        Assert.Equal(FirstBallotOf0, ready.Persist.PromisedBallot);
        Assert.Equal([1, 2], ready.EagerMessages.Select(m => m.To));
        Assert.All(ready.EagerMessages, m =>
        {
            Assert.Equal(MessageType.Prepare, m.Type);
            Assert.Equal(FirstBallotOf0, m.Ballot);
            Assert.Equal(0, m.CommitIndex);
        });
        Assert.Empty(ready.Messages);
        Assert.Equal(Role.Candidate, ready.RoleChange!.Value.Role);
    }

    [Fact]
    public void Candidate_counts_its_own_promise_only_after_Advance_then_leads_on_a_majority()
    {
        var replica = NewReplica(0);
        Cycle(replica);
        var campaign = TickUntilReady(replica, out _);
        var prepare = campaign.EagerMessages[0];

        replica.Step(Reply(MessageType.Promise, prepare)); // one peer: not a majority without its own vote
        Assert.Equal(Role.Candidate, replica.Role);

        replica.Advance(campaign); // its own promise is durable now
        Assert.Equal(Role.Leader, replica.Role);
        var ready = replica.GetReady();
        Assert.Equal(Role.Leader, ready.RoleChange!.Value.Role);
        // Phase 2 for its own no-op in slot 1: an Accept to every peer, the leader's own write in parallel.
        Assert.Equal([1, 2], ready.EagerMessages.Select(m => m.To));
        Assert.All(ready.EagerMessages, m =>
        {
            Assert.Equal(MessageType.Accept, m.Type);
            Assert.Equal(1, m.Slot);
            Assert.True(m.Batch!.IsNoOp);
        });
        Assert.Equal([1L], ready.Persist.Entries.Select(e => e.Slot));
        Assert.Empty(ready.Messages);
    }

    [Fact]
    public void Leader_sends_Accept_to_every_peer_and_commits_after_a_majority_of_Accepted()
    {
        var (leader, _) = ElectedLeader();

        Assert.Equal(ProposeStatus.Accepted, leader.Propose(Cmd(7, 1)));
        var proposal = Cycle(leader);
        Assert.Equal([1, 2], proposal.EagerMessages.Select(m => m.To));
        Assert.All(proposal.EagerMessages, m =>
        {
            Assert.Equal(MessageType.Accept, m.Type);
            Assert.Equal(2, m.Slot);
            Assert.Equal(1, m.CommitIndex); // slot 1's decision rides on the next Accept
            Assert.Single(m.Batch!.Commands);
        });
        Assert.Empty(proposal.Messages);
        Assert.Equal([2L], proposal.Persist.Entries.Select(e => e.Slot));
        Assert.False(leader.HasReady);

        leader.Step(Reply(MessageType.Accepted, proposal.EagerMessages[1], commitIndex: 1));

        var decided = Cycle(leader);
        Assert.Equal(2, leader.CommitIndex);
        Assert.Equal([2L], decided.Decided.Select(d => d.Slot));
        Assert.Equal(2, decided.Persist.CommitIndex);
        Assert.Empty(decided.EagerMessages);
        Assert.Empty(decided.Messages);
        Assert.False(leader.HasReady);
    }

    [Fact]
    public void Leader_gathers_proposals_into_one_batch_while_the_window_is_full()
    {
        var (leader, _) = ElectedLeader(options: Options(0, windowSlots: 1));
        leader.Propose(Cmd(1, 1));
        var first = Cycle(leader);
        leader.Propose(Cmd(2, 1));
        leader.Propose(Cmd(3, 1));
        Assert.False(leader.HasReady); // window of one slot is in flight

        leader.Step(Reply(MessageType.Accepted, first.EagerMessages[0], commitIndex: 1));
        var next = Cycle(leader);

        var accepts = next.EagerMessages.Where(m => m.Type == MessageType.Accept).ToList();
        Assert.Equal(2, accepts.Count);
        Assert.All(accepts, m => Assert.Equal(3, m.Slot));
        Assert.Equal(2, accepts[0].Batch!.Commands.Count);
    }

    [Fact]
    public void Propose_pushes_back_when_the_queue_is_full_and_redirects_on_a_follower()
    {
        var follower = NewReplica(1);
        Assert.Equal(ProposeStatus.NotLeader, follower.Propose(Cmd(1, 1)));
        Assert.Equal(ReadStatus.NotLeader, follower.Read(1));

        var (leader, _) = ElectedLeader(options: Options(0, windowSlots: 1, maxPendingCommands: 2));
        leader.Propose(Cmd(1, 1));
        Cycle(leader); // fills the window
        Assert.Equal(ProposeStatus.Accepted, leader.Propose(Cmd(2, 1)));
        Assert.Equal(ProposeStatus.Accepted, leader.Propose(Cmd(3, 1)));
        Assert.Equal(ProposeStatus.Busy, leader.Propose(Cmd(4, 1)));
    }

    [Fact]
    public void Acceptor_persists_before_its_Accepted_and_learns_the_commit_index_from_the_next_Accept()
    {
        var acceptor = NewReplica(1);
        Cycle(acceptor);
        var batch1 = new Batch(new BatchId(FirstBallotOf0, 1), 5, [Cmd(1, 1)]);
        var accept1 = new Message { Type = MessageType.Accept, From = 0, To = 1, Ballot = FirstBallotOf0, Slot = 1, Batch = batch1, RequestTick = 3 };

        acceptor.Step(accept1);
        var ready = Cycle(acceptor);

        Assert.Equal(FirstBallotOf0, ready.Persist.PromisedBallot);
        Assert.Equal([1L], ready.Persist.Entries.Select(e => e.Slot));
        Assert.Empty(ready.EagerMessages); // nothing may leave before the entry is durable
        var accepted = Assert.Single(ready.Messages);
        Assert.Equal(MessageType.Accepted, accepted.Type);
        Assert.Equal((0, 1L, 3L), (accepted.To, accepted.Slot, accepted.RequestTick));
        Assert.Empty(ready.Decided);

        var batch2 = new Batch(new BatchId(FirstBallotOf0, 2), 6, [Cmd(1, 2)]);
        acceptor.Step(new Message { Type = MessageType.Accept, From = 0, To = 1, Ballot = FirstBallotOf0, Slot = 2, Batch = batch2, CommitIndex = 1 });
        var next = Cycle(acceptor);
        Assert.Equal([1L], next.Decided.Select(d => d.Slot));
        Assert.Equal(1, next.Persist.CommitIndex);
    }

    [Fact]
    public void Acceptor_refuses_to_promise_a_new_ballot_while_a_lease_it_granted_is_unexpired()
    {
        var acceptor = NewReplica(1);
        Cycle(acceptor);
        for (var i = 0; i < 20; i++)
        {
            acceptor.Tick(); // past the restart guard
        }
        acceptor.Step(new Message { Type = MessageType.Heartbeat, From = 0, To = 1, Ballot = FirstBallotOf0 });
        Assert.Equal(MessageType.HeartbeatAck, Assert.Single(Cycle(acceptor).Messages).Type);

        var prepare = new Message { Type = MessageType.Prepare, From = 2, To = 1, Ballot = new Ballot(2, 2) };
        acceptor.Step(prepare);
        Assert.False(acceptor.HasReady);

        for (var i = 0; i < 16; i++)
        {
            acceptor.Tick(); // LeaseTicks of its own clock
        }
        acceptor.Step(prepare);
        var ready = Cycle(acceptor);
        Assert.Equal(new Ballot(2, 2), ready.Persist.PromisedBallot);
        Assert.Equal(MessageType.Promise, Assert.Single(ready.Messages).Type);

        acceptor.Step(new Message { Type = MessageType.Prepare, From = 0, To = 1, Ballot = new Ballot(1, 0) });
        var nack = Assert.Single(Cycle(acceptor).Messages);
        Assert.Equal((MessageType.Nack, new Ballot(2, 2)), (nack.Type, nack.Ballot));
    }

    [Fact]
    public void Restarted_acceptor_keeps_its_persisted_promise_and_waits_out_a_lease_before_promising()
    {
        var disk = new DurableState { PromisedBallot = new Ballot(5, 2) };
        var acceptor = NewReplica(1, disk);
        Cycle(acceptor);

        acceptor.Step(new Message { Type = MessageType.Prepare, From = 0, To = 1, Ballot = new Ballot(4, 0) });
        Assert.Equal(MessageType.Nack, Assert.Single(Cycle(acceptor).Messages).Type);

        acceptor.Step(new Message { Type = MessageType.Prepare, From = 0, To = 1, Ballot = new Ballot(6, 0) });
        Assert.False(acceptor.HasReady); // a lease granted before the crash may still run
    }

    [Fact]
    public void New_leader_reproposes_the_highest_ballot_value_fills_gaps_with_noops_and_commits_its_own_ballot_before_reads()
    {
        var candidate = NewReplica(0);
        Cycle(candidate);
        var campaign = TickUntilReady(candidate, out _);
        var older = new Batch(new BatchId(new Ballot(0, 1), 1), 10, [Cmd(1, 1)]);
        var newer = new Batch(new BatchId(new Ballot(0, 2), 1), 20, [Cmd(2, 1)]);
        var third = new Batch(new BatchId(new Ballot(0, 2), 3), 30, [Cmd(2, 2)]);
        var prepare = campaign.EagerMessages.First(m => m.To == 1);
        // Hand-made ballots below the candidate's own round 1 cannot exist, so use round-0 ballots.
        candidate.Step(Reply(MessageType.Promise, prepare, entries:
        [
            new LogEntry(1, new Ballot(0, 1), older),
            new LogEntry(3, new Ballot(0, 2), third),
        ]));
        Assert.Equal(Role.Candidate, candidate.Role); // its own promise is not durable yet
        var prepare2 = campaign.EagerMessages.First(m => m.To == 2);
        candidate.Step(Reply(MessageType.Promise, prepare2, entries: [new LogEntry(1, new Ballot(0, 2), newer)]));
        Assert.Equal(Role.Leader, candidate.Role);
        candidate.Advance(campaign);

        Assert.Equal(ReadStatus.Pending, candidate.Read(99));
        var ready = Cycle(candidate);
        var accepts = ready.EagerMessages.Where(m => m.To == 1).ToList();
        Assert.Equal([1L, 2L, 3L, 4L, 5L], accepts.Select(m => m.Slot));
        Assert.Same(newer, accepts[0].Batch);               // highest ballot wins slot 1
        Assert.True(accepts[1].Batch!.IsNoOp);              // gap filled
        Assert.Same(third, accepts[2].Batch);
        Assert.True(accepts[3].Batch!.IsNoOp);              // its own-ballot entry
        Assert.Equal(new BatchId(new Ballot(1, 0), 4), accepts[3].Batch!.Id);
        Assert.True(accepts[4].Batch!.IsNoOp);              // the read's marker slot
        Assert.Empty(ready.Reads);                          // no read before its own entry commits
        Assert.Equal(30, accepts[4].Batch!.TimestampMs);    // never behind anything it learned

        foreach (var accept in accepts)
        {
            candidate.Step(Reply(MessageType.Accepted, accept));
        }
        var decided = Cycle(candidate);
        Assert.Equal([1L, 2L, 3L, 4L, 5L], decided.Decided.Select(d => d.Slot));
        Assert.Equal([new ReadState(99, 5)], decided.Reads);
    }

    [Fact]
    public void Leader_serves_reads_locally_while_a_majority_of_leases_hold_and_through_the_log_after()
    {
        var (leader, _) = ElectedLeader();

        Assert.True(leader.CanServeLocalReads);
        Assert.Equal(ReadStatus.Pending, leader.Read(1));
        Assert.Equal([new ReadState(1, 1)], Cycle(leader).Reads);

        // No replies for longer than lease - drift: the lease lapses, the read goes through the log.
        for (var i = 0; i < 14; i++)
        {
            leader.Tick();
        }
        Cycle(leader);
        Assert.False(leader.CanServeLocalReads);
        Assert.Equal(ReadStatus.Pending, leader.Read(2));
        var ready = Cycle(leader);
        Assert.Empty(ready.Reads);
        var marker = ready.EagerMessages.First(m => m.Type == MessageType.Accept && m.To == 2);
        Assert.True(marker.Batch!.IsNoOp);

        leader.Step(Reply(MessageType.Accepted, marker));
        Assert.Equal([new ReadState(2, marker.Slot)], Cycle(leader).Reads);
        Assert.True(leader.CanServeLocalReads); // the reply renewed one lease: majority again
    }

    [Fact]
    public void Leases_checked_at_a_driver_tick_ahead_of_the_core_lapse_at_that_tick()
    {
        var (leader, _) = ElectedLeader();
        long now = leader.CurrentTick;

        Assert.True(leader.CanServeLocalReadsAt(now));
        // Lease 16, drift 3: the lease counted from a request at tick <= now lapses by now + 13,
        // whether or not the core has been ticked that far (a driver busy on its disk has not).
        Assert.False(leader.CanServeLocalReadsAt(now + 13));
        Assert.True(leader.CanServeLocalReads);
        // A tick behind the core's own counts as the core's: never a lease the core has seen lapse.
        for (var i = 0; i < 14; i++)
        {
            leader.Tick();
        }
        Assert.False(leader.CanServeLocalReadsAt(now));
    }

    [Fact]
    public void Leader_steps_down_on_a_Nack_and_fails_its_pending_reads_and_queued_proposals()
    {
        var (leader, _) = ElectedLeader(options: Options(0, windowSlots: 1));
        leader.Propose(Cmd(1, 1));
        Cycle(leader);
        leader.Propose(Cmd(1, 2));
        for (var i = 0; i < 14; i++)
        {
            leader.Tick();
        }
        leader.Read(5);

        leader.Step(new Message { Type = MessageType.Nack, From = 1, To = 0, Ballot = new Ballot(9, 1) });

        Assert.Equal(Role.Follower, leader.Role);
        var ready = leader.GetReady();
        Assert.Equal([5L], ready.FailedReads);
        Assert.Equal(2, Assert.Single(ready.DroppedProposals).Sequence);
    }

    [Fact]
    public void Leader_sends_decided_entries_to_a_replica_that_reports_a_lower_commit_index()
    {
        var (leader, _) = ElectedLeader();
        leader.Propose(Cmd(1, 1));
        var proposal = Cycle(leader);
        leader.Step(Reply(MessageType.Accepted, proposal.EagerMessages[0], commitIndex: 1));
        Cycle(leader);

        // Replica 2 answers a heartbeat that said "commit 2" with commit 0: it lacks slots 1..2.
        leader.Step(new Message { Type = MessageType.HeartbeatAck, From = 2, To = 0, Ballot = new Ballot(1, 0), CommitIndex = 0, EchoCommitIndex = 2 });
        var catchUp = Assert.Single(Cycle(leader).EagerMessages);
        Assert.Equal((MessageType.CatchUp, 2), (catchUp.Type, catchUp.To));
        Assert.Equal([1L, 2L], catchUp.Entries.Select(e => e.Slot));

        var follower = NewReplica(2);
        follower.Step(catchUp);
        var ready = Cycle(follower);
        Assert.Equal([1L, 2L], ready.Decided.Select(d => d.Slot));
        Assert.Equal(2, ready.Persist.CommitIndex);
    }

    [Fact]
    public void Leader_resends_an_unanswered_Accept_after_ResendTicks_and_heartbeats_a_silent_link()
    {
        var (leader, _) = ElectedLeader();
        leader.Propose(Cmd(1, 1));
        var proposal = Cycle(leader);
        leader.Tick();
        leader.Tick();
        Assert.False(leader.HasReady);

        leader.Tick(); // 3 ticks of silence: heartbeats carry the commit index
        var heartbeats = Cycle(leader).EagerMessages;
        Assert.Equal([(MessageType.Heartbeat, 1), (MessageType.Heartbeat, 2)], heartbeats.Select(m => (m.Type, m.To)));
        Assert.All(heartbeats, m => Assert.Equal(1, m.CommitIndex));

        leader.Tick(); // 4 ticks since the Accept: resend it to both peers, nothing else
        var resent = Cycle(leader).EagerMessages;
        Assert.Equal([(MessageType.Accept, 1), (MessageType.Accept, 2)], resent.Select(m => (m.Type, m.To)));
        Assert.All(resent, m => Assert.Same(proposal.EagerMessages[0].Batch, m.Batch));
    }

    [Fact]
    public void Leader_that_hears_from_no_majority_for_an_election_timeout_steps_down()
    {
        var (leader, _) = ElectedLeader();
        for (var i = 0; i < 19; i++)
        {
            leader.Tick();
        }
        Assert.Equal(Role.Leader, leader.Role);
        leader.Tick();
        Assert.Equal(Role.Follower, leader.Role);
    }

    [Fact]
    public void Restarted_replica_rebuilds_from_durable_state_and_hands_out_decided_slots_after_the_applied_one()
    {
        var disk = new DurableState { PromisedBallot = FirstBallotOf0, CommitIndex = 2 };
        for (var slot = 1; slot <= 3; slot++)
        {
            disk.Entries[slot] = new LogEntry(slot, FirstBallotOf0, Batch.NoOp(new BatchId(FirstBallotOf0, slot), 0));
        }

        var fromScratch = Cycle(NewReplica(1, disk));
        Assert.Equal([1L, 2L], fromScratch.Decided.Select(d => d.Slot)); // slot 3 is accepted, not decided
        Assert.True(fromScratch.Persist.IsEmpty);

        var fromSnapshot = new Replica(Options(1), disk, new Random(7), appliedSlot: 1);
        Assert.Equal([2L], Cycle(fromSnapshot).Decided.Select(d => d.Slot));
        Assert.Throws<ConsensusInvariantException>(() => new Replica(Options(1), disk, new Random(7), appliedSlot: 3));
    }

    [Fact]
    public void Lease_counts_from_the_request_send_tick_minus_the_drift_bound()
    {
        // Sent at tick 10, lease 16, drift 3: held through tick 22, gone at 23.
        Assert.True(LeaseRule.Holds(leaseRequestTick: 10, nowTick: 22, leaseTicks: 16, driftTicks: 3));
        Assert.False(LeaseRule.Holds(leaseRequestTick: 10, nowTick: 23, leaseTicks: 16, driftTicks: 3));
        Assert.False(LeaseRule.Holds(leaseRequestTick: -1, nowTick: 0, leaseTicks: 16, driftTicks: 3));
    }
}
