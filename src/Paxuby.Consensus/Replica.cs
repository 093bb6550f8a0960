namespace Paxuby.Consensus;

/// <summary>
/// One Multi-Paxos replica (acceptor, learner, and proposer when leader) as a pure, single-threaded
/// state machine: input through <see cref="Step"/>, <see cref="Tick"/>, <see cref="Propose"/> and
/// <see cref="Read"/>; output through <see cref="GetReady"/> / <see cref="Advance"/>. No I/O, no
/// clock, no threads; randomness only from the <see cref="Random"/> it is given.
/// Invariants, checked on every change: snapshot floor ≤ applied ≤ committed; the log holds no slot
/// at or below the floor; every slot above the floor up to the commit index is decided; a decided
/// slot's value never changes; the promised ballot never goes down; an accepted ballot never exceeds
/// the promise it was accepted under.
/// Compaction (<see cref="Compact"/>, <see cref="InstallSnapshot"/>) adds two acceptor rules, argued
/// where they are applied (<c>OnPrepare</c>, <c>OnAccept</c>): an acceptor whose floor is above a
/// candidate's commit index does not promise it, and an Accept at or below the floor is answered
/// without being stored.
/// The driver derives ticks from a monotonic clock and calls <see cref="Tick"/> for every tick that
/// has passed, a pause included, before it steps messages or asks for reads: leases are counted in
/// ticks, so a tick count that lags real time would stretch them.
/// </summary>
public sealed class Replica
{
    private const int LearnScanLimitSlots = 4096;

    private sealed class SlotState(Ballot ballot, Batch batch)
    {
        public Ballot Ballot { get; set; } = ballot;
        public Batch Batch { get; set; } = batch;
        public bool Decided { get; set; }
    }

    private sealed class InFlightSlot(Batch batch, long sentTick)
    {
        public Batch Batch { get; } = batch;
        public ulong Votes { get; set; }
        public long SentTick { get; set; } = sentTick;
    }

    private enum SelfVoteKind : byte { Promise, Accepted }

    private readonly record struct SelfVote(SelfVoteKind Kind, Ballot Ballot, long Slot);

    private readonly ReplicaOptions options;
    private readonly TestFaults faults;
    private readonly Random random;
    private readonly int id;
    private readonly int[] peers;
    private readonly PeerProgress[] progress = new PeerProgress[ReplicaOptions.MaxReplicaId + 1];

    // Acceptor and learner state. The log mirrors durable state plus what is being written; it holds
    // only slots above snapshotSlot (the floor), whose values live in the state machine's snapshot.
    private readonly Dictionary<long, SlotState> log = new();
    private long snapshotSlot;
    private Ballot promised;
    private long commitIndex;
    private long appliedIndex;
    private long maxSlot;
    private long maxKnownTimestampMs;
    private Ballot learnBallot;
    private long learnedThrough;
    private Ballot? leaseGrantedTo; // null after a restart: whoever held a lease then is unknown
    private long leaseGrantedUntilTick;

    // Rebuilding (see the constructor): a learner only, until its commit index reaches rebuildTargetSlot.
    private bool rebuilding;
    private long rebuildTargetSlot; // 0 until the first message of a leader sets it
    private Ballot rebuildMaxBallot; // the highest ballot seen in any message while rebuilding

    // Time and roles.
    private long now;
    private Role role = Role.Follower;
    private int leaderId = -1;
    private Ballot ballot;
    private long highestSeenRound;
    private int electionElapsedTicks;
    private int electionTimeoutTicks;

    // Candidate.
    private ulong promiseVotes;
    private readonly Dictionary<long, LogEntry> promisedEntries = new();

    // Leader.
    private readonly Dictionary<long, InFlightSlot> inFlight = new();
    private long nextSlot = 1;
    private long ownBallotFirstSlot;
    private long lastBatchTimestampMs;
    private readonly Queue<Command> pendingCommands = new();
    private long pendingBytes;
    private List<long> readsWaitingForBatch = new();
    private readonly Dictionary<long, List<long>> readsBySlot = new();
    private int pendingReadCount;

    // Outbox for the next Ready.
    private List<LogEntry> persistEntries = new();
    private List<int> snapshotsToSend = new();
    private bool promiseDirty;
    private bool commitDirty;
    private bool roleDirty;
    private List<Message> eagerMessages = new();
    private List<Message> messages = new();
    private List<ReadState> reads = new();
    private List<long> failedReads = new();
    private List<Command> droppedProposals = new();
    private List<SelfVote> selfVotes = new();

    // The Ready handed out and not yet advanced, and the own votes that wait for its persist.
    private Ready? inFlightReady;
    private List<SelfVote> inFlightSelfVotes = new();

    /// <summary>
    /// Rebuilds a replica from what survived on disk. <paramref name="appliedSlot"/> is the slot the
    /// state machine has already applied (from its snapshot; 0 when it starts empty): at least
    /// <see cref="DurableState.SnapshotSlot"/> and at most the recovered commit index. Slots up to the
    /// snapshot slot are not in the log; the decided prefix starts right after it. A driver that
    /// crashed after making an installed snapshot durable but before recording its compaction finds a
    /// snapshot newer than the log's commit index: it calls <see cref="DurableState.CompactThrough"/>
    /// with the snapshot's slot before passing the state here (the snapshot proves those slots decided).
    /// <para>
    /// <paramref name="rebuilding"/>: storage found the log damaged (a corrupt record in the middle),
    /// so this replica can no longer vouch for what it promised or accepted. The driver discards that
    /// log and passes a state with no entries (a snapshot only, or nothing; see
    /// <see cref="DurableState.CompactThrough"/>). Until it has caught up (<see cref="IsRebuilding"/>
    /// turns false) the replica is a non-voting learner, as in "Paxos Made Live": it never promises,
    /// never votes, never campaigns and grants no lease; it only learns decided slots (CatchUp,
    /// <see cref="InstallSnapshot"/>). The driver keeps its own durable "rebuilding" marker from the
    /// moment it discards the log and passes <c>rebuilding: true</c> on every restart until it has
    /// seen <see cref="IsRebuilding"/> false after an <see cref="Advance"/> (the Ready that ended the
    /// rebuild carries the raised promise in its Persist).
    /// </para>
    /// </summary>
    public Replica(ReplicaOptions options, DurableState recovered, Random random, long appliedSlot = 0, bool rebuilding = false)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(recovered);
        ArgumentNullException.ThrowIfNull(random);
        options.Validate();
        this.options = options;
        this.random = random;
        faults = options.Faults;
        id = options.ReplicaId;
        peers = options.ReplicaIds.Where(r => r != id).Order().ToArray();
        foreach (var peer in peers)
        {
            progress[peer] = new PeerProgress();
        }

