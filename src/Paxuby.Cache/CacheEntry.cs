namespace Paxuby.Cache;

/// <summary>
/// One key's value. Only strings for now; <see cref="Value"/> is never shared between keys and
/// never changed in place (a write stores a new array), so a snapshot may hold it by reference.
/// </summary>
public sealed class CacheEntry
{
    public CacheEntry(byte[] value, long expireAtMs)
    {
        Value = value;
        ExpireAtMs = expireAtMs;
    }

    public byte[] Value { get; set; }

    /// <summary>Unix time in ms at which the key expires; 0 when it never does.</summary>
    public long ExpireAtMs { get; set; }

    public bool HasExpiry => ExpireAtMs != 0;

    public bool IsExpiredAt(long nowMs) => ExpireAtMs != 0 && ExpireAtMs <= nowMs;

    /// <summary>Where the key sits in its database's slot table (SCAN's cursor position); stable while the key lives.</summary>
    internal int Slot { get; set; } = -1;

    /// <summary>The keyspace change number of the last write to this key (WATCH compares it).</summary>
    internal long Version { get; set; }

    /// <summary>The bytes this entry was last counted for in the memory estimate.</summary>
    internal int AccountedBytes { get; set; }
}
