namespace Paxuby.Consensus;

/// <summary>Thrown when a consensus invariant breaks: the replica must stop, not limp on.</summary>
public sealed class ConsensusInvariantException(string message) : InvalidOperationException(message);

/// <summary>Invariant checks that stay on in Release builds.</summary>
internal static class Invariant
{
    public static void Require(bool condition, string invariant)
    {
        if (!condition)
        {
            Fail(invariant);
        }
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public static void Fail(string invariant) => throw new ConsensusInvariantException("invariant violated: " + invariant);
}
