using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Paxuby.Storage;

namespace Paxuby.Server.Cluster;

/// <summary>
/// Snapshots and log compaction, and sending a snapshot to a replica too far behind for the log
/// (in chunks, a bounded window in flight, resumed from what the receiver acknowledged).
/// </summary>
internal sealed partial class ReplicaNode
{
    private const int SnapshotChunkBytes = 256 * 1024;
    private const long SnapshotWindowBytes = 4L * 1024 * 1024;
    private const int SnapshotResendTicks = 50;
    private const int SnapshotGiveUpTicks = 3000;

    private readonly Dictionary<int, OutgoingSnapshot> _outgoingSnapshots = new();
    private SnapshotReceiver? _incomingSnapshot;
    private bool _snapshotInProgress;
    // Serialises and writes snapshots off the loop; started with the first snapshot.
    private LowPriorityWorker? _snapshotWriter;

    private sealed class OutgoingSnapshot(SnapshotInfo snapshot, long tick)
    {
        public SnapshotInfo Snapshot { get; } = snapshot;

        public long NextOffset { get; set; }

        public long Acked { get; set; }

        public long LastProgressTick { get; set; } = tick;

        public long StartedTick { get; } = tick;
    }

    /// <summary>A snapshot file the background task finished (or failed) writing.</summary>
    private sealed record SnapshotWritten(long Slot, SnapshotInfo? Snapshot, Exception? Error, TimeSpan CaptureTime, TimeSpan WriteTime);

    /// <summary>
    /// Once enough log has accumulated, captures the cache as of the applied slot — by reference,
    /// a pass over the keys and no serialisation, the only part that holds up the loop — and
    /// serialises, writes, fsyncs and renames the file in the background while writes go on.
    /// </summary>
    private void MaybeSnapshot()
    {
        if (_snapshotInProgress || !_host.SnapshotDue) return;
        _snapshotInProgress = true;
        long slot = _host.Applier.AppliedSlot;
        var capture = Stopwatch.StartNew();
        Action<Stream> image = _host.Applier.CaptureSnapshot();
        TimeSpan captureTime = capture.Elapsed;
        if (_host.InMemory)
        {
            // The in-memory device is not shared across threads; it costs nothing to write here.
            OnSnapshotWritten(WriteSnapshot(image, slot, captureTime));
            return;
        }
        _snapshotWriter ??= new LowPriorityWorker($"snapshot writer {Id}");
        bool posted = _snapshotWriter.TryPost(() => ReportSnapshotWritten(WriteSnapshot(image, slot, captureTime)));
        if (!posted) _snapshotInProgress = false; // stopping
    }

    /// <summary>Once stopping, the report is dropped: the loop is gone, and the next start finds the snapshot on disk.</summary>
    private void ReportSnapshotWritten(SnapshotWritten written) => _work.AddBeyondCapacity(new WorkItem(written, TickNow()));

    /// <summary>Writes the captured image; any failure is reported, for the loop to log and to try again later.</summary>
    private SnapshotWritten WriteSnapshot(Action<Stream> image, long slot, TimeSpan captureTime)
    {
        var write = Stopwatch.StartNew();
        try
        {
            using SnapshotWriter writer = _host.Snapshots.BeginWrite(slot);
            image(writer);
            SnapshotInfo info = writer.Commit();
            return new SnapshotWritten(slot, info, null, captureTime, write.Elapsed);
        }
        catch (Exception e)
        {
            return new SnapshotWritten(slot, null, e, captureTime, write.Elapsed);
        }
    }

    private void OnSnapshotWritten(SnapshotWritten written)
    {
        _snapshotInProgress = false;
        if (written.Snapshot is not { } snapshot)
        {
            _logger.LogError(written.Error, "replica {Node}: writing the snapshot of slot {Slot} failed; the log keeps growing until the next try", Id, written.Slot);
            return;
        }
        _host.LatestSnapshot = snapshot;
        _host.SnapshotsTaken++;
        // The core keeps the last decided slots below the snapshot for peers a little behind; the
        // log on disk keeps nothing the snapshot holds, so compacting it rewrites only the slots
        // decided while the snapshot was being written. After a restart, a peer that far behind
        // gets the snapshot instead.
        long floor = Math.Max(0, written.Slot - _options.SnapshotRetainSlots);
        var compaction = Stopwatch.StartNew();
        _host.Core.Compact(floor);
        if (written.Slot > _host.Durable.SnapshotSlot)
        {
            _host.CompactLog(written.Slot);
        }
        _logger.LogInformation(
            "replica {Node}: snapshot of slot {Slot}, {Bytes} bytes (captured in {Capture:0.0} ms on the loop, serialised and written in {Write:0.0} ms in the background); log compacted in {Compaction:0.0} ms on the loop, slots from {Floor} kept in memory",
            Id, written.Slot, snapshot.Length, written.CaptureTime.TotalMilliseconds, written.WriteTime.TotalMilliseconds, compaction.Elapsed.TotalMilliseconds, floor + 1);
    }

