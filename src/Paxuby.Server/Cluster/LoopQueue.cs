using System.Collections.Concurrent;

namespace Paxuby.Server.Cluster;

/// <summary>
/// The bounded queue a replica's loop thread takes its work from. Any thread adds without
/// blocking (a full queue refuses); the loop sleeps in <see cref="WaitForItems"/> and the thread
/// that adds wakes it directly, with no trip through the thread pool. A producer pays for the wake
/// only while the loop sleeps: a busy loop finds the item on its next drain.
/// </summary>
internal sealed class LoopQueue<T>
{
    private readonly ConcurrentQueue<T> _items = new();
    // The default short spin before sleeping: work that follows within microseconds costs no wake-up.
    private readonly ManualResetEventSlim _itemsArrived = new(initialState: false);
    private readonly int _capacity;
    private int _count;
    private volatile bool _completed;

    public LoopQueue(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _capacity = capacity;
    }

    /// <summary>For tests: runs when the loop has found the queue empty, just before it prepares to sleep.</summary>
    internal Action? FoundEmpty { get; init; }

    /// <summary>Queues <paramref name="item"/>; false when the queue is full or completed.</summary>
    public bool TryAdd(T item)
    {
        if (_completed) return false;
        if (Interlocked.Increment(ref _count) > _capacity)
        {
            Interlocked.Decrement(ref _count);
            return false;
        }
        Enqueue(item);
        return true;
    }

    /// <summary>
    /// Queues <paramref name="item"/> even when the queue is full: for the loop's own reports (a
    /// snapshot written), of which at most a few are ever outstanding and none may be lost.
    /// False once completed.
    /// </summary>
    public bool AddBeyondCapacity(T item)
    {
        if (_completed) return false;
        Interlocked.Increment(ref _count);
        Enqueue(item);
        return true;
    }

    public bool TryTake(out T item)
    {
        if (!_items.TryDequeue(out item!)) return false;
        Interlocked.Decrement(ref _count);
        return true;
    }

    /// <summary>Sleeps until an item is queued; false once the queue is completed.</summary>
    public bool WaitForItems(CancellationToken cancel)
    {
        while (!_completed)
        {
            if (!_items.IsEmpty) return true;
            FoundEmpty?.Invoke();
            _itemsArrived.Reset();
            // An item queued before the reset is seen here; one queued after it sets the event again.
            if (!_items.IsEmpty) return true;
            if (_completed) break;
            _itemsArrived.Wait(cancel);
        }
        return false;
    }

    /// <summary>Refuses further items and wakes the loop, which then stops waiting.</summary>
    public void Complete()
    {
        _completed = true;
        _itemsArrived.Set();
    }

    private void Enqueue(T item)
    {
        _items.Enqueue(item);
        _itemsArrived.Set();
    }
}
