namespace Paxuby.Storage;

/// <summary>What <see cref="SnapshotReceiver.WriteChunk"/> did with a chunk.</summary>
public enum ChunkResult
{
    /// <summary>Appended; <see cref="SnapshotReceiver.ReceivedBytes"/> grew by its length.</summary>
    Accepted = 0,

    /// <summary>Not at <see cref="SnapshotReceiver.ReceivedBytes"/> (a duplicate, or a gap): ignored; resend from there.</summary>
    WrongOffset = 1,

    /// <summary>Would run past the announced total length: ignored.</summary>
    PastEnd = 2,
}

/// <summary>
/// Receives a snapshot file sent in chunks of raw bytes into <c>snapshot-{slot}.part</c>, in order.
/// Disposing keeps the partial file, so a later <see cref="SnapshotStore.BeginReceive"/> of the same
/// slot resumes from <see cref="ReceivedBytes"/>. <see cref="Complete"/> verifies and installs it.
/// </summary>
public sealed class SnapshotReceiver : IDisposable
{
    private readonly SnapshotStore _store;
    private readonly IStorageDevice _device;
    private readonly string _path;
    private readonly IAppendFile _file;
    private bool _closed;

    internal SnapshotReceiver(SnapshotStore store, IStorageDevice device, string path, long slot, long totalLength, IAppendFile file)
    {
        _store = store;
        _device = device;
        _path = path;
        _file = file;
        Slot = slot;
        TotalLength = totalLength;
        ReceivedBytes = file.Length;
    }

    public long Slot { get; }

    public long TotalLength { get; }

    /// <summary>Bytes in the partial file: the offset the next chunk must have.</summary>
    public long ReceivedBytes { get; private set; }

    public bool IsComplete => ReceivedBytes == TotalLength;

    /// <summary>Appends <paramref name="chunk"/> if it starts at <see cref="ReceivedBytes"/> and fits in the total length.</summary>
    public ChunkResult WriteChunk(long offset, ReadOnlySpan<byte> chunk)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        if (offset != ReceivedBytes)
        {
            return ChunkResult.WrongOffset;
        }
        if (chunk.Length > TotalLength - ReceivedBytes)
        {
            return ChunkResult.PastEnd;
        }
        _file.Append(chunk);
        ReceivedBytes += chunk.Length;
        return ChunkResult.Accepted;
    }

    /// <summary>Makes the bytes received so far survive a power failure, so a resumed transfer need not resend them.</summary>
    public void Sync()
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        _file.Sync();
    }

    /// <summary>
    /// Once every byte is in: syncs the file, checks header, slot, length and checksum, renames it to
    /// <c>snapshot-{slot}.snap</c>, syncs the directory and prunes older snapshots. A file that does
    /// not check out is deleted and <see cref="InvalidDataException"/> thrown: receive it again.
    /// </summary>
    public SnapshotInfo Complete()
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        if (!IsComplete)
        {
            throw new InvalidOperationException($"received {ReceivedBytes} of {TotalLength} bytes of snapshot {Slot}");
        }
        _file.Sync();
        _file.Dispose();
        _closed = true;
        if (SnapshotFormat.Verify(_device, _path, Slot) is { } problem)
        {
            _device.Delete(_path);
            _device.SyncDirectory(_store.Directory);
            throw new InvalidDataException($"received snapshot {Slot} is invalid ({problem}); deleted it");
        }
        _device.Rename(_path, _store.PathOf(Slot, SnapshotFormat.Committed));
        _device.SyncDirectory(_store.Directory);
        _store.Prune();
        return new SnapshotInfo(Slot, TotalLength);
    }

    public void Dispose()
    {
        if (!_closed)
        {
            _closed = true;
            _file.Dispose();
        }
    }
}
