using System.Buffers;

namespace Paxuby.Server.Cluster;

/// <summary>
/// A write-only stream into pooled 1 MiB chunks: the cache is serialised into it on the node loop
/// (memory, no disk), and a background task copies it to the snapshot file, fsyncs and renames,
/// while the loop goes on. Chunks, not one growing array: no copy on growth, no huge allocation.
/// </summary>
internal sealed class SnapshotBuffer : Stream
{
    private const int ChunkBytes = 1024 * 1024;
    private readonly List<byte[]> _chunks = [];
    private int _lastUsed = ChunkBytes;
    private long _length;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _length;

    public override long Position
    {
        get => _length;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            if (_lastUsed == ChunkBytes)
            {
                _chunks.Add(ArrayPool<byte>.Shared.Rent(ChunkBytes));
                _lastUsed = 0;
            }
            int n = Math.Min(data.Length, ChunkBytes - _lastUsed);
            data[..n].CopyTo(_chunks[^1].AsSpan(_lastUsed));
            _lastUsed += n;
            _length += n;
            data = data[n..];
        }
    }

    public override void WriteByte(byte value) => Write([value]);

    /// <summary>Copies everything written, in order, to <paramref name="destination"/>.</summary>
    public void WriteTo(Stream destination)
    {
        for (int i = 0; i < _chunks.Count; i++)
        {
            destination.Write(_chunks[i], 0, i == _chunks.Count - 1 ? _lastUsed : ChunkBytes);
        }
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        foreach (byte[] chunk in _chunks) ArrayPool<byte>.Shared.Return(chunk);
        _chunks.Clear();
        base.Dispose(disposing);
    }
}
