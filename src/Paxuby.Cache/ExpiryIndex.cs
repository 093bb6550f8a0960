namespace Paxuby.Cache;

/// <summary>
/// Keys ordered by expiry time, earliest first. A key whose expiry changes is added again and the
/// old pair is left behind (the caller skips pairs that no longer match the key's entry), so an
/// update is O(log n) without a search. Ties are broken by the key's slot number, which depends
/// only on the database's content: the sweep removes the same keys on every replica, including one
/// restored from a snapshot that never saw the stale pairs.
/// </summary>
internal sealed class ExpiryIndex
{
    private readonly PriorityQueue<byte[], (long ExpireAtMs, int Slot)> _queue = new();

    public int Count => _queue.Count;

    public void Add(byte[] key, long expireAtMs, int slot) => _queue.Enqueue(key, (expireAtMs, slot));

    public bool TryPeekDue(long nowMs, out byte[] key, out long expireAtMs, out int slot)
    {
        if (_queue.TryPeek(out byte[]? top, out var priority) && priority.ExpireAtMs <= nowMs)
        {
            key = top;
            expireAtMs = priority.ExpireAtMs;
            slot = priority.Slot;
            return true;
        }
        key = [];
        expireAtMs = 0;
        slot = -1;
        return false;
    }

    /// <summary>True when the earliest pair is due at <paramref name="nowMs"/> (it may be stale: a hint, not a promise).</summary>
    public bool AnyDue(long nowMs) => _queue.TryPeek(out _, out var priority) && priority.ExpireAtMs <= nowMs;

    public void Pop() => _queue.Dequeue();

    public void Clear() => _queue.Clear();
}
