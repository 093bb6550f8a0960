using System.Buffers;
using System.Threading.Channels;
using Paxuby.Consensus;

namespace Paxuby.Transport;

/// <summary>
/// One link's bounded queue of encoded frames. Senders copy a frame in under a short lock and
/// return; the link's single writer takes everything queued at once and writes it as one batch.
/// Frames are packed into pooled chunks, so queueing allocates nothing per frame.
/// </summary>
internal sealed class SendQueue
{
    private const int ChunkBytes = 64 * 1024;

    /// <summary>Chunks above this are allocated, not rented, so a rare huge frame does not keep
    /// a huge array alive in the shared pool.</summary>
    private const int MaxPooledChunkBytes = 1024 * 1024;

    private readonly object _lock = new();
    private readonly long _maxBytes;
    private readonly int _maxFrames;
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    private List<Chunk> _filled = [];
    private List<Chunk>? _spare = [];
    private byte[]? _current;
    private int _currentUsed;
    private long _queuedBytes;
    private int _queuedFrames;
    private bool _closed;

    public SendQueue(long maxBytes, int maxFrames)
    {
        _maxBytes = maxBytes;
        _maxFrames = maxFrames;
    }

    /// <summary>Bytes queued and not yet handed to the socket.</summary>
    public long QueuedBytes => Volatile.Read(ref _queuedBytes);

    public bool TryEnqueue(byte frameType, ReadOnlySpan<byte> payload)
    {
        var frameBytes = FrameFormat.HeaderBytes + payload.Length;
        lock (_lock)
        {
            if (!TryReserve(frameBytes, out var frame))
            {
                return false;
            }
            FrameWriter.WriteHeader(frame, frameType, payload.Length);
            payload.CopyTo(frame[FrameFormat.HeaderBytes..]);
        }
        _signal.Writer.TryWrite(true);
        return true;
    }

    /// <summary>Encodes <paramref name="message"/> straight into the queue; <paramref name="size"/>
    /// is its <see cref="PaxosMessageCodec.Size"/>, computed by the caller outside the lock.</summary>
    public bool TryEnqueue(Message message, int size)
    {
        var frameBytes = FrameFormat.HeaderBytes + size;
        lock (_lock)
        {
            if (!TryReserve(frameBytes, out var frame))
            {
                return false;
            }
            try
            {
                FrameWriter.WriteHeader(frame, FrameTypes.Paxos, size);
                PaxosMessageCodec.Write(frame[FrameFormat.HeaderBytes..], message);
            }
            catch
            {
                // The frame was reserved at the end of the current chunk: take it back whole.
                _currentUsed -= frameBytes;
                _queuedBytes -= frameBytes;
                _queuedFrames--;
                throw;
            }
        }
        _signal.Writer.TryWrite(true);
        return true;
    }

    /// <summary>Waits until something may be queued; false once the queue is closed.</summary>
    public ValueTask<bool> WaitAsync(CancellationToken cancellationToken) =>
        _signal.Reader.WaitToReadAsync(cancellationToken);

    /// <summary>Writer only: takes every queued frame. Hand the list back through <see cref="Release"/>.</summary>
    public List<Chunk> Take(out int frames, out long bytes)
    {
        _signal.Reader.TryRead(out _);
        lock (_lock)
        {
            SealCurrent();
            var taken = _filled;
            _filled = _spare ?? [];
            _spare = null;
            frames = _queuedFrames;
            bytes = _queuedBytes;
            return taken;
        }
    }

    /// <summary>Writer only: the taken frames are in the socket's pipe; their room is free again.</summary>
    public void Release(List<Chunk> taken, int frames, long bytes)
    {
        foreach (var chunk in taken)
        {
            chunk.Return();
        }
        taken.Clear();
        lock (_lock)
        {
            _spare = taken;
            _queuedFrames -= frames;
            _queuedBytes -= bytes;
        }
    }

    /// <summary>The link is gone: refuse new frames and drop the queued ones (Paxos retransmits).</summary>
    public void Close()
    {
        lock (_lock)
        {
            _closed = true;
            SealCurrent();
            foreach (var chunk in _filled)
            {
                chunk.Return();
            }
            _filled.Clear();
            _queuedFrames = 0;
            _queuedBytes = 0;
        }
        _signal.Writer.TryComplete();
    }

    private bool TryReserve(int frameBytes, out Span<byte> frame)
    {
        frame = default;
        // An empty queue takes any frame, so a frame as large as the byte bound still goes out.
        if (_closed || (_queuedFrames > 0 && (_queuedFrames >= _maxFrames || _queuedBytes + frameBytes > _maxBytes)))
        {
            return false;
        }
        if (_current is null || _current.Length - _currentUsed < frameBytes)
        {
            SealCurrent();
            var size = Math.Max(ChunkBytes, frameBytes);
            _current = size <= MaxPooledChunkBytes ? ArrayPool<byte>.Shared.Rent(size) : GC.AllocateUninitializedArray<byte>(size);
            _currentUsed = 0;
        }
        frame = _current.AsSpan(_currentUsed, frameBytes);
        _currentUsed += frameBytes;
        _queuedBytes += frameBytes;
        _queuedFrames++;
        return true;
    }

    private void SealCurrent()
    {
        if (_current is null)
        {
            return;
        }
        var chunk = new Chunk(_current, _currentUsed);
        if (_currentUsed > 0)
        {
            _filled.Add(chunk);
        }
        else
        {
            chunk.Return();
        }
        _current = null;
        _currentUsed = 0;
    }

    internal readonly record struct Chunk(byte[] Array, int Length)
    {
        public ReadOnlySpan<byte> Span => Array.AsSpan(0, Length);

        public void Return()
        {
            if (Array.Length <= MaxPooledChunkBytes)
            {
                ArrayPool<byte>.Shared.Return(Array);
            }
        }
    }
}