        // A rebuilding replica trusts nothing of its acceptor state but the snapshot (decided slots).
        Invariant.Require(!rebuilding || recovered.Entries.Count == 0, "a rebuilding replica starts from a snapshot only (no log entries)");
        this.rebuilding = rebuilding;
        // The snapshot belongs to the state machine, not to the acceptor: even the broken variant that
        // forgets the acceptor's state keeps it (and takes the applied state as its floor).
        Invariant.Require(recovered.SnapshotSlot >= 0, "snapshot slot >= 0");
        snapshotSlot = faults.ForgetDurableStateOnRestart ? Math.Max(recovered.SnapshotSlot, appliedSlot) : recovered.SnapshotSlot;
        commitIndex = snapshotSlot;
        maxSlot = snapshotSlot;
        if (!faults.ForgetDurableStateOnRestart)
        {
            promised = faults.ForgetPromiseOnRestart ? Ballot.Zero : recovered.PromisedBallot;
            foreach (var (slot, entry) in recovered.Entries)
            {
                if (slot <= snapshotSlot)
                {
                    continue; // decided and covered by the snapshot (storage normally drops these)
                }
                // A Ready that accepts above the promise writes the entry before the raised promise;
                // a crash that keeps a torn prefix may keep the entry alone. Accepting meant
                // promising at least that ballot: never accept below it again.
                if (!faults.ForgetPromiseOnRestart)
                {
                    promised = Ballot.Max(promised, entry.Ballot);
                }
                log[slot] = new SlotState(entry.Ballot, entry.Batch);
                maxSlot = Math.Max(maxSlot, slot);
                maxKnownTimestampMs = Math.Max(maxKnownTimestampMs, entry.Batch.TimestampMs);
            }
            for (var slot = snapshotSlot + 1; slot <= recovered.CommitIndex; slot++)
            {
                if (!log.TryGetValue(slot, out var state))
                {
                    Invariant.Fail("recovered log holds every committed slot above the snapshot");
                }
                state.Decided = true;
            }
            commitIndex = Math.Max(recovered.CommitIndex, snapshotSlot);
        }
        Invariant.Require(appliedSlot >= snapshotSlot && appliedSlot <= commitIndex, "snapshot slot <= applied <= committed on recovery");
        appliedIndex = appliedSlot;
        highestSeenRound = promised.Round;
        // Leases granted before the crash died with memory: promise nobody for a whole lease.
        leaseGrantedTo = null;
        leaseGrantedUntilTick = options.LeaseTicks;
        roleDirty = true;
        ResetElectionTimer();
    }

    public int Id => id;

    public Role Role => role;

    /// <summary>The leader this replica follows (itself when leader); -1 when unknown.</summary>
    public int LeaderId => leaderId;

    public Ballot PromisedBallot => promised;

    /// <summary>
    /// True while this replica rebuilds after its log was damaged: a non-voting learner (no Promise,
    /// no Accepted, no lease, no campaign) until its commit index reaches <see cref="RebuildTargetSlot"/>.
    /// </summary>
    public bool IsRebuilding => rebuilding;

    /// <summary>
    /// While rebuilding: the slot whose decision ends the rebuild, set from the first Accept or
    /// Heartbeat of a leader (0 until then). See <c>NoteLeaderWhileRebuilding</c>.
    /// </summary>
    public long RebuildTargetSlot => rebuildTargetSlot;

    public long CommitIndex => commitIndex;

    public long AppliedIndex => appliedIndex;

    /// <summary>
    /// The compaction floor: every slot up to it is decided and lives only in the state machine's
    /// snapshot; the log holds nothing at or below it. 0 before the first compaction.
    /// </summary>
    public long SnapshotSlot => snapshotSlot;

    /// <summary>Slots held in memory (all above <see cref="SnapshotSlot"/>): what compaction bounds.</summary>
    public int LogSlotCount => log.Count;

    public long CurrentTick => now;

    public int PendingProposalCount => pendingCommands.Count;

    /// <summary>True when this leader may serve reads locally now (majority of leases, own ballot committed).</summary>
    public bool CanServeLocalReads => CanServeLocalReadsAt(now);

    /// <summary>
    /// True when this leader may serve a read locally at its driver's tick <paramref name="tick"/>
    /// (which may run ahead of <see cref="CurrentTick"/> while the driver is busy): it leads, has
    /// committed an entry of its own ballot, and a majority of leases still hold at that tick. A
    /// driver that serves such a read without <see cref="Read"/> must have applied every slot up to
    /// <see cref="CommitIndex"/> first. A pure query: nothing changes.
    /// </summary>
    public bool CanServeLocalReadsAt(long tick) =>
        role == Role.Leader && commitIndex >= ownBallotFirstSlot
        && (faults.ReadWithoutLease || HoldsLeaseMajority(Math.Max(tick, now)));

    /// <summary>True when <see cref="GetReady"/> has something to hand out (false while a Ready awaits Advance).</summary>
    public bool HasReady =>
        inFlightReady is null
        && (persistEntries.Count > 0 || promiseDirty || commitDirty || roleDirty
            || eagerMessages.Count > 0 || messages.Count > 0 || snapshotsToSend.Count > 0 || appliedIndex < commitIndex
            || reads.Count > 0 || failedReads.Count > 0 || droppedProposals.Count > 0 || selfVotes.Count > 0
            || CanProposeBatch());

    // ---------------------------------------------------------------- inputs

    /// <summary>Handles one message from a peer. Unknown senders and types are ignored.</summary>
    public void Step(Message message)
    {
        ArgumentNullException.ThrowIfNull(message);
        // Input from the network never trips an invariant: misrouted or unknown messages are dropped.
        if (message.To != id || message.From == id || message.From < 0 || message.From > ReplicaOptions.MaxReplicaId || progress[message.From] is null)
        {
            return;
        }
        highestSeenRound = Math.Max(highestSeenRound, message.Ballot.Round);
        if (rebuilding)
        {
            // Whatever ballot exists anywhere may be one this replica promised before the damage.
            rebuildMaxBallot = Ballot.Max(rebuildMaxBallot, message.Ballot);
        }
        switch (message.Type)
        {
            case MessageType.Prepare: OnPrepare(message); break;
            case MessageType.Promise: OnPromise(message); break;
            case MessageType.Accept: OnAccept(message); break;
            case MessageType.Accepted: OnAccepted(message); break;
            case MessageType.Heartbeat: OnHeartbeat(message); break;
            case MessageType.HeartbeatAck: OnHeartbeatAck(message); break;
            case MessageType.Nack: OnNack(message); break;
            case MessageType.CatchUp: OnCatchUp(message); break;
            default: break;
        }
        CheckInvariants();
    }

    /// <summary>Advances time by one tick: heartbeats, resends and quorum checks, or election timeouts.</summary>
    public void Tick()
    {
        now++;
        if (role == Role.Leader)
        {
            TickLeader();
        }
        else
        {
            electionElapsedTicks++;
            // A lease this replica granted to someone else still binds it: wait it out.
            if (electionElapsedTicks >= electionTimeoutTicks && !LeaseBlocks(null) && !rebuilding)
            {
                Campaign();
            }
        }
        CheckInvariants();
    }

    /// <summary>Queues a command for the next batch (leader only, bounded).</summary>
    public ProposeStatus Propose(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (role != Role.Leader)
        {
            return ProposeStatus.NotLeader;
        }
        if (command.SizeBytes > options.MaxBatchBytes)
        {
            return ProposeStatus.TooLarge;
        }
        if (pendingCommands.Count >= options.MaxPendingCommands || pendingBytes + command.SizeBytes > options.MaxPendingBytes)
        {
            return ProposeStatus.Busy;
        }
        pendingCommands.Enqueue(command);
        pendingBytes += command.SizeBytes;
        return ProposeStatus.Accepted;
    }

    /// <summary>
    /// Asks to serve a read. While the leader holds a majority of leases and has committed an entry
    /// of its own ballot it answers at once with the current commit index; otherwise the read rides
    /// on the next batch and is answered once that batch is decided as proposed.
    /// </summary>
    public ReadStatus Read(long readId)
    {
        if (role != Role.Leader)
        {
            return ReadStatus.NotLeader;
        }
        if (pendingReadCount + reads.Count >= options.MaxPendingReads)
        {
            return ReadStatus.Busy;
        }
        var localReadAllowed = commitIndex >= ownBallotFirstSlot && (faults.ReadWithoutLease || HoldsLeaseMajority());
        if (localReadAllowed)
        {
            reads.Add(new ReadState(readId, commitIndex));
        }
        else
        {
            readsWaitingForBatch.Add(readId);
            pendingReadCount++;
        }
        return ReadStatus.Pending;
    }

    /// <summary>
    /// The driver made a snapshot of the state machine durable that covers every slot up to
    /// <paramref name="throughSlot"/> (at most <see cref="AppliedIndex"/>): the log drops those slots
    /// and <see cref="SnapshotSlot"/> becomes <paramref name="throughSlot"/>. A slot at or below the
    /// current floor is ignored. A driver that wants to serve catch-up from the log for a while may
    /// pass less than its snapshot's slot. Storage compacts its own copy
    /// (<see cref="DurableState.CompactThrough"/>); this persists nothing.
    /// </summary>
    public void Compact(long throughSlot)
    {
        Invariant.Require(throughSlot <= appliedIndex, "compaction covers only applied slots");
        if (throughSlot <= snapshotSlot)
        {
            return;
        }
        DropLogThrough(throughSlot);
        CheckInvariants();
    }

    /// <summary>
    /// The driver restored the state machine from a snapshot that covers every slot up to
    /// <paramref name="slot"/> (received from the leader after it listed this replica in
    /// <see cref="Ready.SnapshotsToSend"/>) and made that snapshot durable. Only between
    /// <see cref="Advance"/> and <see cref="GetReady"/>. Ignored (false) when <paramref name="slot"/>
    /// is not above <see cref="AppliedIndex"/>: check that before restoring the state machine.
    /// Otherwise the floor, the applied index and (if lower) the commit index become
    /// <paramref name="slot"/>, the log keeps only the slots above it (accepted votes there still
    /// count), and catch-up resumes from the next slot. A candidate or leader steps down first: its
    /// proposals and reads at or below the slot can no longer be matched to a decided value.
    /// </summary>
    public bool InstallSnapshot(long slot)
    {
        Invariant.Require(inFlightReady is null, "InstallSnapshot only between Advance and GetReady");
        if (slot <= appliedIndex)
        {
            return false;
        }
        if (role != Role.Follower)
        {
            BecomeFollower(-1);
        }
        DropLogThrough(slot);
        appliedIndex = slot;
        maxSlot = Math.Max(maxSlot, slot);
        if (commitIndex < slot)
        {
            commitIndex = slot;
            commitDirty = true;
        }
        learnedThrough = Math.Max(learnedThrough, commitIndex);
        AdvanceCommit(); // decided entries kept above the slot may extend the prefix now
        MaybeFinishRebuild();
        CheckInvariants();
        return true;
    }

    private void DropLogThrough(long slot)
    {
        // The log holds few slots (those above the floor), so a scan is bounded by what is kept;
        // counting up from the old floor instead would walk a whole snapshot's worth of slots.
        if (slot - snapshotSlot <= log.Count)
        {
            for (var s = snapshotSlot + 1; s <= slot; s++)
            {
                log.Remove(s);
            }
        }
        else
        {
            foreach (var s in log.Keys.Where(s => s <= slot).ToList())
            {
                log.Remove(s);
            }
        }
        snapshotSlot = slot;
        persistEntries.RemoveAll(e => e.Slot <= slot); // storage keeps nothing at or below its snapshot either
        foreach (var s in promisedEntries.Keys.Where(s => s <= slot).ToList())
        {
            promisedEntries.Remove(s);
        }
    }

    // ---------------------------------------------------------------- Ready

    /// <summary>Takes everything to do; see <see cref="Ready"/> for the order and the rules.</summary>
    public Ready GetReady()
    {
        Invariant.Require(inFlightReady is null, "Advance the previous Ready before the next GetReady");
        ProposeBatches();

        var decided = new List<DecidedSlot>();
        var last = Math.Min(commitIndex, appliedIndex + options.MaxDecidedPerReady);
        for (var slot = appliedIndex + 1; slot <= last; slot++)
        {
            var state = log[slot];
            Invariant.Require(state.Decided, "slots up to the commit index are decided");
            decided.Add(new DecidedSlot(slot, state.Batch));
        }

        var persist = persistEntries.Count == 0 && !promiseDirty && !commitDirty
            ? PersistRecords.Empty
            : new PersistRecords(persistEntries, promiseDirty ? promised : null, commitDirty ? commitIndex : null);
        var ready = new Ready(persist, eagerMessages, messages, decided, reads, failedReads, droppedProposals,
            roleDirty ? new RoleState(role, leaderId, promised) : null, snapshotsToSend);

        persistEntries = new();
        promiseDirty = false;
        commitDirty = false;
        roleDirty = false;
        eagerMessages = new();
        messages = new();
        snapshotsToSend = new();
        reads = new();
        failedReads = new();
        droppedProposals = new();
        inFlightSelfVotes = selfVotes;
        selfVotes = new();
        inFlightReady = ready;
        return ready;
    }

    /// <summary>
    /// Acknowledges that <paramref name="ready"/> was handled: Persist durable, messages sent,
    /// Decided applied. Only now do the replica's own votes in it count.
    /// </summary>
    public void Advance(Ready ready)
    {
        ArgumentNullException.ThrowIfNull(ready);
        Invariant.Require(ReferenceEquals(ready, inFlightReady), "Advance takes the Ready from the last GetReady");
        if (ready.Decided.Count > 0)
        {
            Invariant.Require(ready.Decided[0].Slot == appliedIndex + 1, "decided slots are applied in order, once");
            appliedIndex = ready.Decided[^1].Slot;
        }
        inFlightReady = null;
        var votes = inFlightSelfVotes;
        inFlightSelfVotes = new();
        foreach (var vote in votes)
        {
            OnSelfVote(vote);
        }
        CheckInvariants();
    }

    // ---------------------------------------------------------------- acceptor

    private void OnPrepare(Message m)
    {
        if (rebuilding)
        {
            // No Promise (it cannot report what it accepted before the damage, nor honour what it
            // promised), no Nack (a candidate would read it as a refusal or a snapshot hint), and
            // no raised promise: it stays silent, as if the Prepare were lost. Its ballot is
            // remembered (Step) and promised when the rebuild ends.
            return;
        }
        if (m.Ballot < promised)
        {
            SendNack(m);
            return;
        }
        // Compaction rule for phase 1. A Promise must report the accepted values of every slot above
        // the candidate's commit index; slots at or below this replica's floor are gone from its log.
        // So an acceptor whose floor is above the candidate's commit index neither promises nor
        // raises its promised ballot: it stays silent, exactly as if the Prepare were lost. Safety
        // then rests on the usual argument: every acceptor in a candidate's promise quorum has a floor
        // at or below the candidate's commit index C, hence still holds (and reports) every accepted
        // value above C, and the candidate proposes only above C. Liveness: the replica with the
        // highest commit index has a commit index at or above every floor, so it can always gather
        // promises, and this acceptor does not reset its election timer for a Prepare it refuses.
        // It does answer with a hint, a Nack that carries the Prepare's own ballot (an ordinary Nack
        // carries a higher one), its commit index and its floor (Slot): the behind candidate then
        // gives up its candidacy and the lease it granted itself (OnNack), so it stops both
        // campaigning in a loop and, through that lease, refusing the up-to-date replicas' Prepares.
        // Seed 2001228 (R=3) spent 250 ticks in such a duel without the hint.
        if (m.CommitIndex < snapshotSlot && !faults.PromiseDespiteSnapshotFloor)
        {
            messages.Add(new Message
            {
                Type = MessageType.Nack, From = id, To = m.From, Ballot = m.Ballot, Slot = snapshotSlot,
                CommitIndex = commitIndex, EchoCommitIndex = m.CommitIndex,
            });
            return;
        }
        if (m.Ballot > promised)
        {
            if (LeaseBlocks(m.Ballot))
            {
                return; // the candidate retries after its timeout, when the lease may have run out
            }
            PromiseBallot(m.Ballot, leader: -1);
        }
        GrantLease(m.Ballot);
        electionElapsedTicks = 0;
        var entries = new List<LogEntry>();
        for (var slot = Math.Max(m.CommitIndex, snapshotSlot) + 1; slot <= maxSlot; slot++)
        {
            if (log.TryGetValue(slot, out var state))
            {
                entries.Add(new LogEntry(slot, state.Ballot, state.Batch));
            }
        }
        messages.Add(new Message
        {
            Type = MessageType.Promise, From = id, To = m.From, Ballot = m.Ballot, CommitIndex = commitIndex,
            RequestTick = m.RequestTick, Entries = entries,
        });
    }

    private void OnAccept(Message m)
    {
        if (m.Batch is null || m.Slot < 1)
        {
            return;
        }
        if (rebuilding && !LearnWhileRebuilding(m))
        {
            return; // stores nothing, votes nothing: the value is learned later, once decided
        }
        if (m.Ballot < promised)
        {
            SendNack(m);
            return;
        }
        FollowLeader(m);
        // Compaction rule for phase 2. A slot at or below the floor is decided, and its value is gone
        // from the log, so the acceptor cannot compare: it answers Accepted (m.Ballot >= promised, as
        // for any Accept) without storing anything. Safe because such a vote can only complete a
        // majority for the decided value. The Paxos invariant "once v is chosen in slot s at ballot
        // b0, every leader of a higher ballot c that proposes in s proposes v" still holds when some
        // votes of b0's majority M are such unstored votes: c's promise quorum Q meets M in some X.
        // If X stored its vote, X reports it (X's floor is at or below c's commit index, see
        // OnPrepare, and c proposes only above that, so above X's floor, where X's log is whole) and
        // the usual argument applies. If X's vote was unstored, X's floor already covered s when it
        // voted; X promised c either before that vote (then promised >= c > b0 and X would have
        // Nacked) or after it (then X's floor >= s, so c's commit index >= s and c proposes nothing
        // in s). Floors and promises only grow, across restarts too. So every value chosen in s is
        // v, and an unstored vote for another value never completes a majority. Refusing would be
        // safe too, but a leader elected with a commit index below this floor could then wait
        // forever for a majority that has compacted the slot away.
        var accepted = m.Slot <= snapshotSlot || AcceptValue(m.Slot, m.Ballot, m.Batch);
        LearnCommit(m.CommitIndex, m.Ballot);
        if (accepted)
        {
            GrantLease(m.Ballot);
            messages.Add(new Message
            {
                Type = MessageType.Accepted, From = id, To = m.From, Ballot = m.Ballot, Slot = m.Slot,
                CommitIndex = commitIndex, EchoCommitIndex = m.CommitIndex, RequestTick = m.RequestTick,
            });
        }
    }

    private void OnHeartbeat(Message m)
    {
        if (rebuilding && !LearnWhileRebuilding(m))
        {
            return;
        }
        if (m.Ballot < promised)
        {
            SendNack(m);
            return;
        }
        FollowLeader(m);
        LearnCommit(m.CommitIndex, m.Ballot);
        SendHeartbeatAck(m);
    }

    private void OnCatchUp(Message m)
    {
        foreach (var entry in m.Entries)
        {
            if (entry.Slot <= snapshotSlot)
            {
                continue; // decided, in the snapshot
            }
            if (log.TryGetValue(entry.Slot, out var state))
            {
                if (state.Decided)
                {
                    Invariant.Require(state.Batch.Id == entry.Batch.Id, "a decided slot never changes value");
                    continue;
                }
                // Never lower an accepted ballot: a promise quorum must still see the choosing ballot.
                state.Ballot = Ballot.Max(state.Ballot, entry.Ballot);
                state.Batch = entry.Batch;
            }
            else
            {
                state = new SlotState(entry.Ballot, entry.Batch);
                log[entry.Slot] = state;
            }
            state.Decided = true;
            Persist(entry.Slot, state);
        }
        AdvanceCommit();
        if (rebuilding && !LearnWhileRebuilding(m))
        {
            return;
        }
        if (m.Ballot == promised && role == Role.Follower)
        {
            FollowLeader(m);
            SendHeartbeatAck(m);
        }
    }

    // ---------------------------------------------------------------- rebuilding (learner)

    /// <summary>
    /// A leader's Accept, Heartbeat or CatchUp reached a rebuilding replica. It learns who leads and
    /// sets its target slot (first leader message only); if that ends the rebuild it returns true and
    /// the caller handles the message as any replica would. Otherwise it asks for catch-up when the
    /// sender knows more decided slots than it does, and returns false: nothing stored, no vote.
    /// <para>
    /// The reply is a Nack carrying the leader's own ballot, Slot 0, this replica's commit index and
    /// the request's commit index (EchoCommitIndex). A leader treats it only as "send me decided
    /// entries" (<c>OnNack</c> → <c>MaybeSendCatchUp</c>): it is not a vote, renews no lease and
    /// does not count as hearing from the peer. It cannot be mistaken for the other Nacks: a refusal
    /// carries a ballot above the request's (the receiver steps down only on that), and the
    /// snapshot-floor hint answers a Prepare and carries its floor (at least 1) in Slot. An ack
    /// (HeartbeatAck) is not used because the leader counts every ack as a lease.
    /// </para>
    /// <para>
    /// The target slot S is the decision that ends the rebuild: "observe one complete instance that
    /// was started after rebuilding began" (Paxos Made Live). S is beyond anything the sender can
    /// have had outstanding when it sent this message: a leader keeps at most
    /// <see cref="ReplicaOptions.WindowSlots"/> slots above its commit index in flight (right after its
    /// election it may re-propose more, the accepted values it learned in phase 1), and an Accept's own
    /// slot is included. So S is proposed after this replica started rebuilding, and since this
    /// replica votes for nothing meanwhile, S is chosen by a majority of replicas with intact state.
    /// </para>
    /// </summary>
    private bool LearnWhileRebuilding(Message m)
    {
        if (rebuildTargetSlot == 0)
        {
            rebuildTargetSlot = Math.Max(m.Type == MessageType.Accept ? m.Slot : 0, m.CommitIndex + options.WindowSlots + 1);
        }
        if (m.Ballot == rebuildMaxBallot && leaderId != m.From)
        {
            leaderId = m.From; // for redirects only: the highest-ballot leader it has heard from
            roleDirty = true;
        }
        electionElapsedTicks = 0;
        MaybeFinishRebuild();
        if (!rebuilding)
        {
            return true;
        }
        if (m.CommitIndex > commitIndex)
        {
            messages.Add(new Message
            {
                Type = MessageType.Nack, From = id, To = m.From, Ballot = m.Ballot, Slot = 0,
                CommitIndex = commitIndex, EchoCommitIndex = m.CommitIndex,
            });
        }
        return false;
    }

    /// <summary>
    /// Ends the rebuild once the commit index reaches the target slot S (by CatchUp, a snapshot or
    /// learning): from here on the durable state is trustworthy, it promises and votes normally, and
    /// everything it promises or accepts is persisted as usual. Why that is safe:
    /// <list type="bullet">
    /// <item>While rebuilding it promised and accepted nothing and granted no lease, so every promise
    ///   quorum, accept majority and lease majority formed meanwhile consists of replicas whose state
    ///   is intact: ordinary Paxos. What it learned (commit indexes, CatchUp entries, snapshots) are
    ///   decided values, safe to take from any leader of any ballot, and they are what it persisted.</item>
    /// <item>Forgotten accepted values. A value chosen with a vote it lost was chosen in a slot proposed
    ///   before the damage, hence below S (S is proposed after rebuilding began, and leaders assign
    ///   slots in increasing order). At the end every slot up to S is in its decided prefix, held with
    ///   its decided value (and a ballot at least that of the choosing one, as for any replica caught up
    ///   by CatchUp): a later Promise reports those above the candidate's commit index, and the
    ///   snapshot-floor rule (<c>OnPrepare</c>) refuses candidates that are behind its floor. So no later
    ///   candidate can miss a value that was chosen with its lost vote.</item>
    /// <item>Forgotten promise. It may have promised a ballot P before the damage, and a candidate may
    ///   have counted that promise, relying on it never to accept below P again. So at the end its
    ///   promise is raised (and persisted, in the same Ready as any vote that follows) to the highest
    ///   ballot it saw in any message while rebuilding: the leaders' ballots and the Prepares it ignored.
    ///   A candidate that won with its old promise sends it Accepts and heartbeats under P (to every
    ///   peer), so P is seen unless that leader is cut off from it; and S, chosen after the damage by
    ///   a majority without it, was accepted by every member of that majority under a ballot no lower
    ///   than anything they had promised. In a group of three the other two form that majority and one
    ///   of them is P's candidate (it promised P before this replica could), so S is chosen under a
    ///   ballot ≥ P; and a leader that knows S decided, which is what sends the CatchUp (or, answering
    ///   this replica's request, lists it for the snapshot) that ends the rebuild, leads a ballot ≥ P
    ///   too (a leader below P can neither get P's candidate's vote nor learn a decision without
    ///   first stepping down to P). Its ballot is among those seen, so the raise covers P.</item>
    /// </list>
    /// Limits (the rule is Paxos Made Live's, not a proof for every schedule): a message sent before
    /// the damage and delivered after it can set S too low, and in groups of five or more a ballot P
    /// whose messages never reach this replica before S is decided is not covered by the raise. The
    /// window margin in S and the raise to every ballot seen make both need lost or long-delayed
    /// messages together with a leader change during the rebuild.
    /// The raised promise may exceed the current leader's ballot; it then gets a Nack on its next
    /// request and steps down, as it would from any replica that promised a higher ballot.
    /// </summary>
    private void MaybeFinishRebuild()
    {
        if (!rebuilding || rebuildTargetSlot == 0 || commitIndex < rebuildTargetSlot)
        {
            return;
        }
        rebuilding = false;
        if (rebuildMaxBallot > promised)
        {
            promised = rebuildMaxBallot;
            promiseDirty = true;
        }
        roleDirty = true;
        ResetElectionTimer();
    }

    private void FollowLeader(Message m)
    {
        if (m.Ballot > promised)
        {
            PromiseBallot(m.Ballot, m.From);
        }
        else if (leaderId != m.From)
        {
            leaderId = m.From;
            roleDirty = true;
        }
        electionElapsedTicks = 0;
    }

    private void SendHeartbeatAck(Message m)
    {
        GrantLease(m.Ballot);
        messages.Add(new Message
        {
            Type = MessageType.HeartbeatAck, From = id, To = m.From, Ballot = m.Ballot, CommitIndex = commitIndex,
            EchoCommitIndex = m.CommitIndex, RequestTick = m.RequestTick,
        });
    }

    private void SendNack(Message m) =>
        messages.Add(new Message { Type = MessageType.Nack, From = id, To = m.From, Ballot = promised, CommitIndex = commitIndex });

    private void PromiseBallot(Ballot newBallot, int leader)
    {
        Invariant.Require(newBallot > promised, "the promised ballot only goes up");
        promised = newBallot;
        promiseDirty = true;
        if (role != Role.Follower)
        {
            BecomeFollower(leader);
        }
        else if (leaderId != leader)
        {
            leaderId = leader;
            roleDirty = true;
        }
    }

    /// <summary>Accepts (ballot, batch) for a slot; false when the slot is decided with another value.</summary>
    private bool AcceptValue(long slot, Ballot acceptBallot, Batch batch)
    {
        Invariant.Require(slot > snapshotSlot, "the log holds no slot at or below the snapshot floor");
        if (log.TryGetValue(slot, out var state))
        {
            if (state.Decided)
            {
                // Voting for another value in a decided slot could let a stale ballot gather a
                // false majority; the same value may take the higher ballot.
                if (state.Batch.Id != batch.Id)
                {
                    return false;
                }
                if (acceptBallot > state.Ballot)
                {
                    state.Ballot = acceptBallot;
                    Persist(slot, state);
                }
                return true;
            }
            Invariant.Require(acceptBallot >= state.Ballot, "an acceptor never accepts below what it accepted");
            if (acceptBallot == state.Ballot && state.Batch.Id == batch.Id)
            {
                return true; // a resend; already persisted by an earlier Ready
            }
            Invariant.Require(acceptBallot != state.Ballot, "one value per slot per ballot");
            state.Ballot = acceptBallot;
            state.Batch = batch;
        }
        else
        {
            state = new SlotState(acceptBallot, batch);
            log[slot] = state;
        }
        if (acceptBallot == learnBallot && slot <= learnedThrough)
        {
            state.Decided = true; // its leader already said this slot is decided
        }
        Persist(slot, state);
        return true;
    }

    private void Persist(long slot, SlotState state)
    {
        persistEntries.Add(new LogEntry(slot, state.Ballot, state.Batch));
        maxSlot = Math.Max(maxSlot, slot);
        maxKnownTimestampMs = Math.Max(maxKnownTimestampMs, state.Batch.TimestampMs);
    }

    /// <summary>
    /// The leader of <paramref name="leaderBallot"/> says slots up to <paramref name="leaderCommitIndex"/>
    /// are decided. Its value for a slot is the one it proposed under its ballot, so an entry
    /// accepted under that same ballot is the decided one; anything else waits for catch-up.
    /// </summary>
    private void LearnCommit(long leaderCommitIndex, Ballot leaderBallot)
    {
        // Scan each slot once per leader: later Accepts at or below the scanned point are marked
        // decided as they arrive (AcceptValue), so a follower stuck on a gap does not rescan.
        if (leaderBallot != learnBallot)
        {
            learnBallot = leaderBallot;
            learnedThrough = commitIndex;
        }
        var from = Math.Max(commitIndex, learnedThrough) + 1;
        var last = Math.Min(leaderCommitIndex, from + LearnScanLimitSlots);
        for (var slot = from; slot <= last; slot++)
        {
            if (log.TryGetValue(slot, out var state) && !state.Decided && state.Ballot == leaderBallot)
            {
                state.Decided = true;
            }
        }
        learnedThrough = Math.Max(learnedThrough, last);
        AdvanceCommit();
    }

    private void AdvanceCommit()
    {
        var before = commitIndex;
        while (log.TryGetValue(commitIndex + 1, out var state) && state.Decided)
        {
            commitIndex++;
        }
        if (commitIndex == before)
        {
            return;
        }
        commitDirty = true;
        if (role == Role.Leader)
        {
            // A slot can be decided behind the leader's back (a late CatchUp from an older leader):
            // stop tracking its votes, since compaction may drop it from the log before they come.
            for (var slot = before + 1; slot <= commitIndex && inFlight.Count > 0; slot++)
            {
                inFlight.Remove(slot);
            }
            AnswerLogReads(before + 1, commitIndex);
        }
    }

    /// <summary>True while a lease granted to another ballot (any ballot, for a new one: null) is unexpired.</summary>
    private bool LeaseBlocks(Ballot? candidate) =>
        now < leaseGrantedUntilTick && (candidate is null || leaseGrantedTo != candidate);

    private void GrantLease(Ballot holder)
    {
        leaseGrantedTo = holder;
        leaseGrantedUntilTick = now + options.LeaseTicks;
    }

    // ---------------------------------------------------------------- candidate

    private void Campaign()
    {
        ballot = new Ballot(Math.Max(promised.Round, highestSeenRound) + 1, id);
        promised = ballot;
        promiseDirty = true;
        role = Role.Candidate;
        leaderId = -1;
        roleDirty = true;
        promiseVotes = 0;
        promisedEntries.Clear();
        foreach (var peer in peers)
        {
            progress[peer] = new PeerProgress { LastHeardTick = now, LastSentTick = now };
            eagerMessages.Add(new Message
            {
                Type = MessageType.Prepare, From = id, To = peer, Ballot = ballot, CommitIndex = commitIndex, RequestTick = now,
            });
        }
        GrantLease(ballot);
        ResetElectionTimer();
        selfVotes.Add(new SelfVote(SelfVoteKind.Promise, ballot, 0));
    }

    private void OnPromise(Message m)
    {
        if (role != Role.Candidate || m.Ballot != ballot)
        {
            return;
        }
        NoteReply(m);
        if ((promiseVotes & VoteMask.Of(m.From)) != 0)
        {
            return;
        }
        promiseVotes |= VoteMask.Of(m.From);
        foreach (var entry in m.Entries)
        {
            if (!promisedEntries.TryGetValue(entry.Slot, out var current) || entry.Ballot > current.Ballot)
            {
                promisedEntries[entry.Slot] = entry;
            }
            maxKnownTimestampMs = Math.Max(maxKnownTimestampMs, entry.Batch.TimestampMs);
        }
        if (VoteMask.Count(promiseVotes) >= options.Majority)
        {
            BecomeLeader();
        }
    }

    private void OnNack(Message m)
    {
        if (role != Role.Follower && m.Ballot > ballot)
        {
            BecomeFollower(-1);
        }
        else if (role == Role.Leader && m.Ballot == ballot && m.Slot == 0)
        {
            // A rebuilding replica (a learner, LearnWhileRebuilding) is behind: send it decided
            // entries or a snapshot. Not NoteReply: it is no vote, no lease, and not a peer this
            // leader can count on for a majority.
            MaybeSendCatchUp(m);
        }
        else if (role == Role.Candidate && m.Ballot == ballot && m.CommitIndex > commitIndex)
        {
            // An acceptor whose snapshot floor is above this candidate's commit index refused it
            // (OnPrepare). A more up-to-date replica can win and then send a snapshot: stand aside.
            // The lease this candidate granted its own ballot protects nothing once that ballot can
            // no longer lead (only a candidate becomes leader), so it is dropped with the candidacy.
            BecomeFollower(-1);
            if (leaseGrantedTo == ballot)
            {
                leaseGrantedUntilTick = now;
            }
        }
    }

    private void OnSelfVote(SelfVote vote)
    {
        if (vote.Ballot != ballot)
        {
            return;
        }
        if (vote.Kind == SelfVoteKind.Promise && role == Role.Candidate)
        {
            promiseVotes |= VoteMask.Of(id);
            if (VoteMask.Count(promiseVotes) >= options.Majority)
            {
                BecomeLeader();
            }
        }
        else if (vote.Kind == SelfVoteKind.Accepted && role == Role.Leader && inFlight.TryGetValue(vote.Slot, out var slot))
        {
            slot.Votes |= VoteMask.Of(id);
            TryDecide(vote.Slot, slot);
        }
    }

    // ---------------------------------------------------------------- leader

    /// <summary>
    /// Phase 1 is done. Re-propose the highest-ballot value of every open slot, fill the gaps with
    /// no-ops, and propose one no-op of this ballot after them: reads wait until it commits, since
    /// only then is every value an earlier leader may have committed part of this leader's log.
    /// </summary>
    private void BecomeLeader()
    {
        role = Role.Leader;
        leaderId = id;
        roleDirty = true;
        inFlight.Clear();
        GrantLease(ballot);
        lastBatchTimestampMs = maxKnownTimestampMs;
        var top = maxSlot;
        foreach (var slot in promisedEntries.Keys)
        {
            top = Math.Max(top, slot);
        }
        for (var slot = commitIndex + 1; slot <= top; slot++)
        {
            LogEntry? best = promisedEntries.GetValueOrDefault(slot);
            if (log.TryGetValue(slot, out var own))
            {
                if (own.Decided)
                {
                    continue;
                }
                if (best is null || own.Ballot > best.Ballot)
                {
                    best = new LogEntry(slot, own.Ballot, own.Batch);
                }
            }
            if (best is null && faults.SkipNoOpFillAndOwnBallotCommit)
            {
                continue;
            }
            ProposeAt(slot, best?.Batch ?? Batch.NoOp(new BatchId(ballot, slot), lastBatchTimestampMs));
        }
        promisedEntries.Clear();
        if (faults.SkipNoOpFillAndOwnBallotCommit)
        {
            ownBallotFirstSlot = 0;
            nextSlot = top + 1;
        }
        else
        {
            ownBallotFirstSlot = top + 1;
            ProposeAt(top + 1, Batch.NoOp(new BatchId(ballot, top + 1), lastBatchTimestampMs));
            nextSlot = top + 2;
        }
    }

    private void BecomeFollower(int leader)
    {
        if (role == Role.Leader)
        {
            failedReads.AddRange(readsWaitingForBatch);
            foreach (var slot in readsBySlot.Keys.Order())
            {
                failedReads.AddRange(readsBySlot[slot]);
            }
            readsWaitingForBatch = new();
            readsBySlot.Clear();
            pendingReadCount = 0;
            droppedProposals.AddRange(pendingCommands);
            pendingCommands.Clear();
            pendingBytes = 0;
            inFlight.Clear();
        }
        promiseVotes = 0;
        promisedEntries.Clear();
        role = Role.Follower;
        leaderId = leader;
        roleDirty = true;
        ResetElectionTimer();
    }

    private void TickLeader()
    {
        GrantLease(ballot); // its own lease: it counts itself, so it must not promise anyone else
        foreach (var peer in peers)
        {
            var p = progress[peer];
            if (now - p.LastSentTick >= options.HeartbeatIntervalTicks)
            {
                p.LastSentTick = now;
                eagerMessages.Add(new Message
                {
                    Type = MessageType.Heartbeat, From = id, To = peer, Ballot = ballot, CommitIndex = commitIndex, RequestTick = now,
                });
            }
        }
        for (var slot = commitIndex + 1; slot < nextSlot; slot++)
        {
            if (inFlight.TryGetValue(slot, out var f) && now - f.SentTick >= options.ResendTicks)
            {
                f.SentTick = now;
                foreach (var peer in peers)
                {
                    if ((f.Votes & VoteMask.Of(peer)) == 0)
                    {
                        SendAccept(peer, slot, f.Batch);
                    }
                }
            }
        }
        // A leader that has not heard from a majority for an election timeout steps down, so its
        // clients go elsewhere instead of waiting on a minority.
        if (!faults.ReadWithoutLease)
        {
            var heard = 1;
            foreach (var peer in peers)
            {
                if (now - progress[peer].LastHeardTick < options.StepDownTicks)
                {
                    heard++;
                }
            }
            if (heard < options.Majority)
            {
                BecomeFollower(-1);
            }
        }
    }

    private bool CanProposeBatch() =>
        role == Role.Leader && (pendingCommands.Count > 0 || readsWaitingForBatch.Count > 0) && SlotsInFlight() < options.WindowSlots;

    private long SlotsInFlight() => nextSlot - 1 - commitIndex;

    /// <summary>Cuts queued commands (and waiting reads) into batches while the window has room.</summary>
    private void ProposeBatches()
    {
        while (CanProposeBatch())
        {
            var commands = new List<Command>();
            var bytes = 0;
            var timestampMs = lastBatchTimestampMs;
            while (pendingCommands.Count > 0 && commands.Count < options.MaxBatchCommands)
            {
                var next = pendingCommands.Peek();
                if (commands.Count > 0 && bytes + next.SizeBytes > options.MaxBatchBytes)
                {
                    break;
                }
                pendingCommands.Dequeue();
                pendingBytes -= next.SizeBytes;
                bytes += next.SizeBytes;
                commands.Add(next);
                timestampMs = Math.Max(timestampMs, next.TimestampMs);
            }
            lastBatchTimestampMs = timestampMs;
            var slot = nextSlot++;
            if (readsWaitingForBatch.Count > 0)
            {
                readsBySlot[slot] = readsWaitingForBatch;
                readsWaitingForBatch = new();
            }
            ProposeAt(slot, new Batch(new BatchId(ballot, slot), timestampMs, commands));
        }
    }

    /// <summary>Phase 2a: own log write (counted after Advance) in parallel with Accepts to every peer.</summary>
    private void ProposeAt(long slot, Batch batch)
    {
        var accepted = AcceptValue(slot, ballot, batch);
        Invariant.Require(accepted, "the leader proposes the decided value of a decided slot");
        inFlight[slot] = new InFlightSlot(batch, now);
        foreach (var peer in peers)
        {
            SendAccept(peer, slot, batch);
        }
        selfVotes.Add(new SelfVote(SelfVoteKind.Accepted, ballot, slot));
    }

    private void SendAccept(int peer, long slot, Batch batch)
    {
        progress[peer].LastSentTick = now;
        eagerMessages.Add(new Message
        {
            Type = MessageType.Accept, From = id, To = peer, Ballot = ballot, Slot = slot, Batch = batch,
            CommitIndex = commitIndex, RequestTick = now,
        });
    }

    private void OnAccepted(Message m)
    {
        if (role != Role.Leader || m.Ballot != ballot)
        {
            return;
        }
        NoteReply(m);
        if (inFlight.TryGetValue(m.Slot, out var slot))
        {
            slot.Votes |= VoteMask.Of(m.From);
            TryDecide(m.Slot, slot);
        }
        MaybeSendCatchUp(m);
    }

    private void OnHeartbeatAck(Message m)
    {
        if (role != Role.Leader || m.Ballot != ballot)
        {
            return;
        }
        NoteReply(m);
        MaybeSendCatchUp(m);
    }

    private void NoteReply(Message m)
    {
        var p = progress[m.From];
        p.LastHeardTick = now;
        p.LeaseRequestTick = Math.Max(p.LeaseRequestTick, m.RequestTick);
        p.CommitIndex = Math.Max(p.CommitIndex, m.CommitIndex);
    }

    private int Phase2Quorum => faults.CommitOnMinority ? Math.Max(1, options.ReplicaIds.Count / 2) : options.Majority;

    private void TryDecide(long slotNumber, InFlightSlot slot)
    {
        if (VoteMask.Count(slot.Votes) < Phase2Quorum)
        {
            return;
        }
        inFlight.Remove(slotNumber);
        var state = log[slotNumber];
        Invariant.Require(state.Batch.Id == slot.Batch.Id && state.Ballot == ballot, "the leader decides the value it proposed");
        state.Decided = true;
        AdvanceCommit();
    }

    /// <summary>A peer answered with a commit index below the one it was told: send it decided entries.</summary>
    private void MaybeSendCatchUp(Message m)
    {
        if (m.CommitIndex >= m.EchoCommitIndex)
        {
            return;
        }
        var p = progress[m.From];
        if (now - p.CatchUpSentTick < options.ResendTicks && m.CommitIndex < p.CatchUpSentThrough)
        {
            return; // the previous catch-up is still on its way
        }
        var from = m.CommitIndex + 1;
        if (from <= snapshotSlot)
        {
            RequestSnapshotTransfer(m.From);
            return;
        }
        var to = Math.Min(commitIndex, m.CommitIndex + options.MaxCatchUpEntries);
        if (to < from)
        {
            return;
        }
        var entries = new List<LogEntry>((int)(to - from + 1));
        for (var slot = from; slot <= to; slot++)
        {
            var state = log[slot];
            entries.Add(new LogEntry(slot, state.Ballot, state.Batch));
        }
        p.CatchUpSentTick = now;
        p.CatchUpSentThrough = to;
        p.LastSentTick = now;
        eagerMessages.Add(new Message
        {
            Type = MessageType.CatchUp, From = id, To = m.From, Ballot = ballot, CommitIndex = commitIndex,
            RequestTick = now, Entries = entries,
        });
    }

    /// <summary>
    /// The peer needs slots compacted away: ask the driver to send it a snapshot, at most once per
    /// <see cref="ReplicaOptions.SnapshotResendTicks"/> per peer (a transfer takes a while, and
    /// every ack until it lands reports the same old commit index).
    /// </summary>
    private void RequestSnapshotTransfer(int peer)
    {
        var p = progress[peer];
        if (now - p.SnapshotSentTick < options.SnapshotResendTicks || snapshotsToSend.Contains(peer))
        {
            return;
        }
        p.SnapshotSentTick = now;
        snapshotsToSend.Add(peer);
    }

    private bool HoldsLeaseMajority() => HoldsLeaseMajority(now);

    private bool HoldsLeaseMajority(long atTick)
    {
        var holders = 1; // itself: it renews its own lease every tick
        foreach (var peer in peers)
        {
            if (LeaseRule.Holds(progress[peer].LeaseRequestTick, atTick, options.LeaseTicks, options.LeaseDriftTicks))
            {
                holders++;
            }
        }
        return holders >= options.Majority;
    }

    /// <summary>A read that rode on a batch may be served once that batch is decided as proposed.</summary>
    private void AnswerLogReads(long fromSlot, long toSlot)
    {
        if (readsBySlot.Count == 0)
        {
            return;
        }
        for (var slot = fromSlot; slot <= toSlot; slot++)
        {
            if (!readsBySlot.Remove(slot, out var waiting))
            {
                continue;
            }
            pendingReadCount -= waiting.Count;
            if (log[slot].Batch.Id == new BatchId(ballot, slot))
            {
                foreach (var readId in waiting)
                {
                    reads.Add(new ReadState(readId, slot));
                }
            }
            else
            {
                failedReads.AddRange(waiting);
            }
        }
    }

    // ---------------------------------------------------------------- common

    private void ResetElectionTimer()
    {
        electionElapsedTicks = 0;
        electionTimeoutTicks = options.ElectionTimeoutTicks + random.Next(options.ElectionTimeoutTicks);
    }

    private void CheckInvariants()
    {
        Invariant.Require(snapshotSlot <= appliedIndex && appliedIndex <= commitIndex, "snapshot floor <= applied <= committed");
        Invariant.Require(role != Role.Leader || promised == ballot, "a leader's promise is its own ballot");
        Invariant.Require(role != Role.Leader || nextSlot > commitIndex, "the leader proposes above the commit index");
        Invariant.Require(pendingBytes >= 0 && pendingReadCount >= 0, "queue accounting");
        Invariant.Require(!rebuilding || role == Role.Follower, "a rebuilding replica is a follower");
    }
}
