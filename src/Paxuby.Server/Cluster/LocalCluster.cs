using System.Buffers;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Paxuby.Cache;
using Paxuby.Consensus;
using Paxuby.Server.Engine;

namespace Paxuby.Server.Cluster;

/// <summary>
/// Replicas of one process, each a real Multi-Paxos core with its own cache, joined by in-memory
/// links. One loop thread runs them all: it ticks the cores, delivers messages, follows each
/// Ready (persist → send → apply → advance) and answers waiting clients. A client's command may
/// enter at any replica; it is proposed to the leader that replica knows and answered by the log.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private readonly ClusterOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ReplicaHost[] _hosts;
    private readonly Channel<object> _work;
    private readonly Queue<Message> _network = new();
    private readonly Dictionary<(long ClientId, long Sequence), PendingWrite> _writes = new();
    private readonly Dictionary<long, PendingRead> _reads = new();
    private readonly List<AppliedCommand> _applied = [];
    private readonly List<(ReplicaHost Host, Ready Ready)> _cycle = [];
    private readonly bool[] _inCycle;
    private readonly List<(long Slot, TaskCompletionSource<byte[][]> Done)> _applyWaiters = [];
    private readonly ArrayBufferWriter<byte> _readReply = new(1024);
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly ITimer _tickTimer;
    private readonly ITimer _sweepTimer;
    private readonly Task _loop;
    private readonly long _sweepClientId = Random.Shared.NextInt64(1, long.MaxValue);
    private long _sweepSequence;
    private long _tick;
    private long _nextReadId;
    private long _elections;

    private sealed record TickSignal;
    private sealed record SweepSignal;
    private static readonly TickSignal Tick = new();
    private static readonly SweepSignal Sweep = new();

    public LocalCluster(int replicaCount, ClusterOptions options, TimeProvider time, ILogger logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
        int[] ids = Enumerable.Range(0, replicaCount).ToArray();
        _hosts = ids.Select(id => new ReplicaHost(
            new ReplicaOptions { ReplicaId = id, ReplicaIds = ids },
            options.Seed * 31 + id,
            options.DataDirectory is null ? null : Path.Combine(options.DataDirectory, $"node-{id}", "wal"),
            options.Fsync)).ToArray();
        _inCycle = new bool[_hosts.Length];
        foreach (ReplicaHost host in _hosts)
        {
            if (host.Recovery is { } recovery) _logger.LogInformation("replica {Node} recovered its log: {Report}", host.Id, recovery);
        }
        _work = Channel.CreateBounded<object>(new BoundedChannelOptions(options.WorkQueueCapacity) { SingleReader = true });
        _loop = Task.Factory.StartNew(RunLoopAsync, TaskCreationOptions.LongRunning).Unwrap();
        _tickTimer = time.CreateTimer(_ => _work.Writer.TryWrite(Tick), null, options.TickInterval, options.TickInterval);
        _sweepTimer = time.CreateTimer(_ => _work.Writer.TryWrite(Sweep), null, options.ExpireSweepInterval, options.ExpireSweepInterval);
    }

    public int ReplicaCount => _hosts.Length;

    /// <summary>The engine through which replica <paramref name="node"/>'s clients reach the cluster.</summary>
    public ICommandEngine EngineFor(int node) => new ClusterNodeEngine(this, node);

    /// <summary>The replica every other one follows, or -1 while there is none.</summary>
    public int LeaderId
    {
        get
        {
            lock (_gate)
            {
                return _hosts.FirstOrDefault(h => h.Core.Role == Role.Leader && !h.Isolated)?.Id ?? -1;
            }
        }
    }

    /// <summary>Cuts replica <paramref name="node"/> off from the others, or heals it.</summary>
    public void SetIsolated(int node, bool isolated)
    {
        lock (_gate) _hosts[node].Isolated = isolated;
    }

    internal async ValueTask<byte[]> WriteAsync(int node, long clientId, long sequence, byte[] command, CancellationToken cancel)
    {
        var done = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        var request = new PendingWrite(node, new Command(clientId, sequence, _time.GetUtcNow().ToUnixTimeMilliseconds(), command), DeadlineTick())
        {
            Done = done,
        };
        await _work.Writer.WriteAsync(request, cancel);
        return await done.Task.WaitAsync(cancel);
    }

    internal async ValueTask<byte[]> ReadAsync(int node, byte[] command, CancellationToken cancel)
    {
        var done = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        var request = new PendingRead(Interlocked.Increment(ref _nextReadId), node, command, DeadlineTick()) { Done = done };
        await _work.Writer.WriteAsync(request, cancel);
        return await done.Task.WaitAsync(cancel);
    }

    /// <summary>
    /// The state of every replica that is not isolated, taken at a moment when all of them have
    /// applied the same slot, at least the highest decided now: equal bytes mean equal caches.
    /// </summary>
    public Task<byte[][]> SnapshotsWhenCaughtUpAsync()
    {
        var done = new TaskCompletionSource<byte[][]>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _applyWaiters.Add((_hosts.Max(h => h.Core.CommitIndex), done));
            CompleteApplyWaiters();
        }
        return done.Task;
    }

    private void CompleteApplyWaiters()
    {
        ReplicaHost[] reachable = _hosts.Where(h => !h.Isolated).ToArray();
        long applied = reachable[0].Applier.AppliedSlot;
        if (reachable.Any(h => h.Applier.AppliedSlot != applied)) return;
        for (int i = _applyWaiters.Count - 1; i >= 0; i--)
        {
            var (slot, done) = _applyWaiters[i];
            if (applied < slot) continue;
            _applyWaiters.RemoveAt(i);
            done.TrySetResult(reachable.Select(h =>
            {
                using var stream = new MemoryStream();
                h.Cache.Snapshot(stream);
                return stream.ToArray();
            }).ToArray());
        }
    }

    internal long GetWatchVersion(int node, ReadOnlySpan<byte> key, int db)
    {
        lock (_gate)
        {
            ReplicaHost host = _hosts[node];
            return host.Cache.GetWatchVersion(db, key, Math.Max(host.Applier.LastTimestampMs, NowMs));
        }
    }

    internal EngineStats GetStats(int node)
    {
        lock (_gate)
        {
            ReplicaHost host = _hosts[node];
            var databases = host.Cache.Keyspace.Databases.Where(d => d.Count > 0).Select(d => (d.Index, (long)d.Count, (long)d.ExpiresCount)).ToList();
            // Every replica takes writes (followers forward them), so each one is a primary to Redis clients.
            const string role = "master";
            return new EngineStats(databases, GC.GetTotalMemory(false), host.Applier.AppliedSlot, role)
            {
                Consensus = new ConsensusStats(host.Core.Role.ToString().ToLowerInvariant(), host.Core.LeaderId, host.Core.PromisedBallot.ToString(),
                    host.Core.CommitIndex, host.Applier.AppliedSlot, host.Core.PendingProposalCount, host.Core.CanServeLocalReads, _elections),
            };
        }
    }

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private long DeadlineTick() => Interlocked.Read(ref _tick) + Math.Max(1, (long)(_options.CommandTimeout / _options.TickInterval));

    private async Task RunLoopAsync()
    {
        ChannelReader<object> work = _work.Reader;
        try
        {
            while (await work.WaitToReadAsync(_stopping.Token))
            {
                lock (_gate)
                {
                    while (work.TryRead(out object? item)) Handle(item);
                    Pump();
                    if (_applyWaiters.Count > 0) CompleteApplyWaiters();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
        catch (Exception e)
        {
            _logger.LogCritical(e, "the node loop failed; replicas stop here");
            throw;
        }
    }

    private void Handle(object item)
    {
        switch (item)
        {
            case PendingWrite write:
                _writes[(write.Command.ClientId, write.Command.Sequence)] = write;
                TryPropose(write);
                break;
            case PendingRead read:
                _reads[read.Id] = read;
                TryRead(read);
                break;
            case TickSignal:
                OnTick();
                break;
            case SweepSignal:
                ProposeSweep();
                break;
        }
    }

    private void OnTick()
    {
        long tick = Interlocked.Increment(ref _tick);
        long now = NowMs;
        foreach (ReplicaHost host in _hosts)
        {
            host.Core.Tick();
            // Under everysec, records written in a quiet second still reach the disk within it.
            host.SyncIfDue(now);
        }
        foreach (PendingWrite write in _writes.Values.ToList())
        {
            if (tick > write.DeadlineTick) FailWrite(write);
            else if (write.ProposedAtTick < 0 || tick - write.ProposedAtTick > _options.RetryAfterTicks) TryPropose(write);
        }
        foreach (PendingRead read in _reads.Values.ToList())
        {
            if (tick > read.DeadlineTick) FailRead(read);
            else if (read.ServedBy < 0 || (read.ServeAfterSlot is null && tick - read.RequestedAtTick > _options.RetryAfterTicks)) TryRead(read);
        }
    }

    /// <summary>The leader as replica <paramref name="via"/> knows it, if that replica can reach it.</summary>
    private ReplicaHost? LeaderSeenFrom(int via)
    {
        ReplicaHost entry = _hosts[via];
        if (entry.Core.Role == Role.Leader) return entry;
        int leader = entry.Core.LeaderId;
        if (leader < 0 || entry.Isolated || _hosts[leader].Isolated) return null;
        return _hosts[leader].Core.Role == Role.Leader ? _hosts[leader] : null;
    }

    private void TryPropose(PendingWrite write)
    {
        ReplicaHost? leader = LeaderSeenFrom(write.ViaNode);
        if (leader is null) return;
        switch (leader.Core.Propose(write.Command))
        {
            case ProposeStatus.Accepted:
                write.EverProposed = true;
                write.ProposedAtTick = _tick;
                break;
            case ProposeStatus.TooLarge:
                Complete(write, Error("ERR command too large for one log entry"));
                break;
            default:
                // Not the leader any more, or its queue is full: the next tick tries again.
                write.ProposedAtTick = -1;
                break;
        }
    }

    private void TryRead(PendingRead read)
    {
        ReplicaHost? leader = LeaderSeenFrom(read.ViaNode);
        if (leader is null) return;
        if (leader.Core.Read(read.Id) == ReadStatus.Pending)
        {
            read.ServedBy = leader.Id;
            read.RequestedAtTick = _tick;
            read.ServeAfterSlot = null;
        }
    }

    private void ProposeSweep()
    {
        ReplicaHost? leader = _hosts.FirstOrDefault(h => h.Core.Role == Role.Leader && !h.Isolated);
        if (leader is null || !leader.Cache.Keyspace.Databases.Any(d => d.ExpiresCount > 0)) return;
        if (_writes.ContainsKey((_sweepClientId, _sweepSequence))) return;
        var sweep = new PendingWrite(leader.Id, new Command(_sweepClientId, ++_sweepSequence, NowMs, CacheCommandCodec.EncodeExpireSweep()), DeadlineTick());
        _writes[(_sweepClientId, _sweepSequence)] = sweep;
        TryPropose(sweep);
    }

    /// <summary>
    /// Runs every replica's Ready cycle and delivers messages until all is quiet. A round takes
    /// each replica's Ready, sends what may go before the disk write (the leader's Accepts), lets
    /// the replicas that receive it take their Readies in the same round, appends everything, and
    /// syncs the logs together: the leader's fsync and its followers' overlap as on separate
    /// machines, and one fsync per replica covers all its records of the round. Only then do the
    /// messages that reveal those records go out.
    /// </summary>
    private void Pump()
    {
        bool busy = true;
        while (busy)
        {
            busy = false;
            _cycle.Clear();
            Array.Clear(_inCycle);
            bool joined = true;
            while (joined)
            {
                joined = false;
                foreach (ReplicaHost host in _hosts)
                {
                    if (_inCycle[host.Id] || !host.Core.HasReady) continue;
                    Ready ready = host.Core.GetReady();
                    Send(ready.EagerMessages);
                    host.Append(ready.Persist);
                    _cycle.Add((host, ready));
                    _inCycle[host.Id] = true;
                    joined = true;
                }
                while (_network.TryDequeue(out Message? message))
                {
                    busy = true;
                    joined = true;
                    _hosts[message.To].Core.Step(message);
                }
            }
            if (_cycle.Count > 0)
            {
                busy = true;
                SyncLogs();
                foreach (var (host, ready) in _cycle) Finish(host, ready);
            }
        }
    }

    private void SyncLogs()
    {
        long now = NowMs;
        if (_cycle.Count == 1)
        {
            _cycle[0].Host.SyncIfDue(now);
            return;
        }
        Parallel.ForEach(_cycle, entry => entry.Host.SyncIfDue(now));
    }

    /// <summary>The rest of a Ready once its records are durable: send, apply, answer, advance.</summary>
    private void Finish(ReplicaHost host, Ready ready)
    {
        Send(ready.Messages);
        foreach (DecidedSlot decided in ready.Decided)
        {
            _applied.Clear();
            host.Applier.Apply(decided, _applied);
            foreach (AppliedCommand applied in _applied)
            {
                if (applied.Reply is not null && _writes.TryGetValue((applied.Command.ClientId, applied.Command.Sequence), out PendingWrite? write))
                {
                    Complete(write, applied.Reply);
                }
            }
        }
        foreach (ReadState state in ready.Reads)
        {
            if (_reads.TryGetValue(state.ReadId, out PendingRead? read)) read.ServeAfterSlot = state.Slot;
        }
        foreach (long failed in ready.FailedReads)
        {
            if (_reads.TryGetValue(failed, out PendingRead? read)) read.ServedBy = -1;
        }
        foreach (Command dropped in ready.DroppedProposals)
        {
            if (_writes.TryGetValue((dropped.ClientId, dropped.Sequence), out PendingWrite? write)) write.ProposedAtTick = -1;
        }
        if (ready.RoleChange is { Role: Role.Leader })
        {
            _elections++;
            _logger.LogInformation("replica {Node} leads with ballot {Ballot}", host.Id, ready.RoleChange.Value.Ballot);
        }
        host.Core.Advance(ready);
        ServeReads(host);
    }

    private void ServeReads(ReplicaHost host)
    {
        foreach (PendingRead read in _reads.Values.ToList())
        {
            if (read.ServedBy != host.Id || read.ServeAfterSlot is not { } slot || host.Applier.AppliedSlot < slot) continue;
            _readReply.ResetWrittenCount();
            host.Applier.Read(NowMs, read.Command, _readReply);
            _reads.Remove(read.Id);
            read.Done.TrySetResult(_readReply.WrittenSpan.ToArray());
        }
    }

    private void Send(IReadOnlyList<Message> messages)
    {
        foreach (Message message in messages)
        {
            // An isolated replica's links are down both ways.
            if (_hosts[message.From].Isolated || _hosts[message.To].Isolated) continue;
            _network.Enqueue(message);
        }
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
        read.Done.TrySetResult(Error($"TRYAGAIN no leader with a majority within {_options.CommandTimeout.TotalMilliseconds:0} ms"));
    }

    private static byte[] Error(string message) => Encoding.UTF8.GetBytes("-" + message + "\r\n");

    public async ValueTask DisposeAsync()
    {
        await _tickTimer.DisposeAsync();
        await _sweepTimer.DisposeAsync();
        _stopping.Cancel();
        _work.Writer.TryComplete();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }
        lock (_gate)
        {
            foreach (PendingWrite write in _writes.Values) write.Done?.TrySetCanceled();
            foreach (PendingRead read in _reads.Values) read.Done.TrySetCanceled();
            foreach (ReplicaHost host in _hosts) host.Dispose();
        }
    }
}
