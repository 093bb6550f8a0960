using Paxuby.Server.Engine;

namespace Paxuby.Server.Tests;

public sealed class LentThreadTests
{
    [Fact]
    public async Task A_lent_thread_runs_its_budget_of_commands_and_then_sends_sessions_away()
    {
        var taken = await OnANewThread(() =>
        {
            LentThread.Lend(3);
            var first = Enumerable.Range(0, 5).Select(_ => LentThread.TryTakeCommand()).ToList();
            LentThread.Lend(1); // the next pass lends the thread again
            var second = Enumerable.Range(0, 2).Select(_ => LentThread.TryTakeCommand()).ToList();
            return (first, second);
        });

        Assert.Equal([true, true, true, false, false], taken.first);
        Assert.Equal([true, false], taken.second);
    }

    [Fact]
    public async Task A_thread_never_lent_runs_every_command()
    {
        var taken = await OnANewThread(() => Enumerable.Range(0, 10_000).All(_ => LentThread.TryTakeCommand()));

        Assert.True(taken);
    }

    private static Task<T> OnANewThread<T>(Func<T> work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
