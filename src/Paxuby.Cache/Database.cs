namespace Paxuby.Cache;

/// <summary>
/// One of the numbered databases: keys, their values and their expiry times. It holds no clock:
/// every call that must know what has expired is given the time. Lookups for reading
/// (<see cref="Find"/>) hide expired keys without removing them; lookups for writing
/// (<see cref="FindForWrite"/>) remove them, so both paths see the same keyspace.
/// Every change stamps the key with the keyspace's next change number (WATCH's token), and a
/// deleted key leaves a tombstone with the number of its deletion.
/// </summary>
public sealed class Database
{
    /// <summary>Rough bytes an entry costs beyond its key and value (dictionary slot, entry object, arrays' headers).</summary>
    internal const int EntryOverheadBytes = 112;

    private readonly ChangeCounter _changes;
    // The content: swapped as a whole by SWAPDB, hence not readonly.
    private Dictionary<byte[], CacheEntry> _entries = new(ByteKeyComparer.Instance);
    private Dictionary<byte[], CacheEntry>.AlternateLookup<ReadOnlySpan<byte>> _bySpan;
    private ExpiryIndex _expiries = new();
    private KeySlots _slots = new();
    private Tombstones _tombstones = new();
    private long _estimatedBytes;
    // Sum of the expiry times of keys that have one: their average TTL in O(1) for INFO.
    private Int128 _expireAtSumMs;

    public Database(int index)
        : this(index, new ChangeCounter())
    {
    }

