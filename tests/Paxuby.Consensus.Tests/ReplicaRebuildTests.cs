using Paxuby.Consensus;

namespace Paxuby.Consensus.Tests;

/// <summary>
/// A replica whose log was damaged rejoins as a non-voting learner (<c>rebuilding: true</c>) until
/// its commit index reaches the slot it set from the first leader message it saw: it sends no
/// Promise, no Accepted, no ack (no lease), never campaigns, asks for catch-up with a Nack that the
/// leader counts for nothing else, and votes normally once caught up.
/// </summary>
public sealed class ReplicaRebuildTests
{
    private static readonly Ballot LeaderBallot = new(1, 0);

    private static readonly ReplicaOptions DefaultOptions = Options(0);

    private static ReplicaOptions Options(int id, int replicas = 3, int windowSlots = 8) => new()
    {
        ReplicaId = id,
        ReplicaIds = Enumerable.Range(0, replicas).ToArray(),
        WindowSlots = windowSlots,
    };

    private static Replica Rebuilding(int id, DurableState? disk = null, int windowSlots = 8, long appliedSlot = 0) =>
        new(Options(id, windowSlots: windowSlots), disk ?? new DurableState(), new Random(7), appliedSlot, rebuilding: true);

    private static Ready Cycle(Replica replica)
    {
        var ready = replica.GetReady();
        replica.Advance(ready);
        return ready;
    }

    private static Batch NoOp(Ballot ballot, long slot) => Batch.NoOp(new BatchId(ballot, slot), 0);

    private static Message Heartbeat(long commit, Ballot? ballot = null, int from = 0, int to = 1) => new()
    {
        Type = MessageType.Heartbeat, From = from, To = to, Ballot = ballot ?? LeaderBallot, CommitIndex = commit, RequestTick = 5,
    };

    private static Message Accept(long slot, long commit, Ballot? ballot = null, int from = 0, int to = 1) => new()
    {
        Type = MessageType.Accept, From = from, To = to, Ballot = ballot ?? LeaderBallot, Slot = slot,
        Batch = NoOp(ballot ?? LeaderBallot, slot), CommitIndex = commit, RequestTick = 5,
    };

    private static Message CatchUp(long fromSlot, long toSlot, long commit, int to = 1) => new()
    {
        Type = MessageType.CatchUp, From = 0, To = to, Ballot = LeaderBallot, CommitIndex = commit, RequestTick = 5,
        Entries = Enumerable.Range((int)fromSlot, (int)(toSlot - fromSlot + 1)).Select(s => new LogEntry(s, LeaderBallot, NoOp(LeaderBallot, s))).ToList(),
    };

    private static Message Prepare(Ballot ballot, long commit, int from = 2, int to = 1) => new()
    {
        Type = MessageType.Prepare, From = from, To = to, Ballot = ballot, CommitIndex = commit, RequestTick = 5,
    };

    private static void AssertNoVoteNoLease(Ready ready)
    {
        Assert.DoesNotContain(ready.Messages.Concat(ready.EagerMessages), m =>
            m.Type is MessageType.Promise or MessageType.Accepted or MessageType.HeartbeatAck or MessageType.Prepare);
        Assert.Null(ready.Persist.PromisedBallot);
    }

