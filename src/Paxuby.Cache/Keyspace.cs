namespace Paxuby.Cache;

/// <summary>The numbered databases that SELECT chooses from, and the change counter they share.</summary>
public sealed class Keyspace
{
    public const int DatabaseCount = 16;

    private readonly Database[] _databases;

    public Keyspace()
    {
        _databases = new Database[DatabaseCount];
        for (int i = 0; i < DatabaseCount; i++) _databases[i] = new Database(i, Changes);
    }

    public Database this[int index] => _databases[index];

    public IReadOnlyList<Database> Databases => _databases;

    /// <summary>Numbers every change to any key; WATCH tokens come from it.</summary>
    public ChangeCounter Changes { get; } = new();

    /// <summary>
    /// Snapshot images holding value arrays by reference and not yet written: while any is, no
    /// value is changed in place (INCR, normally allocation-free, stores a new array instead).
    /// </summary>
    internal int OutstandingCaptures;

    internal bool ValuesShared => Volatile.Read(ref OutstandingCaptures) > 0;

    // Per database, the entry array of the last written snapshot image, for the next capture: a
    // fresh one per capture is a large-object allocation, and each of those brings a full collection nearer.
    private readonly KeyspaceSnapshot.EntryImage[]?[] _spareImageArrays = new KeyspaceSnapshot.EntryImage[]?[DatabaseCount];

    /// <summary>An array for a capture of <paramref name="count"/> entries of database <paramref name="db"/>: the spare one when it is large enough.</summary>
    internal KeyspaceSnapshot.EntryImage[] TakeImageArray(int db, int count)
    {
        if (count == 0) return [];
        KeyspaceSnapshot.EntryImage[]? spare = Interlocked.Exchange(ref _spareImageArrays[db], null);
        // Room to grow, so a keyspace that grows a little between snapshots still reuses its array.
        return spare is not null && spare.Length >= count ? spare : new KeyspaceSnapshot.EntryImage[count + count / 8];
    }

    /// <summary>Gives back a written image's array, cleared so it holds no key or value alive.</summary>
    internal void ReturnImageArray(int db, KeyspaceSnapshot.EntryImage[] entries, int used)
    {
        if (entries.Length == 0) return;
        Array.Clear(entries, 0, used);
        Volatile.Write(ref _spareImageArrays[db], entries);
    }

    public long TotalKeys
    {
        get
        {
            long total = 0;
            foreach (Database db in _databases) total += db.Count;
            return total;
        }
    }

    /// <summary>Approximate bytes held by all keys and values (INFO memory's used_memory).</summary>
    public long EstimatedBytes
    {
        get
        {
            long total = 0;
            foreach (Database db in _databases) total += db.EstimatedBytes;
            return total;
        }
    }

    /// <summary>True when some key of some database has an expiry (the server then proposes sweeps).</summary>
    public bool HasExpiringKeys
    {
        get
        {
            foreach (Database db in _databases)
            {
                if (db.ExpiresCount > 0) return true;
            }
            return false;
        }
    }

    /// <summary>
    /// True when an expiry sweep at <paramref name="nowMs"/> may remove something: the server can
    /// skip proposing sweeps that would find nothing. Rarely true in vain, never false in vain.
    /// </summary>
    public bool MayHaveKeysDueBy(long nowMs)
    {
        foreach (Database db in _databases)
        {
            if (db.MayHaveKeysDueBy(nowMs)) return true;
        }
        return false;
    }

    public static bool IsValidIndex(long index) => index is >= 0 and < DatabaseCount;

    public void FlushAll()
    {
        foreach (Database db in _databases) db.Clear();
    }

    /// <summary>
    /// Removes keys expired at <paramref name="nowMs"/>, database 0 first, at most
    /// <paramref name="limit"/> in all; returns how many were removed.
    /// </summary>
    public int RemoveExpired(long nowMs, int limit)
    {
        int removed = 0;
        foreach (Database db in _databases)
        {
            if (removed >= limit) break;
            if (db.ExpiresCount > 0) removed += db.RemoveExpired(nowMs, limit - removed);
        }
        return removed;
    }
}
