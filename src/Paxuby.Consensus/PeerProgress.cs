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
}

/// <summary>Vote sets as 64-bit masks over replica ids, and the quorum arithmetic on them.</summary>
internal static class VoteMask
{
    public static ulong Of(int replicaId) => 1UL << replicaId;

    public static int Count(ulong mask) => System.Numerics.BitOperations.PopCount(mask);
}

/// <summary>
/// Leader leases. A reply sent by an acceptor at its tick a promises no other leader until its
/// tick a + L. The leader sent the request at its own tick s, before a happened, so it may count
/// the lease until its tick s + L - drift. It holds the lease while a majority (itself included) do.
/// </summary>
internal static class LeaseRule
{
    public static bool Holds(long leaseRequestTick, long nowTick, int leaseTicks, int driftTicks) =>
        leaseRequestTick >= 0 && nowTick < leaseRequestTick + leaseTicks - driftTicks;
}