    [Fact]
    public void Rebuilding_replica_sends_no_Promise_no_Accepted_no_ack_stores_no_vote_and_never_campaigns()
    {
        var replica = Rebuilding(1);
        Assert.True(replica.IsRebuilding);
        Assert.Equal(0, replica.RebuildTargetSlot);
        Cycle(replica);

        replica.Step(Accept(slot: 1, commit: 0));
        var ready = Cycle(replica);
        AssertNoVoteNoLease(ready);
        Assert.Empty(ready.Persist.Entries); // the value is not stored: it could be reported as accepted later
        Assert.Empty(ready.Messages); // nothing decided that it lacks: no catch-up request either
        Assert.Equal(9, replica.RebuildTargetSlot); // beyond the leader's window (0 + 8) when it sent the Accept
        Assert.Equal(0, replica.LeaderId);

        replica.Step(Prepare(new Ballot(4, 2), commit: 0));
        Assert.False(replica.HasReady); // silent: no Promise, no Nack, no persisted promise
        Assert.Equal(Ballot.Zero, replica.PromisedBallot);

        replica.Step(Heartbeat(commit: 0));
        Assert.Empty(Cycle(replica).Messages);

        for (var tick = 0; tick < 500; tick++)
        {
            replica.Tick();
            if (replica.HasReady)
            {
                AssertNoVoteNoLease(Cycle(replica));
            }
        }
        Assert.Equal(Role.Follower, replica.Role);
        Assert.Equal(Ballot.Zero, replica.PromisedBallot);
        Assert.True(replica.IsRebuilding);
        Assert.Throws<ConsensusInvariantException>(() => Rebuilding(1, CommittedDisk(2)));
    }

    private static DurableState CommittedDisk(int slots)
    {
        var disk = new DurableState { PromisedBallot = LeaderBallot, CommitIndex = slots };
        for (var slot = 1; slot <= slots; slot++)
        {
            disk.Entries[slot] = new LogEntry(slot, LeaderBallot, NoOp(LeaderBallot, slot));
        }
        return disk;
    }

    [Fact]
    public void Rebuilding_replica_asks_for_catch_up_with_a_Nack_catches_up_by_CatchUp_then_promises_and_votes_normally()
    {
        var replica = Rebuilding(1, windowSlots: 1);
        Cycle(replica);

        replica.Step(Heartbeat(commit: 3));
        Assert.Equal(5, replica.RebuildTargetSlot); // 3 + window 1 + 1
        var ready = Cycle(replica);
        AssertNoVoteNoLease(ready);
        var request = Assert.Single(ready.Messages);
        Assert.Equal((MessageType.Nack, 0, LeaderBallot, 0L, 0L, 3L),
            (request.Type, request.To, request.Ballot, request.Slot, request.CommitIndex, request.EchoCommitIndex));

        replica.Step(CatchUp(1, 3, commit: 3));
        ready = Cycle(replica);
        Assert.Equal([1L, 2L, 3L], ready.Persist.Entries.Select(e => e.Slot)); // decided values only
        Assert.Equal([1L, 2L, 3L], ready.Decided.Select(d => d.Slot));
        Assert.Empty(ready.Messages); // caught up with what the leader knows, but S = 5 is not decided yet
        Assert.True(replica.IsRebuilding);

        replica.Step(Accept(slot: 4, commit: 3));
        replica.Step(Accept(slot: 5, commit: 4));
        ready = Cycle(replica);
        AssertNoVoteNoLease(ready);
        Assert.Empty(ready.Persist.Entries);
        Assert.Equal(MessageType.Nack, Assert.Single(ready.Messages).Type);

        replica.Step(CatchUp(4, 5, commit: 5));
        Assert.False(replica.IsRebuilding);
        ready = Cycle(replica);
        Assert.Equal(LeaderBallot, ready.Persist.PromisedBallot); // raised to the highest ballot it saw, made durable
        Assert.Equal(5, ready.Persist.CommitIndex);
        Assert.Equal(MessageType.HeartbeatAck, Assert.Single(ready.Messages).Type); // an ordinary follower now

        replica.Step(Accept(slot: 6, commit: 5));
        ready = Cycle(replica);
        Assert.Equal([6L], ready.Persist.Entries.Select(e => e.Slot));
        Assert.Equal(MessageType.Accepted, Assert.Single(ready.Messages).Type);

        for (var tick = 0; tick < 17; tick++)
        {
            replica.Tick(); // past the lease it granted the leader (and its restart lease)
        }
        replica.Step(Prepare(new Ballot(2, 2), commit: 5));
        ready = Cycle(replica);
        Assert.Equal(new Ballot(2, 2), ready.Persist.PromisedBallot);
        var promise = Assert.Single(ready.Messages);
        Assert.Equal(MessageType.Promise, promise.Type);
        Assert.Equal([6L], promise.Entries.Select(e => e.Slot));
    }

