using Paxuby.Server.Cluster;

namespace Paxuby.Server.Tests;

public sealed class ReplyPromiseTests
{
    private static readonly byte[] Ok = "+OK\r\n"u8.ToArray();

    [Fact]
    public async Task Reply_set_before_the_wait_begins_is_returned()
    {
        var promise = new ReplyPromise();
        Assert.True(promise.TrySetResult(Ok));

        Assert.Same(Ok, await promise.WaitAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Reply_set_while_waiting_ends_the_wait()
    {
        var promise = new ReplyPromise();
        using var session = new CancellationTokenSource();
        ValueTask<byte[]> wait = promise.WaitAsync(session.Token);
        Assert.False(wait.IsCompleted);

        Assert.True(promise.TrySetResult(Ok));

        Assert.Same(Ok, await wait);
        // The session's token outlives the wait: cancelling it later changes nothing.
        session.Cancel();
        Assert.False(promise.TrySetCanceled());
    }

    [Fact]
    public async Task Cancelled_session_ends_the_wait_and_a_later_reply_is_ignored()
    {
        var promise = new ReplyPromise();
        using var session = new CancellationTokenSource();
        ValueTask<byte[]> wait = promise.WaitAsync(session.Token);

        session.Cancel();

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await wait);
        Assert.Equal(session.Token, error.CancellationToken);
        Assert.False(promise.TrySetResult(Ok));
    }

    [Fact]
    public async Task Wait_on_a_session_already_cancelled_ends_at_once()
    {
        var promise = new ReplyPromise();
        using var session = new CancellationTokenSource();
        session.Cancel();

        ValueTask<byte[]> wait = promise.WaitAsync(session.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await wait);
    }

    [Fact]
    public async Task The_waiter_does_not_run_on_the_thread_that_sets_the_reply()
    {
        var promise = new ReplyPromise();
        using var setterReturned = new ManualResetEventSlim();
        Task<bool> waiter = SawTheSetterReturn(promise.WaitAsync(CancellationToken.None), setterReturned);

        // The loop sets replies while it holds its lock: a waiter run inline would run inside it.
        promise.TrySetResult(Ok);
        setterReturned.Set();

        Assert.True(await waiter);
    }

    [Fact]
    public async Task A_reply_set_on_this_thread_runs_the_waiter_before_the_setter_returns()
    {
        var promise = new ReplyPromise();
        int setterThread = -1;
        int waiterThread = -2;
        bool waiterRan = false;
        Task waiter = RecordWhereItRuns(promise.WaitAsync(CancellationToken.None));

        await Task.Run(() =>
        {
            setterThread = Environment.CurrentManagedThreadId;
            Assert.True(promise.TrySetResultOnThisThread(Ok));
            // The loop answers a session by running it: by now it has taken its reply.
            Assert.True(Volatile.Read(ref waiterRan));
        });

        await waiter;
        Assert.Equal(setterThread, waiterThread);
        Assert.False(promise.TrySetResult(Ok));

        async Task RecordWhereItRuns(ValueTask<byte[]> wait)
        {
            Assert.Same(Ok, await wait.ConfigureAwait(false));
            waiterThread = Environment.CurrentManagedThreadId;
            Volatile.Write(ref waiterRan, true);
        }
    }

    private static async Task<bool> SawTheSetterReturn(ValueTask<byte[]> wait, ManualResetEventSlim setterReturned)
    {
        await wait.ConfigureAwait(false);
        // Run inline, this would wait on the setter's own thread for the setter to return: it never would.
        return setterReturned.Wait(TimeSpan.FromSeconds(10));
    }
}
