using System.Buffers;
using System.Text;
using Microsoft.Extensions.Logging;
using Paxuby.Cache;
using Paxuby.Consensus;
using Paxuby.Server.Engine;

namespace Paxuby.Server.Cluster;

/// <summary>
/// One replica's node loop: a single thread that ticks the consensus core from a monotonic clock,
/// steps what peers send, follows each Ready (send early → persist → send → apply → advance) and
/// answers waiting clients. A client's command may enter here whatever this replica's role: the
/// leader proposes it, a follower forwards it to the leader it knows and answers with the leader's
/// reply (or its own, once it applies the same slot: the state machine is deterministic).
/// Client sessions never block the loop: they wait on tasks the loop completes.
/// </summary>
internal sealed partial class ReplicaNode : IAsyncDisposable
{
    private readonly ClusterOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ReplicaHost _host;
    private readonly LoopQueue<WorkItem> _work;
    private readonly SemaphoreSlim _clientSlots;
    private readonly Dictionary<(long ClientId, long Sequence), PendingWrite> _writes = new();
    private readonly Dictionary<long, PendingRead> _reads = new();
    private readonly List<PendingRead> _readsAwaitingApply = [];
    // Writes and reads this leader took from followers: where to send the reply.
    private readonly Dictionary<(long ClientId, long Sequence), ForwardOrigin> _forwardedWrites = new();
    private readonly Dictionary<long, ForwardOrigin> _forwardedReads = new();
    private readonly List<AppliedCommand> _applied = [];
    // Replies to this replica's own clients for the slots just applied, sent once the gate is released.
    private readonly List<(ReplyPromise Promise, byte[] Reply)> _decidedReplies = [];
    // What the sessions answered here may run on this thread before they move to the thread pool.
    private const int CommandsLentPerPass = 1024;
    // Scratch for the per-tick expiry pass: no copy of every pending request each tick.
    private readonly List<PendingWrite> _expiredWrites = [];
    private readonly List<PendingRead> _expiredReads = [];
    private readonly ArrayBufferWriter<byte> _readReply = new(1024);
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly long _startTimestamp;
    private readonly long _sweepClientId = Random.Shared.NextInt64(1, long.MaxValue);
    private IPeerChannel _peers = NoPeers.Instance;
    private ITimer? _tickTimer;
    private ITimer? _sweepTimer;
    private readonly TaskCompletionSource _loopEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Thread? _loop;
    private long _sweepSequence;
    private long _tick;
    private long _nextReadId;
    private long _elections;
    private bool _wasLeader;
    private (int LeaderId, Ballot Ballot) _knownLeader = (-1, default);
    private long _slotsApplied;
    private long _commandsApplied;
    private long _leaseReads;
    private long _loopReads;

    private readonly record struct ForwardOrigin(int Peer, long OriginId, long DeadlineTick);

    /// <summary>A write waiting its turn to be proposed: a local client's, or one a follower forwarded (OriginPeer).</summary>
    private readonly record struct Proposal(Command Command, PendingWrite? Local, int OriginPeer);

    private readonly Queue<Proposal> _proposals = new();
    private long _nextWriteOrder;

    /// <summary>Work for the loop, stamped with the tick it arrived in.</summary>
    private readonly record struct WorkItem(object Item, long ArrivalTick);

    private sealed record TickSignal;
    private sealed record SweepSignal;
    private static readonly TickSignal Tick = new();
    private static readonly SweepSignal Sweep = new();

    public ReplicaNode(ReplicaHost host, ClusterOptions options, TimeProvider time, ILogger logger)
    {
        _host = host;
        _options = options;
        _time = time;
        _logger = logger;
        _startTimestamp = time.GetTimestamp();
        _clientSlots = new SemaphoreSlim(Math.Max(1, options.WorkQueueCapacity / 2));
        _work = new LoopQueue<WorkItem>(options.WorkQueueCapacity);
        if (host.LatestSnapshot is { } snapshot)
        {
            _logger.LogInformation("replica {Node} restored its snapshot of slot {Slot} ({Bytes} bytes, {Keys} keys) in {Ms:0} ms",
                host.Id, snapshot.Slot, snapshot.Length, host.Cache.Keyspace.Databases.Sum(d => (long)d.Count), host.SnapshotRestoreTime.TotalMilliseconds);
        }
        foreach (string rejected in host.RejectedSnapshots) _logger.LogWarning("replica {Node} skipped a damaged snapshot: {Reason}", host.Id, rejected);
        _logger.LogInformation("replica {Node} recovered its log: {Report}", host.Id, host.Recovery);
        if (host.RebuildReason is { } reason)
        {
            _logger.LogWarning("replica {Node}: {Reason}; its log is set aside in wal.damaged and it rejoins as a learner that votes for nothing until it has caught up from the others", host.Id, reason);
        }
    }