    /// <summary>The core asks for a snapshot to go to <paramref name="peer"/>: its log no longer reaches back far enough.</summary>
    private void StartSnapshotTransfer(int peer)
    {
        if (_outgoingSnapshots.ContainsKey(peer)) return;
        if (_host.LatestSnapshot is not { } snapshot)
        {
            _logger.LogWarning("replica {Node}: replica {Peer} needs a snapshot but none is written yet", Id, peer);
            return;
        }
        _logger.LogInformation("replica {Node}: sending the snapshot of slot {Slot} ({Bytes} bytes) to replica {Peer}", Id, snapshot.Slot, snapshot.Length, peer);
        var transfer = new OutgoingSnapshot(snapshot, _tick);
        _outgoingSnapshots[peer] = transfer;
        SendSnapshotChunks(peer, transfer);
    }

    private void SendSnapshotChunks(int peer, OutgoingSnapshot transfer)
    {
        SnapshotInfo snapshot = transfer.Snapshot;
        while (transfer.NextOffset < snapshot.Length && transfer.NextOffset - transfer.Acked < SnapshotWindowBytes)
        {
            var data = new byte[(int)Math.Min(SnapshotChunkBytes, snapshot.Length - transfer.NextOffset)];
            try
            {
                _host.Snapshots.ReadChunk(snapshot, transfer.NextOffset, data);
            }
            catch (FileNotFoundException)
            {
                // A newer snapshot replaced it: start over with that one.
                _outgoingSnapshots.Remove(peer);
                StartSnapshotTransfer(peer);
                return;
            }
            _peers.Send(new SnapshotChunk(Id, peer, snapshot.Slot, snapshot.Length, transfer.NextOffset, data));
            transfer.NextOffset += data.Length;
        }
    }

    private void OnSnapshotAck(SnapshotAck ack)
    {
        if (!_outgoingSnapshots.TryGetValue(ack.From, out OutgoingSnapshot? transfer) || transfer.Snapshot.Slot != ack.Slot) return;
        transfer.LastProgressTick = _tick;
        transfer.Acked = Math.Min(ack.Received, transfer.Snapshot.Length);
        if (ack.Rejected) transfer.NextOffset = transfer.Acked;
        if (transfer.Acked >= transfer.Snapshot.Length)
        {
            _outgoingSnapshots.Remove(ack.From);
            _logger.LogInformation("replica {Node}: replica {Peer} received the snapshot of slot {Slot}", Id, ack.From, ack.Slot);
            return;
        }
        SendSnapshotChunks(ack.From, transfer);
    }

    /// <summary>Per tick: resend from the last acknowledged byte when acknowledgements stopped; give up on a peer gone for long.</summary>
    private void RetrySnapshotTransfers()
    {
        if (_outgoingSnapshots.Count == 0) return;
        foreach (var (peer, transfer) in _outgoingSnapshots.ToList())
        {
            if (_tick - transfer.StartedTick > SnapshotGiveUpTicks && _tick - transfer.LastProgressTick > SnapshotResendTicks)
            {
                _outgoingSnapshots.Remove(peer); // the core asks again while the peer still lags
            }
            else if (_tick - transfer.LastProgressTick > SnapshotResendTicks)
            {
                transfer.LastProgressTick = _tick;
                transfer.NextOffset = transfer.Acked;
                SendSnapshotChunks(peer, transfer);
            }
        }
    }

    private void OnSnapshotChunk(SnapshotChunk chunk)
    {
        if (chunk.Slot <= _host.Applier.AppliedSlot)
        {
            // Already past it (an old transfer, or the log caught up): tell the sender to stop.
            _peers.Send(new SnapshotAck(Id, chunk.From, chunk.Slot, chunk.TotalLength, Rejected: false));
            return;
        }
        if (_incomingSnapshot is null || _incomingSnapshot.Slot != chunk.Slot || _incomingSnapshot.TotalLength != chunk.TotalLength)
        {
            _incomingSnapshot?.Dispose();
            _incomingSnapshot = _host.Snapshots.BeginReceive(chunk.Slot, chunk.TotalLength);
        }
        SnapshotReceiver receiver = _incomingSnapshot;
        ChunkResult result = receiver.WriteChunk(chunk.Offset, chunk.Data);
        _peers.Send(new SnapshotAck(Id, chunk.From, chunk.Slot, receiver.ReceivedBytes, result != ChunkResult.Accepted));
        if (receiver.IsComplete) InstallReceivedSnapshot(receiver);
    }

    private void InstallReceivedSnapshot(SnapshotReceiver receiver)
    {
        _incomingSnapshot = null;
        SnapshotInfo snapshot;
        try
        {
            snapshot = receiver.Complete();
        }
        catch (InvalidDataException e)
        {
            _logger.LogWarning("replica {Node}: the snapshot received for slot {Slot} failed its checks ({Reason}); it will be sent again", Id, receiver.Slot, e.Message);
            return;
        }
        finally
        {
            receiver.Dispose();
        }
        var restore = Stopwatch.StartNew();
        using (Stream stream = new BufferedStream(_host.Snapshots.OpenRead(snapshot), 1 << 20))
        {
            _host.Applier.Restore(stream);
        }
        _host.LatestSnapshot = snapshot;
        _host.Core.InstallSnapshot(snapshot.Slot);
        _host.CompactLog(snapshot.Slot);
        _host.SnapshotsInstalled++;
        _logger.LogInformation("replica {Node}: installed the snapshot of slot {Slot} ({Bytes} bytes) in {Ms:0.0} ms", Id, snapshot.Slot, snapshot.Length, restore.Elapsed.TotalMilliseconds);
        ServeReads();
    }
}