    [Fact]
    public void Rebuilding_replica_ends_the_rebuild_on_a_snapshot_at_or_past_its_target_and_promises_the_highest_ballot_it_saw()
    {
        var replica = Rebuilding(1, windowSlots: 1);
        Cycle(replica);
        replica.Step(Prepare(new Ballot(3, 2), commit: 0)); // ignored, but remembered
        replica.Step(Heartbeat(commit: 20));
        Assert.Equal(22, replica.RebuildTargetSlot);
        Cycle(replica);

        Assert.True(replica.InstallSnapshot(21)); // below the target: still a learner
        Assert.True(replica.IsRebuilding);
        Assert.Null(Cycle(replica).Persist.PromisedBallot);

        Assert.True(replica.InstallSnapshot(25));
        Assert.False(replica.IsRebuilding);
        var ready = Cycle(replica);
        Assert.Equal(new Ballot(3, 2), ready.Persist.PromisedBallot); // a Prepare it ignored may be one it promised before the damage

        // The leader's ballot is below that promise now: it gets a refusal and steps down.
        replica.Step(Accept(slot: 26, commit: 25));
        var nack = Assert.Single(Cycle(replica).Messages);
        Assert.Equal((MessageType.Nack, new Ballot(3, 2)), (nack.Type, nack.Ballot));

        var voter = Rebuilding(1, windowSlots: 1);
        voter.Step(Heartbeat(commit: 20));
        Cycle(voter);
        voter.InstallSnapshot(22);
        Assert.False(voter.IsRebuilding);
        voter.Step(Accept(slot: 23, commit: 22));
        var accepted = Cycle(voter);
        Assert.Equal(LeaderBallot, accepted.Persist.PromisedBallot);
        Assert.Equal(MessageType.Accepted, Assert.Single(accepted.Messages).Type);
    }

    [Fact]
    public void Leader_answers_a_rebuilding_replicas_Nack_with_CatchUp_or_a_snapshot_and_counts_it_as_neither_vote_nor_lease()
    {
        var group = new Group(3);
        group.RunUntil(() => group.Leader is not null, 500);
        group.ProposeAndRun(12);
        var leader = group.Leader!;
        var rebuilding = group.Ids.First(i => i != leader.Id);
        var down = group.Ids.First(i => i != leader.Id && i != rebuilding);
        group.Damage(rebuilding);
        group.Down.Add(down);
        var mark = group.Sent.Count;
        var commit = leader.CommitIndex;
        Assert.True(commit >= 12);

        group.Run(3);
        Assert.Contains(group.Sent.Skip(mark), m => m.From == rebuilding && m.Type == MessageType.Nack && m.Slot == 0);
        Assert.Contains(group.Sent.Skip(mark), m => m.To == rebuilding && m.Type == MessageType.CatchUp);
        Assert.Equal(commit, group.Replicas[rebuilding].CommitIndex); // learned everything decided
        Assert.True(group.Replicas[rebuilding].IsRebuilding); // but nothing decided after it started

        group.Run(DefaultOptions.LeaseTicks - 2); // 17 ticks without the down replica: its lease (16 - 3 drift) ran out
        Assert.Equal(Role.Leader, leader.Role); // not yet an election timeout (20) without a majority, so it still leads
        Assert.False(leader.CanServeLocalReads); // the rebuilding replica's replies are no lease
        // Not even a catch-up request that happened to carry a fresh request tick.
        leader.Step(new Message
        {
            Type = MessageType.Nack, From = rebuilding, To = leader.Id, Ballot = leader.PromisedBallot,
            CommitIndex = 0, EchoCommitIndex = leader.CommitIndex, RequestTick = leader.CurrentTick,
        });
        Assert.False(leader.CanServeLocalReads);
        Assert.Equal(ReadStatus.Pending, leader.Read(77));
        var ready = leader.GetReady();
        leader.Advance(ready);
        Assert.Empty(ready.Reads); // not served locally: it rides on the next batch, which cannot commit
        Assert.DoesNotContain(group.Sent.Skip(mark), m => m.From == rebuilding && m.Type is MessageType.HeartbeatAck or MessageType.Accepted or MessageType.Promise);

        // With its log compacted, the leader lists the rebuilding replica for a snapshot instead.
        var fresh = new Group(3);
        fresh.RunUntil(() => fresh.Leader is not null, 500);
        fresh.ProposeAndRun(6);
        var compacting = fresh.Leader!;
        compacting.Compact(compacting.AppliedIndex);
        var learner = fresh.Ids.First(i => i != compacting.Id);
        fresh.Damage(learner);
        fresh.Run(5);
        Assert.Contains(learner, fresh.SnapshotTargets);
        Assert.Equal(compacting.SnapshotSlot, fresh.Replicas[learner].SnapshotSlot);
        Assert.True(fresh.Replicas[learner].IsRebuilding);
    }

