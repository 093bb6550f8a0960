namespace Paxuby.Consensus;

/// <summary>
/// Deliberately broken protocol variants, switched on only by the simulator's tests to prove that
/// its checkers catch each one. All off in production.
/// </summary>
internal sealed class TestFaults
{
    public static readonly TestFaults None = new();

    /// <summary>The acceptor ignores its persisted promise and accepted entries on restart.</summary>
    public bool ForgetDurableStateOnRestart { get; init; }

    /// <summary>The acceptor ignores only its persisted promise on restart.</summary>
    public bool ForgetPromiseOnRestart { get; init; }

    /// <summary>
    /// The leader serves local reads without holding a majority of leases, and keeps leading while
    /// it hears from no majority (the quorum check is a coarse lease of its own).
    /// </summary>
    public bool ReadWithoutLease { get; init; }

    /// <summary>A new leader neither fills gaps with no-ops nor commits an entry of its own ballot before reads.</summary>
    public bool SkipNoOpFillAndOwnBallotCommit { get; init; }

    /// <summary>The leader decides a slot on a minority of Accepted votes.</summary>
    public bool CommitOnMinority { get; init; }

    /// <summary>
    /// An acceptor promises a candidate whose commit index is below its snapshot floor, and its
    /// Promise silently lacks the accepted values it compacted away.
    /// </summary>
    public bool PromiseDespiteSnapshotFloor { get; init; }
}
