using System.Buffers;

namespace Paxuby.Storage;

/// <summary>
/// Writes one snapshot into <c>snapshot-{slot}.tmp</c> through a fixed buffer (memory stays bounded
/// however large the snapshot), computing the CRC as it goes. <see cref="Commit"/> makes it the
/// store's newest snapshot; disposing without committing deletes the temporary file.
/// </summary>
public sealed class SnapshotWriter : Stream
{
    private readonly SnapshotStore _store;
    private readonly IStorageDevice _device;
    private readonly string _path;
    private readonly IAppendFile _file;
    private byte[]? _buffer = ArrayPool<byte>.Shared.Rent(SnapshotFormat.BufferBytes);
    private int _buffered;
    private long _fileBytes;
    private long _syncedBytes;
    private uint _crc = Crc32C.Start;
    private bool _committed;

    internal SnapshotWriter(SnapshotStore store, IStorageDevice device, string path, long slot)
    {
        _store = store;
        _device = device;
        _path = path;
        Slot = slot;
        _file = device.Create(path);
        SnapshotFormat.WriteHeader(_buffer, slot);
        _buffered = SnapshotFormat.HeaderBytes;
    }

    public long Slot { get; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => _buffer is not null && !_committed;

    public override long Length => throw new NotSupportedException();

    /// <summary>Payload bytes written so far.</summary>
    public override long Position
    {
        get => _fileBytes + _buffered - SnapshotFormat.HeaderBytes;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> data)
    {
        var buffer = WritableBuffer();
        while (!data.IsEmpty)
        {
            var room = buffer.Length - _buffered;
            if (room == 0)
            {
                Drain();
                room = buffer.Length;
            }
            var take = Math.Min(room, data.Length);
            data[..take].CopyTo(buffer.AsSpan(_buffered));
            _buffered += take;
            data = data[take..];
        }
    }

    public override void WriteByte(byte value) => Write([value]);

    /// <summary>Hands what is buffered to the file (not to the disk: <see cref="Commit"/> syncs).</summary>
    public override void Flush()
    {
        WritableBuffer();
        Drain();
    }

    /// <summary>
    /// Writes the trailer, syncs the file, renames it to <c>snapshot-{slot}.snap</c> and syncs the
    /// directory: from then on a crash keeps it. Then deletes older snapshots beyond the one the
    /// store keeps, and stale temporary files.
    /// </summary>
    public SnapshotInfo Commit()
    {
        var buffer = WritableBuffer();
        if (buffer.Length - _buffered < SnapshotFormat.TrailerBytes)
        {
            Drain();
        }
        var total = _fileBytes + _buffered + SnapshotFormat.TrailerBytes;
        var crc = Crc32C.Append(_crc, buffer.AsSpan(0, _buffered));
        SnapshotFormat.WriteTrailer(buffer.AsSpan(_buffered, SnapshotFormat.TrailerBytes), total, crc);
        _file.Append(buffer.AsSpan(0, _buffered + SnapshotFormat.TrailerBytes));
        _buffered = 0;
        _file.Sync();
        _file.Dispose();
        _committed = true;
        var committed = Path.Combine(_store.Directory, SnapshotFormat.NameFor(Slot, SnapshotFormat.Committed));
        _device.Rename(_path, committed);
        _device.SyncDirectory(_store.Directory);
        _store.Prune();
        return new SnapshotInfo(Slot, total);
    }

    protected override void Dispose(bool disposing)
    {
        if (_buffer is null)
        {
            return;
        }
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = null;
        if (!disposing || _committed)
        {
            return;
        }
        _file.Dispose();
        try
        {
            _device.Delete(_path);
        }
        catch (IOException)
        {
            // The next commit deletes stale temporary files.
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private void Drain()
    {
        if (_buffered == 0)
        {
            return;
        }
        var bytes = _buffer.AsSpan(0, _buffered);
        _crc = Crc32C.Append(_crc, bytes);
        _file.Append(bytes);
        _fileBytes += _buffered;
        _buffered = 0;
        if (_fileBytes - _syncedBytes >= SnapshotFormat.IncrementalSyncBytes)
        {
            // Synced as it goes (Redis does so for its RDB, every 4 MB): the log's fsyncs, which
            // share the disk, then never wait behind more than a step of the snapshot.
            _file.Sync();
            _syncedBytes = _fileBytes;
        }
    }

    private byte[] WritableBuffer()
    {
        ObjectDisposedException.ThrowIf(_buffer is null, this);
        return _committed ? throw new InvalidOperationException("the snapshot is committed") : _buffer;
    }
}