    internal Database(int index, ChangeCounter changes)
    {
        Index = index;
        _changes = changes;
        _bySpan = _entries.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    public int Index { get; }

    /// <summary>Keys held, including expired ones that no write or sweep has removed yet.</summary>
    public int Count => _entries.Count;

    /// <summary>Keys with an expiry time.</summary>
    public int ExpiresCount { get; private set; }

    /// <summary>Approximate bytes held by keys, values and their bookkeeping.</summary>
    public long EstimatedBytes => _estimatedBytes;

    /// <summary>Average remaining time to live in ms of the keys with an expiry (INFO's avg_ttl); 0 when none.</summary>
    public long AverageTtlMs(long nowMs)
    {
        if (ExpiresCount == 0) return 0;
        long average = (long)(_expireAtSumMs / ExpiresCount) - nowMs;
        return Math.Max(average, 0);
    }

    /// <summary>Raised for every key a write, delete or expiry changes.</summary>
    public event Action<Database, byte[]>? KeyTouched;

    /// <summary>Keys and entries in slot order (deterministic on every replica).</summary>
    internal IEnumerable<KeyValuePair<byte[], CacheEntry>> Entries
    {
        get
        {
            for (int slot = 0; slot < _slots.Length; slot++)
            {
                byte[]? key = _slots.KeyAt(slot);
                if (key is not null) yield return new(key, _slots.EntryAt(slot)!);
            }
        }
    }

    internal KeySlots Slots => _slots;

    internal Tombstones Tombstones => _tombstones;

    /// <summary>The live entry for reading: null when the key is missing or expired at <paramref name="nowMs"/>.</summary>
    public CacheEntry? Find(ReadOnlySpan<byte> key, long nowMs)
    {
        if (!_bySpan.TryGetValue(key, out CacheEntry? entry)) return null;
        return entry.IsExpiredAt(nowMs) ? null : entry;
    }

    /// <summary>The live entry for a write: an expired one is removed first and null returned.</summary>
    public CacheEntry? FindForWrite(ReadOnlySpan<byte> key, long nowMs)
    {
        if (!_bySpan.TryGetValue(key, out byte[]? actualKey, out CacheEntry? entry)) return null;
        if (!entry.IsExpiredAt(nowMs)) return entry;
        RemoveExpiredEntry(actualKey, entry);
        return null;
    }

    public bool Exists(ReadOnlySpan<byte> key, long nowMs) => Find(key, nowMs) is not null;

    /// <summary>Creates or replaces the key's value. <paramref name="expireAtMs"/> 0 means no expiry.</summary>
    public CacheEntry Set(ReadOnlySpan<byte> key, byte[] value, long expireAtMs)
    {
        if (_bySpan.TryGetValue(key, out byte[]? actualKey, out CacheEntry? entry))
        {
            entry.Value = value;
            SetExpiryOf(actualKey, entry, expireAtMs);
            Changed(actualKey, entry);
            return entry;
        }
        byte[] newKey = key.ToArray();
        entry = new CacheEntry(value, 0);
        _entries.Add(newKey, entry);
        _slots.Add(newKey, entry);
        if (_tombstones.Count > 0) _tombstones.Remove(newKey);
        SetExpiryOf(newKey, entry, expireAtMs);
        Changed(newKey, entry);
        return entry;
    }

    /// <summary>
    /// Creates or replaces the key's value with a copy of <paramref name="value"/>. A value of the
    /// same length as the old one is copied over it unless <paramref name="valuesShared"/> (a
    /// snapshot holds the old array): overwriting a key then leaves nothing new for the collector.
    /// </summary>
    public CacheEntry Set(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, long expireAtMs, bool valuesShared)
    {
        if (!valuesShared && _bySpan.TryGetValue(key, out byte[]? actualKey, out CacheEntry? entry) && entry.Value.Length == value.Length)
        {
            value.CopyTo(entry.Value);
            SetExpiryOf(actualKey, entry, expireAtMs);
            Changed(actualKey, entry);
            return entry;
        }
        return Set(key, value.ToArray(), expireAtMs);
    }

    /// <summary>Marks an entry changed in place (APPEND, SETRANGE, INCR) so watchers see it.</summary>
    public void Modified(ReadOnlySpan<byte> key)
    {
        if (_bySpan.TryGetValue(key, out byte[]? actualKey, out CacheEntry? entry)) Changed(actualKey, entry);
    }

    /// <summary>Sets or clears (0) the key's expiry; false when the key does not exist.</summary>
    public bool SetExpiry(ReadOnlySpan<byte> key, long expireAtMs)
    {
        if (!_bySpan.TryGetValue(key, out byte[]? actualKey, out CacheEntry? entry)) return false;
        SetExpiryOf(actualKey, entry, expireAtMs);
        Changed(actualKey, entry);
        return true;
    }

    /// <summary>Deletes the key whatever its expiry (the caller has already looked it up for writing).</summary>
    public bool Remove(ReadOnlySpan<byte> key)
    {
        if (!_bySpan.TryGetValue(key, out byte[]? actualKey, out CacheEntry? entry)) return false;
        RemoveEntry(actualKey, entry, _changes.Next());
        return true;
    }

    /// <summary>Deletes a live key (DEL): false when it is missing or already expired at <paramref name="nowMs"/>.</summary>
    public bool Remove(ReadOnlySpan<byte> key, long nowMs) => FindForWrite(key, nowMs) is not null && Remove(key);

    /// <summary>Removes every key (FLUSHDB); watchers of any key in this database see a change.</summary>
    public void Clear()
    {
        if (KeyTouched is not null)
        {
            foreach (var (key, _) in Entries) KeyTouched(this, key);
        }
        _entries.Clear();
        _slots.Clear();
        _expiries.Clear();
        _tombstones.Clear(_changes);
        ExpiresCount = 0;
        _expireAtSumMs = 0;
        _estimatedBytes = 0;
    }

    /// <summary>
    /// Removes keys whose expiry is at or before <paramref name="nowMs"/>, at most
    /// <paramref name="limit"/> of them, earliest first; returns how many were removed.
    /// </summary>
    public int RemoveExpired(long nowMs, int limit)
    {
        int removed = 0;
        while (removed < limit && _expiries.TryPeekDue(nowMs, out byte[]? key, out long expireAtMs, out int slot))
        {
            _expiries.Pop();
            // The index keeps stale pairs; only the pair matching the key's current expiry and slot is due.
            if (_entries.TryGetValue(key, out CacheEntry? entry) && entry.ExpireAtMs == expireAtMs && entry.Slot == slot)
            {
                RemoveExpiredEntry(key, entry);
                removed++;
            }
        }
        return removed;
    }

    /// <summary>True when a sweep at <paramref name="nowMs"/> may find something to remove here.</summary>
    public bool MayHaveKeysDueBy(long nowMs) => ExpiresCount > 0 && _expiries.AnyDue(nowMs);

    /// <summary>Exchanges the whole content of this database with <paramref name="other"/> (SWAPDB), in O(1).</summary>
    public void SwapContentWith(Database other)
    {
        if (ReferenceEquals(this, other)) return;
        if (KeyTouched is not null)
        {
            foreach (var (key, _) in Entries) KeyTouched(this, key);
        }
        if (other.KeyTouched is not null)
        {
            foreach (var (key, _) in other.Entries) other.KeyTouched(other, key);
        }
        (_entries, other._entries) = (other._entries, _entries);
        (_bySpan, other._bySpan) = (other._bySpan, _bySpan);
        (_expiries, other._expiries) = (other._expiries, _expiries);
        (_slots, other._slots) = (other._slots, _slots);
        (_tombstones, other._tombstones) = (other._tombstones, _tombstones);
        (_estimatedBytes, other._estimatedBytes) = (other._estimatedBytes, _estimatedBytes);
        (ExpiresCount, other.ExpiresCount) = (other.ExpiresCount, ExpiresCount);
        (_expireAtSumMs, other._expireAtSumMs) = (other._expireAtSumMs, _expireAtSumMs);
    }

    /// <summary>
    /// WATCH's token for a key: the change number of its last write while it lives, the negated
    /// number once it has expired (equal whether the expired entry is still there or was swept),
    /// its tombstone's number once deleted, else the database's "forgotten" number.
    /// </summary>
    public long GetWatchVersion(ReadOnlySpan<byte> key, long nowMs)
    {
        if (_bySpan.TryGetValue(key, out CacheEntry? entry)) return entry.IsExpiredAt(nowMs) ? -entry.Version : entry.Version;
        return _tombstones.TryGet(key, out long version) ? version : _tombstones.ForgottenVersion;
    }

    /// <summary>Empties the database and lays out its slots as a snapshot recorded them (Restore).</summary>
    internal void BeginRestore(int slotLength, ReadOnlySpan<int> freeSlots, long forgottenVersion)
    {
        _entries.Clear();
        _expiries.Clear();
        _tombstones = new Tombstones { ForgottenVersion = forgottenVersion };
        _slots.RestoreLayout(slotLength, freeSlots);
        ExpiresCount = 0;
        _expireAtSumMs = 0;
        _estimatedBytes = 0;
    }

    /// <summary>Puts back one key exactly as recorded, change number included (Restore).</summary>
    internal void RestoreEntry(int slot, byte[] key, CacheEntry entry)
    {
        if (!_entries.TryAdd(key, entry)) throw new InvalidDataException("duplicate key in snapshot");
        _slots.Place(slot, key, entry);
        if (entry.ExpireAtMs != 0)
        {
            ExpiresCount++;
            _expireAtSumMs += entry.ExpireAtMs;
            _expiries.Add(key, entry.ExpireAtMs, slot);
        }
        Account(key, entry);
    }

    private void SetExpiryOf(byte[] key, CacheEntry entry, long expireAtMs)
    {
        if (entry.ExpireAtMs == expireAtMs) return;
        if (entry.ExpireAtMs != 0)
        {
            ExpiresCount--;
            _expireAtSumMs -= entry.ExpireAtMs;
        }
        entry.ExpireAtMs = expireAtMs;
        if (expireAtMs != 0)
        {
            ExpiresCount++;
            _expireAtSumMs += expireAtMs;
            _expiries.Add(key, expireAtMs, entry.Slot);
        }
        // Stale pairs are bounded: once they outnumber the live ones, rebuild from the entries.
        if (_expiries.Count > 2 * ExpiresCount + 1024) RebuildExpiryIndex();
    }

    private void RebuildExpiryIndex()
    {
        _expiries.Clear();
        foreach (var (key, entry) in Entries)
        {
            if (entry.ExpireAtMs != 0) _expiries.Add(key, entry.ExpireAtMs, entry.Slot);
        }
    }

    private void RemoveExpiredEntry(byte[] key, CacheEntry entry) => RemoveEntry(key, entry, -entry.Version);

    private void RemoveEntry(byte[] key, CacheEntry entry, long tombstoneVersion)
    {
        _entries.Remove(key);
        _slots.Remove(entry, _entries.Count);
        if (entry.ExpireAtMs != 0)
        {
            ExpiresCount--;
            _expireAtSumMs -= entry.ExpireAtMs;
        }
        _estimatedBytes -= entry.AccountedBytes;
        entry.AccountedBytes = 0;
        _tombstones.Add(key, tombstoneVersion, _changes);
        KeyTouched?.Invoke(this, key);
    }

    private void Changed(byte[] key, CacheEntry entry)
    {
        entry.Version = _changes.Next();
        Account(key, entry);
        KeyTouched?.Invoke(this, key);
    }

    private void Account(byte[] key, CacheEntry entry)
    {
        int bytes = EntryOverheadBytes + key.Length + entry.Value.Length;
        _estimatedBytes += bytes - entry.AccountedBytes;
        entry.AccountedBytes = bytes;
    }
}
