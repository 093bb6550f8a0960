namespace Paxuby.Storage;

/// <summary>A committed, verified snapshot file: the slot it covers and its size on disk, header and trailer included.</summary>
public sealed record SnapshotInfo(long Slot, long Length)
{
    /// <summary>The payload (the state machine's bytes) without header and trailer.</summary>
    public long PayloadLength => Length - SnapshotFormat.OverheadBytes;

    public string Name => SnapshotFormat.NameFor(Slot, SnapshotFormat.Committed);
}
