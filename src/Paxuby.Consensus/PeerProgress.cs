namespace Paxuby.Consensus;

/// <summary>What the leader knows about one peer: its lease, its commit index, when it last answered.</summary>
internal sealed class PeerProgress
{
    /// <summary>Leader tick at which it sent the newest request this peer answered under its ballot; -1: none.</summary>
    public long LeaseRequestTick { get; set; } = -1;

    public long CommitIndex { get; set; }

    public long LastHeardTick { get; set; }

    /// <summary>Leader tick of the last message sent to the peer (heartbeats fill silences).</summary>
    public long LastSentTick { get; set; }

    public long CatchUpSentTick { get; set; } = long.MinValue / 2;

    public long CatchUpSentThrough { get; set; }

    /// <summary>Leader tick at which this peer was last listed in <see cref="Ready.SnapshotsToSend"/>.</summary>
    public long SnapshotSentTick { get; set; } = long.MinValue / 2;
}