    [Fact]
    public void Three_replicas_with_one_rebuilding_and_one_down_commit_nothing_until_the_down_one_returns_then_the_rebuilt_one_votes()
    {
        var group = new Group(3);
        group.RunUntil(() => group.Leader is not null, 500);
        group.ProposeAndRun(5);
        var leader = group.Leader!.Id;
        var rebuilding = group.Ids.First(i => i != leader);
        var down = group.Ids.First(i => i != leader && i != rebuilding);
        group.Damage(rebuilding);
        group.Down.Add(down);
        var mark = group.Sent.Count;
        var before = group.Ids.Max(i => group.Replicas[i].CommitIndex);

        for (var tick = 0; tick < 400; tick++)
        {
            group.Propose();
            group.Run(1);
        }

        Assert.Equal(before, group.Ids.Where(i => !group.Down.Contains(i)).Max(i => group.Replicas[i].CommitIndex));
        Assert.True(group.Replicas[rebuilding].IsRebuilding);
        Assert.Equal(Ballot.Zero, group.Replicas[rebuilding].PromisedBallot);
        Assert.DoesNotContain(group.Sent.Skip(mark), m => m.From == rebuilding && m.Type is MessageType.Promise or MessageType.Accepted or MessageType.HeartbeatAck or MessageType.Prepare);
        Assert.Null(group.Leader); // the old leader stepped down and no one can win without the rebuilding replica

        group.Restart(down);
        group.RunUntil(() => !group.Replicas[rebuilding].IsRebuilding, 2000, propose: true);

        var rebuilt = group.Replicas[rebuilding];
        Assert.True(rebuilt.CommitIndex >= rebuilt.RebuildTargetSlot);
        group.AssertLogsAgree();

        // Now it votes: with another replica down, it and the leader still make progress.
        group.RunUntil(() => group.Leader is not null, 500, propose: true);
        var other = group.Ids.First(i => i != rebuilding && i != group.Leader!.Id);
        group.Down.Add(other);
        var commitWithTwo = group.Leader!.CommitIndex;
        var markWithTwo = group.Sent.Count;
        group.RunUntil(() => group.Leader is { } l && l.CommitIndex >= commitWithTwo + 5, 500, propose: true);
        Assert.Contains(group.Sent.Skip(markWithTwo), m => m.From == rebuilding && m.Type == MessageType.Accepted);
        group.AssertLogsAgree();
    }

    /// <summary>An in-memory group: every Ready is handled at once, messages to or from a down replica are lost.</summary>
    private sealed class Group
    {
        private readonly int size;
        private List<Message> network = new();
        private long sequence;
        private int seed = 100;

