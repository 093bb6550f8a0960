namespace Paxuby.Consensus;

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
