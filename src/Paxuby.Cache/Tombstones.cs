namespace Paxuby.Cache;

/// <summary>
/// The last change number of keys that no longer exist, so WATCH can tell "deleted since" from
/// "never there". Bounded: past <see cref="Capacity"/> the oldest are forgotten, and any key the
/// database knows nothing about then reports <see cref="ForgottenVersion"/>, which changes each
/// time something is forgotten; a transaction watching such a key aborts (safe, if pessimistic).
/// </summary>
internal sealed class Tombstones
{
    public const int Capacity = 65_536;

    private readonly Dictionary<byte[], long> _versions = new(ByteKeyComparer.Instance);
    private readonly Dictionary<byte[], long>.AlternateLookup<ReadOnlySpan<byte>> _bySpan;
    // Insertion order, for forgetting the oldest; pairs whose key was re-created or re-deleted since are skipped.
    private readonly Queue<(byte[] Key, long Version)> _order = new();

    public Tombstones() => _bySpan = _versions.GetAlternateLookup<ReadOnlySpan<byte>>();

    /// <summary>The token of a key without an entry or tombstone; 0 until something was forgotten.</summary>
    public long ForgottenVersion { get; set; }

    public int Count => _versions.Count;

    /// <summary>Pairs in the insertion-order queue, stale ones included.</summary>
    public int PairCount => _order.Count;

    /// <summary>Pairs in insertion order, stale ones included (the snapshot keeps them to stay identical).</summary>
    public IEnumerable<(byte[] Key, long Version)> InOrder => _order;

    public bool TryGet(ReadOnlySpan<byte> key, out long version) => _bySpan.TryGetValue(key, out version);

    public void Add(byte[] key, long version, ChangeCounter changes)
    {
        _versions[key] = version;
        _order.Enqueue((key, version));
        if (_order.Count <= Capacity) return;
        var (oldKey, oldVersion) = _order.Dequeue();
        if (_versions.TryGetValue(oldKey, out long current) && current == oldVersion)
        {
            _versions.Remove(oldKey);
            ForgottenVersion = changes.Next();
        }
    }

    public void Remove(byte[] key) => _versions.Remove(key);

    /// <summary>Forgets everything (FLUSHDB): every absent key now reports a fresh token.</summary>
    public void Clear(ChangeCounter changes)
    {
        _versions.Clear();
        _order.Clear();
        ForgottenVersion = changes.Next();
    }

    /// <summary>Restores one recorded pair; only the pairs whose version is current go into the lookup.</summary>
    public void RestorePair(byte[] key, long version, bool current)
    {
        _order.Enqueue((key, version));
        if (current) _versions[key] = version;
    }
}