    public int Id => _host.Id;

    /// <summary>Starts the loop and its timers; <paramref name="peers"/> carries what it sends.</summary>
    public void Start(IPeerChannel peers)
    {
        _peers = peers;
        // A thread of its own, not the thread pool: the loop blocks in fsync, and a pool worker
        // blocked there leaves clients' replies queued behind it. Whoever queues work wakes the
        // thread directly (LoopQueue), with no pool worker in between. The fsync itself stays on
        // this thread: with a sync thread beside each loop (the loop going on, a Ready's votes sent
        // once a sync covered them), SETs from 50 clients on 2 cores were slower, 18–20 k ops/s
        // against 20–23 k with p99 8.5–11 ms against 6.5–7 ms: the threads waking each other cost
        // more than the waits they saved.
        _loop = new Thread(RunLoop) { IsBackground = true, Name = $"replica {Id} loop" };
        _loop.Start();
        _tickTimer = _time.CreateTimer(_ => Post(Tick), null, _options.TickInterval, _options.TickInterval);
        _sweepTimer = _time.CreateTimer(_ => Post(Sweep), null, _options.ExpireSweepInterval, _options.ExpireSweepInterval);
    }

    /// <summary>Hands the loop something a peer sent; dropped when the loop is saturated, as a network would.</summary>
    public void Deliver(Message message) => Post(message);

    /// <inheritdoc cref="Deliver(Message)"/>
    public void Deliver(PeerFrame frame) => Post(frame);

    private void Post(object item) => _work.TryAdd(new WorkItem(item, TickNow()));

    /// <summary>The tick real time is in, from the monotonic clock.</summary>
    private long TickNow() => (long)(_time.GetElapsedTime(_startTimestamp) / _options.TickInterval);

    /// <summary>True while this replica leads (the in-process cluster asks it to name its leader).</summary>
    public bool IsLeader
    {
        get
        {
            lock (_gate) return _host.Core.Role == Role.Leader;
        }
    }

    public ValueTask<byte[]> WriteAsync(long clientId, long sequence, byte[] command, CancellationToken cancel)
    {
        var done = new ReplyPromise();
        var request = new PendingWrite(new Command(clientId, sequence, _time.GetUtcNow().ToUnixTimeMilliseconds(), command), DeadlineTick())
        {
            Done = done,
        };
        return PostAndWaitAsync(request, done, cancel);
    }

    /// <summary>
    /// Serves a read at once, on the caller's thread, while this leader's leases hold at the real
    /// current tick and it has applied everything it knows to be committed: no trip through the
    /// loop. False sends the read through the loop (follower, new leader, lease in doubt).
    /// </summary>
    public bool TryReadNow(ReadOnlySpan<byte> command, IBufferWriter<byte> reply)
    {
        lock (_gate)
        {
            Replica core = _host.Core;
            if (!core.CanServeLocalReadsAt(TickNow()) || _host.Applier.AppliedSlot < core.CommitIndex) return false;
            _host.Applier.Read(NowMs, command, reply);
            _leaseReads++;
            return true;
        }
    }

    public ValueTask<byte[]> ReadAsync(byte[] command, CancellationToken cancel)
    {
        var done = new ReplyPromise();
        var request = new PendingRead(Interlocked.Increment(ref _nextReadId), command, DeadlineTick()) { Done = done };
        Interlocked.Increment(ref _loopReads);
        return PostAndWaitAsync(request, done, cancel);
    }

    /// <summary>
    /// Hands a client's request to the loop and waits for the reply the loop sets, or for the
    /// session's cancellation: CLIENT KILL ends the wait at once, not at the command timeout.
    /// When the loop's queue has room (the usual case) nothing is allocated beyond the request and
    /// its promise.
    /// </summary>
    private ValueTask<byte[]> PostAndWaitAsync(object request, ReplyPromise done, CancellationToken cancel)
    {
        ValueTask posted = PostFromClientAsync(request, cancel);
        if (!posted.IsCompletedSuccessfully) return PostThenWaitAsync(posted, done, cancel);
        posted.GetAwaiter().GetResult();
        return done.WaitAsync(cancel);
    }

