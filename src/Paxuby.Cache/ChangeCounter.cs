namespace Paxuby.Cache;

/// <summary>
/// Numbers every change to the keyspace, 1, 2, 3, … Replicas that applied the same commands hold
/// the same number, so a key's last change number is a deterministic WATCH token.
/// </summary>
public sealed class ChangeCounter
{
    public long Value { get; internal set; }

    internal long Next() => ++Value;
}
