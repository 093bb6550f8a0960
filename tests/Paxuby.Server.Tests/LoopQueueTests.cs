using Paxuby.Server.Cluster;

namespace Paxuby.Server.Tests;

public sealed class LoopQueueTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public void A_full_queue_refuses_work_until_the_loop_takes_some()
    {
        var queue = new LoopQueue<int>(capacity: 3);
        Assert.True(queue.TryAdd(1));
        Assert.True(queue.TryAdd(2));
        Assert.True(queue.TryAdd(3));
        Assert.False(queue.TryAdd(4));

        Assert.True(queue.TryTake(out int first));
        Assert.Equal(1, first);
        Assert.True(queue.TryAdd(5));
        Assert.False(queue.TryAdd(6));

        Assert.Equal([2, 3, 5], TakeAll(queue));
        Assert.False(queue.TryTake(out _));
        // Emptied, it takes its full capacity again.
        Assert.Equal([true, true, true, false], new[] { 7, 8, 9, 10 }.Select(queue.TryAdd));
    }

    [Fact]
    public void The_loops_own_reports_are_queued_even_when_it_is_full()
    {
        var queue = new LoopQueue<int>(capacity: 1);
        Assert.True(queue.TryAdd(1));
        Assert.False(queue.TryAdd(2));
        Assert.True(queue.AddBeyondCapacity(3));

        Assert.Equal([1, 3], TakeAll(queue));
        Assert.True(queue.TryAdd(4)); // the report did not use up the capacity for good
    }

    /// <summary>
    /// Two threads hand one item back and forth, each sleeping until the other's arrives: a
    /// wake-up lost between "the queue is empty" and "sleep" leaves both asleep for good.
    /// </summary>
    [Fact]
    public async Task A_sleeping_loop_is_woken_by_every_item_queued_from_another_thread()
    {
        const int RoundTrips = 50_000;
        var ping = new LoopQueue<int>(capacity: 4);
        var pong = new LoopQueue<int>(capacity: 4);

        Task echo = Task.Factory.StartNew(() =>
        {
            while (ping.WaitForItems(CancellationToken.None))
            {
                while (ping.TryTake(out int item)) Assert.True(pong.TryAdd(item));
            }
        }, TaskCreationOptions.LongRunning);
        Task<List<int>> caller = Task.Factory.StartNew(() =>
        {
            var answers = new List<int>(RoundTrips);
            for (int i = 0; i < RoundTrips; i++)
            {
                Assert.True(ping.TryAdd(i));
                Assert.True(pong.WaitForItems(CancellationToken.None));
                Assert.True(pong.TryTake(out int answer));
                answers.Add(answer);
            }
            return answers;
        }, TaskCreationOptions.LongRunning);

        try
        {
            List<int> answers = await caller.WaitAsync(Patience);
            Assert.Equal(Enumerable.Range(0, RoundTrips), answers);
        }
        finally
        {
            // Wakes whichever thread still sleeps, so a failure ends the test instead of hanging it.
            ping.Complete();
            pong.Complete();
        }
        await echo.WaitAsync(Patience);
    }

    [Fact]
    public void An_item_queued_just_as_the_loop_finds_the_queue_empty_still_wakes_it()
    {
        LoopQueue<int>? queue = null;
        bool queued = false;
        queue = new LoopQueue<int>(capacity: 4)
        {
            FoundEmpty = () =>
            {
                if (queued) return;
                queued = true;
                Assert.True(queue!.TryAdd(7));
            },
        };
        // Were the wake-up lost, the loop would sleep until this gives up.
        using var giveUp = new CancellationTokenSource(Patience);

        Assert.True(queue.WaitForItems(giveUp.Token));
        Assert.True(queue.TryTake(out int item));
        Assert.Equal(7, item);
    }

    [Fact]
    public async Task Items_from_many_threads_all_arrive_each_threads_in_its_order()
    {
        const int Producers = 4;
        const int PerProducer = 20_000;
        var queue = new LoopQueue<(int Producer, int Sequence)>(capacity: 64);
        Task<int[]> loop = Task.Factory.StartNew(() =>
        {
            int[] next = new int[Producers];
            int received = 0;
            while (received < Producers * PerProducer && queue.WaitForItems(CancellationToken.None))
            {
                while (queue.TryTake(out var item))
                {
                    Assert.Equal(next[item.Producer], item.Sequence);
                    next[item.Producer]++;
                    received++;
                }
            }
            return next;
        }, TaskCreationOptions.LongRunning);
        Task[] producers = Enumerable.Range(0, Producers).Select(p => Task.Factory.StartNew(() =>
        {
            for (int i = 0; i < PerProducer; i++)
            {
                // A full queue refuses; the producer tries again, as a client waits for a slot.
                while (!queue.TryAdd((p, i))) Thread.Yield();
            }
        }, TaskCreationOptions.LongRunning)).ToArray();

        await Task.WhenAll(producers).WaitAsync(Patience);
        int[] counts = await loop.WaitAsync(Patience);
        Assert.All(counts, count => Assert.Equal(PerProducer, count));
    }

    [Fact]
    public async Task Completing_wakes_the_sleeping_loop_and_refuses_more_work()
    {
        var queue = new LoopQueue<int>(capacity: 8);
        using var sleeping = new ManualResetEventSlim();
        Task<bool> loop = Task.Factory.StartNew(() =>
        {
            sleeping.Set();
            return queue.WaitForItems(CancellationToken.None);
        }, TaskCreationOptions.LongRunning);
        Assert.True(sleeping.Wait(Patience));

        queue.Complete();

        Assert.False(await loop.WaitAsync(Patience));
        Assert.False(queue.TryAdd(1));
        Assert.False(queue.AddBeyondCapacity(2));
    }

    [Fact]
    public async Task Cancelling_ends_the_loops_wait()
    {
        var queue = new LoopQueue<int>(capacity: 8);
        using var stop = new CancellationTokenSource();
        Task loop = Task.Factory.StartNew(() => queue.WaitForItems(stop.Token), TaskCreationOptions.LongRunning);

        stop.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loop.WaitAsync(Patience));
    }

    private static List<int> TakeAll(LoopQueue<int> queue)
    {
        var items = new List<int>();
        while (queue.TryTake(out int item)) items.Add(item);
        return items;
    }
}
