namespace Paxuby.Cache;

/// <summary>
/// A database's keys in numbered slots. A key keeps its slot for as long as it lives, and freed
/// slots are reused last-freed first, so iterating by slot number is deterministic on every
/// replica and a SCAN cursor (a slot number) never skips a key that stayed in the database.
/// </summary>
internal sealed class KeySlots
{
    private byte[]?[] _keys = new byte[]?[16];
    private CacheEntry?[] _entries = new CacheEntry?[16];
    private int[] _free = new int[16];
    private int _freeCount;

    /// <summary>One past the highest slot ever used since the table was last emptied.</summary>
    public int Length { get; private set; }

    public int FreeCount => _freeCount;

    public byte[]? KeyAt(int slot) => _keys[slot];

    public CacheEntry? EntryAt(int slot) => _entries[slot];

    public int Add(byte[] key, CacheEntry entry)
    {
        int slot;
        if (_freeCount > 0)
        {
            slot = _free[--_freeCount];
        }
        else
        {
            if (Length == _keys.Length)
            {
                Array.Resize(ref _keys, _keys.Length * 2);
                Array.Resize(ref _entries, _entries.Length * 2);
            }
            slot = Length++;
        }
        _keys[slot] = key;
        _entries[slot] = entry;
        entry.Slot = slot;
        return slot;
    }

    /// <summary>Frees the entry's slot; <paramref name="remainingKeys"/> 0 resets the table to empty.</summary>
    public void Remove(CacheEntry entry, int remainingKeys)
    {
        int slot = entry.Slot;
        _keys[slot] = null;
        _entries[slot] = null;
        entry.Slot = -1;
        if (remainingKeys == 0)
        {
            Clear();
            return;
        }
        if (_freeCount == _free.Length) Array.Resize(ref _free, _free.Length * 2);
        _free[_freeCount++] = slot;
    }

    public void Clear()
    {
        Array.Clear(_keys, 0, Length);
        Array.Clear(_entries, 0, Length);
        Length = 0;
        _freeCount = 0;
    }

    /// <summary>The free list, next-to-reuse last (the snapshot keeps it so slots stay identical after a restore).</summary>
    public ReadOnlySpan<int> FreeSlots => _free.AsSpan(0, _freeCount);

    /// <summary>Rebuilds the exact layout that a snapshot recorded: <paramref name="length"/> slots and the free list.</summary>
    public void RestoreLayout(int length, ReadOnlySpan<int> freeSlots)
    {
        Clear();
        EnsureCapacity(length);
        Length = length;
        if (_free.Length < freeSlots.Length) _free = new int[freeSlots.Length];
        freeSlots.CopyTo(_free);
        _freeCount = freeSlots.Length;
    }

    /// <summary>Puts an entry back at the slot a snapshot recorded for it.</summary>
    public void Place(int slot, byte[] key, CacheEntry entry)
    {
        if ((uint)slot >= (uint)Length || _keys[slot] is not null) throw new InvalidDataException("snapshot slot out of range or reused");
        _keys[slot] = key;
        _entries[slot] = entry;
        entry.Slot = slot;
    }

    private void EnsureCapacity(int length)
    {
        if (length <= _keys.Length) return;
        int size = Math.Max(length, 16);
        _keys = new byte[]?[size];
        _entries = new CacheEntry?[size];
    }
}
