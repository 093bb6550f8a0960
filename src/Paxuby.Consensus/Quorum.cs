namespace Paxuby.Consensus;

/// <summary>Vote sets as 64-bit masks over replica ids, and the quorum arithmetic on them.</summary>
internal static class VoteMask
{
    public static ulong Of(int replicaId) => 1UL << replicaId;

    public static int Count(ulong mask) => System.Numerics.BitOperations.PopCount(mask);
}
