namespace Paxuby.Transport;

/// <summary>A snapshot of one peer's link counters, for INFO. Counters span reconnects.</summary>
/// <param name="FramesSent">Frames handed to the socket; BytesSent counts them with their 6-byte headers.</param>
/// <param name="Drops">Frames refused by TrySend: not connected, queue full, or too large.</param>
/// <param name="Reconnects">Links established after the first one.</param>
/// <param name="QueuedBytes">Bytes waiting in the send queue now.</param>
public readonly record struct PeerStats(
    int PeerId,
    bool Connected,
    long FramesSent,
    long BytesSent,
    long FramesReceived,
    long BytesReceived,
    long Drops,
    long Reconnects,
    long QueuedBytes);
