using System.Threading.Channels;
using Paxuby.Consensus;

namespace Paxuby.Storage;

/// <summary>
/// Lets many callers append to one <see cref="WriteAheadLog"/> and share its fsyncs: one writer
/// takes every append queued so far, writes them in queue order and, under
/// <see cref="FsyncPolicy.Always"/>, covers them all with one fsync before acknowledging any.
/// Appends that arrive during that fsync form the next group. The queue is bounded: when full,
/// <see cref="AppendAsync"/> waits. The caller keeps ownership of the log and disposes it after this.
/// </summary>
public sealed class GroupCommitLog : IAsyncDisposable
{
    public const int DefaultQueueCapacity = 1024;

    private static readonly TimeSpan EverySecInterval = TimeSpan.FromSeconds(1);

    private readonly WriteAheadLog _log;
    private readonly FsyncPolicy _policy;
    private readonly TimeProvider _time;
    private readonly Channel<PendingAppend> _queue;
    private readonly int _maxGroupSize;
    private readonly List<(long Position, TaskCompletionSource Done)> _durableWaiters = [];
    private readonly Task _writer;
    private Exception? _fault;
    private Exception? _closed;

    public GroupCommitLog(WriteAheadLog log, FsyncPolicy policy, int queueCapacity = DefaultQueueCapacity, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentOutOfRangeException.ThrowIfLessThan(queueCapacity, 1);
        _log = log;
        _policy = policy;
        _time = time ?? TimeProvider.System;
        _maxGroupSize = queueCapacity;
        _queue = Channel.CreateBounded<PendingAppend>(new BoundedChannelOptions(queueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _writer = Task.Run(WriteLoopAsync);
    }

    public FsyncPolicy Policy => _policy;

    /// <summary>Every record numbered below this is on disk.</summary>
    public long DurablePosition => _log.DurablePosition;

    /// <summary>
    /// Appends <paramref name="records"/> and completes when the policy allows acknowledging them:
    /// on disk for <see cref="FsyncPolicy.Always"/>, written to the OS otherwise. Returns their
    /// position (see <see cref="WhenDurableAsync"/>). Cancelling only stops waiting for queue room.
    /// </summary>
    public async ValueTask<long> AppendAsync(PersistRecords records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        var pending = new PendingAppend(records);
        try
        {
            await _queue.Writer.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            throw Unusable();
        }
        return await pending.Done.Task.ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <see cref="WriteAheadLog.Compact"/> on the writer, in queue order: after every append
    /// queued before this call, before every one queued after. <paramref name="current"/> must be
    /// the state with all those earlier appends applied (and a durable snapshot through its
    /// <see cref="DurableState.SnapshotSlot"/>), and must not change until this completes. Completes
    /// once the compacted log is on disk, with its position.
    /// </summary>
    public async ValueTask<long> CompactAsync(DurableState current, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(current);
        var pending = new PendingAppend(PersistRecords.Empty) { Compaction = current };
        try
        {
            await _queue.Writer.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            throw Unusable();
        }
        return await pending.Done.Task.ConfigureAwait(false);
    }

    /// <summary>Completes once every record numbered below <paramref name="position"/> is on disk.</summary>
    public Task WhenDurableAsync(long position)
    {
        lock (_durableWaiters)
        {
            if (_log.DurablePosition >= position)
            {
                return Task.CompletedTask;
            }
            if (_closed is not null)
            {
                return Task.FromException(_closed);
            }
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _durableWaiters.Add((position, done));
            return done.Task;
        }
    }

    /// <summary>Writes and fsyncs what is queued, whatever the policy, then stops accepting appends.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        FailDurableWaiters(new ObjectDisposedException(nameof(GroupCommitLog)));
    }

    private async Task WriteLoopAsync()
    {
        var group = new List<PendingAppend>();
        var lastSync = _time.GetTimestamp();
        try
        {
            while (await WaitForWorkAsync(lastSync).ConfigureAwait(false))
            {
                while (group.Count < _maxGroupSize && _queue.Reader.TryRead(out var pending))
                {
                    group.Add(pending);
                }
                WriteGroup(group);
                group.Clear();
                if (_policy == FsyncPolicy.EverySec && _log.HasUnsyncedRecords
                    && _time.GetElapsedTime(lastSync) >= EverySecInterval)
                {
                    Sync();
                }
                if (_log.DurablePosition == _log.AppendedPosition)
                {
                    lastSync = _time.GetTimestamp();
                }
            }
            // Closing: whatever was acknowledged reaches the disk, whatever the policy.
            Sync();
        }
        catch (Exception e)
        {
            Fail(e, group);
        }
    }

    private void WriteGroup(List<PendingAppend> group)
    {
        if (group.Count == 0)
        {
            return;
        }
        foreach (var pending in group)
        {
            if (pending.Compaction is { } current)
            {
                _log.Compact(current);
                pending.Position = _log.AppendedPosition;
            }
            else
            {
                pending.Position = _log.Append(pending.Records);
            }
        }
        if (_policy == FsyncPolicy.Always)
        {
            Sync();
        }
        else
        {
            // A segment roll inside Append may have made some of it durable.
            CompleteDurableWaiters();
        }
        foreach (var pending in group)
        {
            pending.Done.TrySetResult(pending.Position);
        }
    }

    private void Sync()
    {
        _log.Sync();
        CompleteDurableWaiters();
    }

    /// <summary>Waits for queued appends or, under EverySec with unsynced records, for the next sync time.</summary>
    private async ValueTask<bool> WaitForWorkAsync(long lastSync)
    {
        if (_policy != FsyncPolicy.EverySec || !_log.HasUnsyncedRecords)
        {
            return await _queue.Reader.WaitToReadAsync().ConfigureAwait(false);
        }
        var untilSync = EverySecInterval - _time.GetElapsedTime(lastSync);
        if (untilSync <= TimeSpan.Zero)
        {
            return true;
        }
        using var timeout = new CancellationTokenSource(untilSync, _time);
        try
        {
            return await _queue.Reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return true;
        }
    }

    private void CompleteDurableWaiters()
    {
        lock (_durableWaiters)
        {
            var durable = _log.DurablePosition;
            for (var i = _durableWaiters.Count - 1; i >= 0; i--)
            {
                if (_durableWaiters[i].Position <= durable)
                {
                    _durableWaiters[i].Done.TrySetResult();
                    _durableWaiters.RemoveAt(i);
                }
            }
        }
    }

    private void Fail(Exception fault, List<PendingAppend> group)
    {
        lock (_durableWaiters)
        {
            _fault = fault;
        }
        _queue.Writer.TryComplete();
        var error = Unusable();
        foreach (var pending in group)
        {
            pending.Done.TrySetException(error);
        }
        while (_queue.Reader.TryRead(out var queued))
        {
            queued.Done.TrySetException(error);
        }
        FailDurableWaiters(error);
    }

    private void FailDurableWaiters(Exception error)
    {
        lock (_durableWaiters)
        {
            _closed ??= error;
            foreach (var (_, done) in _durableWaiters)
            {
                done.TrySetException(error);
            }
            _durableWaiters.Clear();
        }
    }

    private Exception Unusable() =>
        _fault is { } fault
            ? new IOException("the write-ahead log failed; appends are refused until it is recovered", fault)
            : new ObjectDisposedException(nameof(GroupCommitLog));

    private sealed class PendingAppend(PersistRecords records)
    {
        public PersistRecords Records { get; } = records;

        public TaskCompletionSource<long> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public long Position { get; set; }

        /// <summary>Set for a compaction instead of an append.</summary>
        public DurableState? Compaction { get; init; }
    }
}