    private static async ValueTask<byte[]> PostThenWaitAsync(ValueTask posted, ReplyPromise done, CancellationToken cancel)
    {
        await posted;
        return await done.WaitAsync(cancel);
    }

    /// <summary>
    /// Clients may fill half the loop's queue and then wait; the other half stays free for peers,
    /// whose messages are dropped when it is full (as a network drops), so a flood of client
    /// commands never starves the replica of heartbeats and votes.
    /// </summary>
    private async ValueTask PostFromClientAsync(object request, CancellationToken cancel)
    {
        await _clientSlots.WaitAsync(cancel);
        if (!_work.TryAdd(new WorkItem(request, TickNow())))
        {
            _clientSlots.Release();
            throw new OperationCanceledException("the replica is stopping");
        }
    }

    public long GetWatchVersion(ReadOnlySpan<byte> key, int db)
    {
        lock (_gate)
        {
            return _host.Cache.GetWatchVersion(db, key, Math.Max(_host.Applier.LastTimestampMs, NowMs));
        }
    }

    public EngineStats GetStats()
    {
        lock (_gate)
        {
            var databases = _host.Cache.Keyspace.Databases.Where(d => d.Count > 0).Select(d => (d.Index, (long)d.Count, (long)d.ExpiresCount)).ToList();
            // Every replica takes writes (followers forward them), so each one is a primary to Redis clients.
            const string role = "master";
            Replica core = _host.Core;
            return new EngineStats(databases, GC.GetTotalMemory(false), _host.Applier.AppliedSlot, role)
            {
                Consensus = new ConsensusStats(core.Role.ToString().ToLowerInvariant(), core.LeaderId, core.PromisedBallot.ToString(),
                    core.CommitIndex, _host.Applier.AppliedSlot, core.PendingProposalCount, core.CanServeLocalReads, _elections)
                {
                    ReplicaId = Id,
                    Fsyncs = _host.Fsyncs,
                    RecordsAppended = _host.RecordsAppended,
                    SlotsApplied = _slotsApplied,
                    CommandsApplied = _commandsApplied,
                    SnapshotSlot = _host.LatestSnapshot?.Slot ?? 0,
                    SnapshotsTaken = _host.SnapshotsTaken,
                    SnapshotsInstalled = _host.SnapshotsInstalled,
                    LogSlots = core.LogSlotCount,
                    LogBytesSinceSnapshot = _host.LogBytesSinceCompaction,
                    LeaseReads = _leaseReads,
                    LoopReads = Interlocked.Read(ref _loopReads),
                    Rebuilding = core.IsRebuilding,
                },
            };
        }
    }

    /// <summary>The cache's state and the slot it was taken at (tests compare replicas with it).</summary>
    public (long Slot, byte[] State) SnapshotNow()
    {
        lock (_gate)
        {
            using var stream = new MemoryStream();
            _host.Cache.Snapshot(stream);
            return (_host.Applier.AppliedSlot, stream.ToArray());
        }
    }

    /// <summary>The highest slot this replica knows to be decided.</summary>
    public long CommitIndex
    {
        get
        {
            lock (_gate) return _host.Core.CommitIndex;
        }
    }

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private long DeadlineTick() => Interlocked.Read(ref _tick) + Math.Max(1, (long)(_options.CommandTimeout / _options.TickInterval));

