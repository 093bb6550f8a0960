namespace Paxuby.Consensus;

/// <summary>
/// A Paxos ballot: (round, replica id), ordered by round and then by replica id, so two replicas
/// never propose under the same ballot. Real rounds start at 1; <see cref="Zero"/> is below all.
/// </summary>
public readonly record struct Ballot(long Round, int ReplicaId) : IComparable<Ballot>
{
    public static readonly Ballot Zero = new(0, 0);

    public bool IsZero => Round == 0;

    public int CompareTo(Ballot other) =>
        Round != other.Round ? Round.CompareTo(other.Round) : ReplicaId.CompareTo(other.ReplicaId);

    public static bool operator <(Ballot left, Ballot right) => left.CompareTo(right) < 0;
    public static bool operator >(Ballot left, Ballot right) => left.CompareTo(right) > 0;
    public static bool operator <=(Ballot left, Ballot right) => left.CompareTo(right) <= 0;
    public static bool operator >=(Ballot left, Ballot right) => left.CompareTo(right) >= 0;

    public static Ballot Max(Ballot a, Ballot b) => a >= b ? a : b;

    public override string ToString() => $"{Round}.{ReplicaId}";
}
