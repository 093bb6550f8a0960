using System.Net;

namespace Paxuby.Transport;

/// <summary>What a node keeps per peer across links: the current link and the counters.</summary>
internal sealed class PeerState(int id, EndPoint endPoint)
{
    public int Id { get; } = id;

    public EndPoint EndPoint { get; } = endPoint;

    /// <summary>Serialises link swaps and the up/down events, so they alternate per peer.</summary>
    public object EventLock { get; } = new();

    private PeerLink? _link;

    /// <summary>The link frames go to; null while disconnected. Swapped under <see cref="EventLock"/>.</summary>
    public PeerLink? Link
    {
        get => Volatile.Read(ref _link);
        set => Volatile.Write(ref _link, value);
    }

    /// <summary>Guarded by <see cref="EventLock"/>.</summary>
    public bool EverLinked { get; set; }

    public long FramesSent;
    public long BytesSent;
    public long FramesReceived;
    public long BytesReceived;
    public long Drops;
    public long Reconnects;

    public PeerStats Snapshot()
    {
        var link = Link;
        return new PeerStats(
            Id,
            link is not null,
            Interlocked.Read(ref FramesSent),
            Interlocked.Read(ref BytesSent),
            Interlocked.Read(ref FramesReceived),
            Interlocked.Read(ref BytesReceived),
            Interlocked.Read(ref Drops),
            Interlocked.Read(ref Reconnects),
            link?.Queue.QueuedBytes ?? 0);
    }
}