        public Group(int size)
        {
            this.size = size;
            foreach (var id in Ids)
            {
                Disks[id] = new DurableState();
                Replicas[id] = new Replica(Options(id, size), Disks[id], new Random(seed++));
            }
        }

        public IEnumerable<int> Ids => Enumerable.Range(0, size);

        public Dictionary<int, Replica> Replicas { get; } = new();

        public Dictionary<int, DurableState> Disks { get; } = new();

        public HashSet<int> Down { get; } = new();

        public List<Message> Sent { get; } = new();

        public List<int> SnapshotTargets { get; } = new();

        public Replica? Leader => Ids.Where(i => !Down.Contains(i)).Select(i => Replicas[i]).FirstOrDefault(r => r.Role == Role.Leader);

        /// <summary>Storage found a corrupt record in the middle: the log is discarded, the replica rebuilds.</summary>
        public void Damage(int id)
        {
            Disks[id] = new DurableState();
            Replicas[id] = new Replica(Options(id, size), Disks[id], new Random(seed++), rebuilding: true);
        }

        public void Restart(int id)
        {
            Down.Remove(id);
            Replicas[id] = new Replica(Options(id, size), Disks[id].Clone(), new Random(seed++));
        }

        public void Propose()
        {
            Leader?.Propose(new Command(1, ++sequence, 1000, new byte[] { 1 }));
        }

        public void ProposeAndRun(long commits)
        {
            RunUntil(() => Leader is { } l && l.CommitIndex >= commits, 1000, propose: true);
        }

        public void RunUntil(Func<bool> done, int maxTicks, bool propose = false)
        {
            for (var tick = 0; tick < maxTicks && !done(); tick++)
            {
                if (propose)
                {
                    Propose();
                }
                Run(1);
            }
            Assert.True(done(), "the group did not get there in time");
        }

        public void Run(int ticks)
        {
            for (var tick = 0; tick < ticks; tick++)
            {
                foreach (var id in Ids.Where(i => !Down.Contains(i)))
                {
                    Replicas[id].Tick();
                }
                Flush();
            }
        }

        private void Flush()
        {
            for (var round = 0; round < 100; round++)
            {
                var handled = false;
                foreach (var id in Ids.Where(i => !Down.Contains(i)))
                {
                    var replica = Replicas[id];
                    while (replica.HasReady)
                    {
                        handled = true;
                        var ready = replica.GetReady();
                        Disks[id].Apply(ready.Persist);
                        network.AddRange(ready.EagerMessages);
                        network.AddRange(ready.Messages);
                        replica.Advance(ready);
                        foreach (var peer in ready.SnapshotsToSend)
                        {
                            SnapshotTargets.Add(peer);
                            var target = Replicas[peer];
                            if (!Down.Contains(peer) && replica.SnapshotSlot > target.AppliedIndex)
                            {
                                Disks[peer].CompactThrough(replica.SnapshotSlot);
                                Assert.True(target.InstallSnapshot(replica.SnapshotSlot));
                            }
                        }
                    }
                }
                var batch = network;
                network = new();
                foreach (var message in batch.Where(m => !Down.Contains(m.From) && !Down.Contains(m.To)))
                {
                    Sent.Add(message);
                    Replicas[message.To].Step(message);
                }
                if (!handled && batch.Count == 0)
                {
                    return;
                }
            }
        }

        /// <summary>Every slot two replicas both hold as decided has the same value.</summary>
        public void AssertLogsAgree()
        {
            foreach (var a in Ids)
            {
                foreach (var b in Ids.Where(b => b > a))
                {
                    var through = Math.Min(Disks[a].CommitIndex, Disks[b].CommitIndex);
                    for (var slot = Math.Max(Disks[a].SnapshotSlot, Disks[b].SnapshotSlot) + 1; slot <= through; slot++)
                    {
                        Assert.Equal(Disks[a].Entries[slot].Batch.Id, Disks[b].Entries[slot].Batch.Id);
                    }
                }
            }
        }
    }
}