    private void RunLoop()
    {
        LoopQueue<WorkItem> work = _work;
        try
        {
            while (work.WaitForItems(_stopping.Token))
            {
                lock (_gate)
                {
                    // Time as it passed: each item comes after every tick before it arrived, so a
                    // read after a pause (GC, SIGSTOP) sees the leases as they are, and a heartbeat
                    // that waited while this loop was busy on the disk still counts from when it came.
                    while (work.TryTake(out WorkItem item))
                    {
                        if (item.Item is PendingWrite or PendingRead) _clientSlots.Release();
                        CatchUpTicks(item.ArrivalTick);
                        Handle(item.Item);
                    }
                    CatchUpTicks(TickNow());
                }
                Pump();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
        catch (Exception e)
        {
            _logger.LogCritical(e, "replica {Node}: the node loop failed; it stops here", Id);
            _loopEnded.TrySetException(e);
            return;
        }
        _loopEnded.TrySetResult();
    }

    private void CatchUpTicks(long due)
    {
        if (due <= _tick) return;
        while (_tick < due)
        {
            _host.Core.Tick();
            Interlocked.Increment(ref _tick);
        }
        // Under everysec, records written in a quiet second still reach the disk within it.
        _host.SyncIfDue(NowMs);
        RetryAndExpire();
    }

    private void Handle(object item)
    {
        switch (item)
        {
            case Message message:
                _host.Core.Step(message);
                break;
            case PendingWrite write:
                write.Order = ++_nextWriteOrder;
                _writes[(write.Command.ClientId, write.Command.Sequence)] = write;
                TryPropose(write);
                break;
            case PendingRead read:
                _reads[read.Id] = read;
                TryRead(read);
                break;
            case ForwardedWrite forwarded:
                OnForwardedWrite(forwarded);
                break;
            case ForwardedRead forwarded:
                OnForwardedRead(forwarded);
                break;
            case ForwardedReply reply:
                OnForwardedReply(reply);
                break;
            case SnapshotChunk chunk:
                OnSnapshotChunk(chunk);
                break;
            case SnapshotAck ack:
                OnSnapshotAck(ack);
                break;
            case SnapshotWritten written:
                OnSnapshotWritten(written);
                break;
            case SweepSignal:
                ProposeSweep();
                break;
            case TickSignal:
                break; // the ticks up to its arrival were just counted
        }
    }

    private void RetryAndExpire()
    {
        long tick = _tick;
        if (_writes.Count > 0)
        {
            bool retry = false;
            foreach (PendingWrite write in _writes.Values)
            {
                if (tick > write.DeadlineTick) _expiredWrites.Add(write);
                // A write in this leader's own core needs no timer: the core decides it, or lists
                // it as dropped, or a role change requeues it. A forwarded one may be lost with a link.
                else if (!write.Queued && (write.ProposedAtTick < 0 || (write.Forwarded && tick - write.ProposedAtTick > _options.RetryAfterTicks))) retry = true;
            }
            foreach (PendingWrite write in _expiredWrites) FailWrite(write);
            _expiredWrites.Clear();
            if (retry) RequeueAll();
        }
        if (_reads.Count > 0)
        {
            foreach (PendingRead read in _reads.Values)
            {
                if (tick > read.DeadlineTick) _expiredReads.Add(read);
                else if (read.Done is null) continue; // a follower's read: the follower retries it
                else if (read.ServeAfterSlot is null && (read.RequestedAtTick < 0 || tick - read.RequestedAtTick > _options.RetryAfterTicks)) TryRead(read);
            }
            foreach (PendingRead read in _expiredReads) FailRead(read);
            _expiredReads.Clear();
        }
        RetrySnapshotTransfers();
        ForgetExpiredOrigins(_forwardedWrites, tick);
        ForgetExpiredOrigins(_forwardedReads, tick);
    }

    private static void ForgetExpiredOrigins<TKey>(Dictionary<TKey, ForwardOrigin> origins, long tick) where TKey : notnull
    {
        if (origins.Count == 0) return;
        foreach (var (key, origin) in origins)
        {
            if (tick > origin.DeadlineTick) origins.Remove(key);
        }
    }

    /// <summary>Queues a write to be proposed here (leading) or forwarded to the leader, behind every write queued before it.</summary>
    private void TryPropose(PendingWrite write)
    {
        write.Queued = true;
        _proposals.Enqueue(new Proposal(write.Command, write, -1));
        DrainProposals();
    }

    /// <summary>
    /// Queues every waiting write for another try, all in the order they were submitted, so a
    /// connection's pipeline keeps its order across a leader change. Writes forwarded here by
    /// followers are dropped from the queue: their followers retry them.
    /// </summary>
    private void RequeueAll()
    {
        _proposals.Clear();
        List<PendingWrite> writes = _writes.Values.ToList();
        writes.Sort((a, b) => a.Order.CompareTo(b.Order));
        foreach (PendingWrite write in writes)
        {
            write.Queued = true;
            _proposals.Enqueue(new Proposal(write.Command, write, -1));
        }
        DrainProposals();
    }

    /// <summary>
    /// Proposes (leader) or forwards (follower) queued writes strictly in order. A full core queue
    /// stops the drain rather than skipping ahead: a later write of a connection must never
    /// reach the log before an earlier one, or the earlier one could no longer be applied.
    /// </summary>
    private void DrainProposals()
    {
        Replica core = _host.Core;
        while (_proposals.TryPeek(out Proposal proposal))
        {
            PendingWrite? write = proposal.Local;
            var key = (proposal.Command.ClientId, proposal.Command.Sequence);
            if (write is not null && !_writes.ContainsKey(key))
            {
                _proposals.Dequeue(); // answered meanwhile
                continue;
            }
            if (core.Role == Role.Leader)
            {
                ProposeStatus status = core.Propose(proposal.Command);
                if (status == ProposeStatus.Busy) return; // the next Ready makes room
                _proposals.Dequeue();
                if (write is not null) write.Queued = false;
                if (status == ProposeStatus.Accepted)
                {
                    if (write is not null)
                    {
                        write.EverProposed = true;
                        write.ProposedAtTick = _tick;
                        write.Forwarded = false;
                    }
                    else
                    {
                        _forwardedWrites[key] = new ForwardOrigin(proposal.OriginPeer, 0, DeadlineTick());
                    }
                }
                else if (status == ProposeStatus.TooLarge)
                {
                    byte[] tooLarge = Error("ERR command too large for one log entry");
                    if (write is not null) Complete(write, tooLarge);
                    else _peers.Send(new ForwardedReply(Id, proposal.OriginPeer, ForwardedReplyKind.Write, key.ClientId, key.Sequence, tooLarge));
                }
                else if (write is not null)
                {
                    write.ProposedAtTick = -1; // lost the lead in between: retried with the next leader
                }
            }
            else if (core.LeaderId >= 0)
            {
                _proposals.Dequeue();
                if (write is null) continue; // forwarded here but this replica no longer leads: the follower retries
                write.Queued = false;
                _peers.Send(new ForwardedWrite(Id, core.LeaderId, write.Command));
                write.EverProposed = true; // the leader may have queued it: a timeout cannot say it was not applied
                write.ProposedAtTick = _tick;
                write.Forwarded = true;
            }
            else
            {
                return; // no leader known: wait for one
            }
        }
    }

    private void TryRead(PendingRead read)
    {
        Replica core = _host.Core;
        read.RequestedAtTick = _tick;
        if (core.Role == Role.Leader)
        {
            if (core.Read(read.Id) != ReadStatus.Pending) read.RequestedAtTick = -1;
        }
        else if (core.LeaderId >= 0)
        {
            _peers.Send(new ForwardedRead(Id, core.LeaderId, read.Id, read.Command));
        }
        else
        {
            read.RequestedAtTick = -1;
        }
    }

    private void OnForwardedWrite(ForwardedWrite forwarded)
    {
        // Not the leader (any more): the follower retries with the leader it learns of.
        if (_host.Core.Role != Role.Leader) return;
        if (_proposals.Count >= _options.WorkQueueCapacity) return; // overloaded: the follower retries later
        _proposals.Enqueue(new Proposal(forwarded.Command, null, forwarded.From));
        DrainProposals();
    }

    private void OnForwardedRead(ForwardedRead forwarded)
    {
        if (_host.Core.Role != Role.Leader) return;
        long localId = Interlocked.Increment(ref _nextReadId);
        if (_host.Core.Read(localId) == ReadStatus.Pending)
        {
            var read = new PendingRead(localId, forwarded.Command, DeadlineTick()) { Done = null, OriginReadId = forwarded.ReadId };
            _reads[localId] = read;
            read.RequestedAtTick = _tick;
            _forwardedReads[localId] = new ForwardOrigin(forwarded.From, forwarded.ReadId, read.DeadlineTick);
        }
    }

    private void OnForwardedReply(ForwardedReply reply)
    {
        if (reply.Kind == ForwardedReplyKind.Write)
        {
            if (_writes.TryGetValue((reply.ClientOrReadId, reply.Sequence), out PendingWrite? write)) Complete(write, reply.Reply);
        }
        else if (_reads.Remove(reply.ClientOrReadId, out PendingRead? read))
        {
            read.Done?.TrySetResult(reply.Reply);
        }
    }

    private void ProposeSweep()
    {
        if (_host.Core.Role != Role.Leader || !_host.Cache.Keyspace.Databases.Any(d => d.ExpiresCount > 0)) return;
        if (_writes.ContainsKey((_sweepClientId, _sweepSequence))) return;
        var sweep = new PendingWrite(new Command(_sweepClientId, ++_sweepSequence, NowMs, CacheCommandCodec.EncodeExpireSweep()), DeadlineTick())
        {
            Order = ++_nextWriteOrder,
        };
        _writes[(_sweepClientId, _sweepSequence)] = sweep;
        TryPropose(sweep);
    }

    /// <summary>
    /// Follows the core's Readies until it is quiet. Messages that reveal nothing durable go out
    /// before the disk write, so the leader's fsync overlaps its followers'; one fsync covers
    /// everything this round appended, however many commands it holds (group commit).
    /// </summary>
    private void Pump()
    {
        Replica core = _host.Core;
        while (true)
        {
            Ready ready;
            lock (_gate)
            {
                if (!core.HasReady) break;
                ready = core.GetReady();
                Send(ready.EagerMessages);
                // A decided slot is durable on a majority already (no replica's vote counts before its
                // own write is durable), so its clients are answered now, not after this Ready's fsync.
                ApplyDecided(ready);
            }
            SendDecidedReplies();
            // Outside the gate: reads served on the leader's lease need not wait for the disk. Only
            // this thread changes the core, and nothing else touches the log.
            _host.Append(ready.Persist);
            _host.SyncIfDue(NowMs);
            lock (_gate)
            {
                Finish(ready);
                DrainProposals();
            }
        }
        lock (_gate) MaybeSnapshot();
    }

    /// <summary>Applies a Ready's decided slots, answers their writes and serves the reads they make servable.</summary>
    private void ApplyDecided(Ready ready)
    {
        foreach (DecidedSlot decided in ready.Decided)
        {
            _applied.Clear();
            _host.Applier.Apply(decided, _applied);
            _slotsApplied++;
            _commandsApplied += decided.Batch.Commands.Count;
            foreach (AppliedCommand applied in _applied)
            {
                // A stale command was overtaken by a later one of its client (a leader change lost
                // it, a retry brought it back after): it is not applied, and says so at once.
                byte[] reply = applied.Reply ?? OvertakenWrite;
                var key = (applied.ClientId, applied.Sequence);
                if (_writes.Remove(key, out PendingWrite? write) && write.Done is not null) _decidedReplies.Add((write.Done, reply));
                if (_forwardedWrites.Remove(key, out ForwardOrigin origin))
                {
                    _peers.Send(new ForwardedReply(Id, origin.Peer, ForwardedReplyKind.Write, key.ClientId, key.Sequence, reply));
                }
            }
        }
        foreach (ReadState state in ready.Reads)
        {
            if (_reads.TryGetValue(state.ReadId, out PendingRead? read))
            {
                read.ServeAfterSlot = state.Slot;
                _readsAwaitingApply.Add(read);
            }
        }
        ServeReads();
    }

    /// <summary>
    /// Answers the writes just applied on this thread, before this Ready's fsync: each waiting
    /// session writes its reply and reads its next command here, with no thread-pool hop between
    /// the loop and the client. Outside the gate, so a session may serve leased reads meanwhile.
    /// </summary>
    private void SendDecidedReplies()
    {
        LentThread.Lend(CommandsLentPerPass);
        foreach ((ReplyPromise promise, byte[] reply) in _decidedReplies) promise.TrySetResultOnThisThread(reply);
        _decidedReplies.Clear();
    }

    /// <summary>The rest of a Ready once its records are durable: send, then advance.</summary>
    private void Finish(Ready ready)
    {
        Send(ready.Messages);
        foreach (long failed in ready.FailedReads)
        {
            if (!_reads.TryGetValue(failed, out PendingRead? read)) continue;
            if (read.Done is null)
            {
                // A follower's read: it retries with whoever leads next.
                _reads.Remove(failed);
                _forwardedReads.Remove(failed);
            }
            else
            {
                read.RequestedAtTick = -1;
            }
        }
        foreach (Command dropped in ready.DroppedProposals)
        {
            var key = (dropped.ClientId, dropped.Sequence);
            if (_writes.TryGetValue(key, out PendingWrite? write)) write.ProposedAtTick = -1;
            _forwardedWrites.Remove(key);
        }
        if (ready.RoleChange is { } change)
        {
            OnRoleChange(change);
        }
        foreach (int peer in ready.SnapshotsToSend) StartSnapshotTransfer(peer);
        _host.Core.Advance(ready);
        FollowLeaderChange();
        if (_host.FinishRebuildIfDone()) _logger.LogWarning("replica {Node} caught up: it votes again", Id);
    }

    private void OnRoleChange(RoleState change)
    {
        if (change.Role == Role.Leader)
        {
            _elections++;
            _logger.LogInformation("replica {Node} leads with ballot {Ballot}", Id, change.Ballot);
        }
        else if (_wasLeader)
        {
            _logger.LogWarning("replica {Node} no longer leads: {Role} at ballot {Ballot}, leader {Leader}", Id, change.Role, change.Ballot, change.LeaderId);
        }
        _wasLeader = change.Role == Role.Leader;
    }

    /// <summary>
    /// A new leader, or the same one re-elected under a new ballot (a new log tail: what was sent
    /// to it before may be gone): what waited for one, or went to the old one, goes there now,
    /// in order, instead of after the retry interval (same client and sequence: applied once).
    /// </summary>
    private void FollowLeaderChange()
    {
        var leader = (_host.Core.LeaderId, _host.Core.PromisedBallot);
        if (leader == _knownLeader) return;
        _knownLeader = leader;
        if (leader.LeaderId < 0) return;
        RequeueAll();
        foreach (PendingRead read in _reads.Values)
        {
            if (read.Done is not null && read.ServeAfterSlot is null) read.RequestedAtTick = -1;
        }
    }

    private void ServeReads()
    {
        if (_readsAwaitingApply.Count == 0) return;
        long applied = _host.Applier.AppliedSlot;
        for (int i = _readsAwaitingApply.Count - 1; i >= 0; i--)
        {
            PendingRead read = _readsAwaitingApply[i];
            if (read.ServeAfterSlot is not { } slot || applied < slot) continue;
            _readsAwaitingApply.RemoveAt(i);
            if (!_reads.Remove(read.Id)) continue;
            _readReply.ResetWrittenCount();
            _host.Applier.Read(NowMs, read.Command, _readReply);
            byte[] reply = _readReply.WrittenSpan.ToArray();
            if (read.Done is not null)
            {
                read.Done.TrySetResult(reply);
            }
            else if (_forwardedReads.Remove(read.Id, out ForwardOrigin origin))
            {
                _peers.Send(new ForwardedReply(Id, origin.Peer, ForwardedReplyKind.Read, origin.OriginId, 0, reply));
            }
        }
    }

    private void Send(IReadOnlyList<Message> messages)
    {
        foreach (Message message in messages) _peers.Send(message);
    }

    private void Complete(PendingWrite write, byte[] reply)
    {
        _writes.Remove((write.Command.ClientId, write.Command.Sequence));
        write.Done?.TrySetResult(reply);
    }

    private void FailWrite(PendingWrite write) => Complete(write, write.EverProposed
        ? Error($"TRYAGAIN the write was proposed but no majority confirmed it within {_options.CommandTimeout.TotalMilliseconds:0} ms; it may or may not have been applied")
        : Error($"TRYAGAIN no leader with a majority within {_options.CommandTimeout.TotalMilliseconds:0} ms; the write was not applied"));

    private void FailRead(PendingRead read)
    {
        _reads.Remove(read.Id);
        _forwardedReads.Remove(read.Id);
        read.Done?.TrySetResult(Error($"TRYAGAIN no leader with a majority within {_options.CommandTimeout.TotalMilliseconds:0} ms"));
    }

    private static readonly byte[] OvertakenWrite =
        Error("TRYAGAIN the write was not applied: a later write of this connection reached the log first, across a leader change");

    private static byte[] Error(string message) => Encoding.UTF8.GetBytes("-" + message + "\r\n");

    public async ValueTask DisposeAsync()
    {
        if (_tickTimer is not null) await _tickTimer.DisposeAsync();
        if (_sweepTimer is not null) await _sweepTimer.DisposeAsync();
        _stopping.Cancel();
        _work.Complete();
        if (_loop is not null) await _loopEnded.Task;
        if (_snapshotWriter is not null) await _snapshotWriter.StopAsync();
        lock (_gate)
        {
            foreach (PendingWrite write in _writes.Values) write.Done?.TrySetCanceled();
            foreach (PendingRead read in _reads.Values) read.Done?.TrySetCanceled();
            _incomingSnapshot?.Dispose();
            _host.Dispose();
        }
    }

    private sealed class NoPeers : IPeerChannel
    {
        public static readonly NoPeers Instance = new();

        public void Send(Message message)
        {
        }

        public void Send(PeerFrame frame)
        {
        }
    }
}
