using Paxuby.Server.Cluster;

namespace Paxuby.Server.Tests;

public sealed class LowPriorityWorkerTests
{
    [Fact]
    public async Task Work_runs_in_order_on_one_thread_at_the_lowest_cpu_priority()
    {
        var worker = new LowPriorityWorker("test worker");
        var ran = new List<(int Order, int Thread, int? Nice)>();
        for (int i = 0; i < 3; i++)
        {
            int order = i;
            Assert.True(worker.TryPost(() => ran.Add((order, Environment.CurrentManagedThreadId, NiceOfThisThread()))));
        }
        await worker.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal([0, 1, 2], ran.Select(r => r.Order));
        Assert.Single(ran.Select(r => r.Thread).Distinct());
        Assert.NotEqual(Environment.CurrentManagedThreadId, ran[0].Thread);
        if (OperatingSystem.IsLinux()) Assert.All(ran, r => Assert.Equal(LowPriorityWorker.Nice, r.Nice));
    }

    [Fact]
    public async Task Stopping_finishes_the_posted_work_and_refuses_more()
    {
        var worker = new LowPriorityWorker("test worker");
        using var started = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        bool finished = false;
        Assert.True(worker.TryPost(() =>
        {
            started.Set();
            release.Wait(TimeSpan.FromSeconds(30));
            finished = true;
        }));
        Assert.True(started.Wait(TimeSpan.FromSeconds(30)));

        Task stopped = worker.StopAsync();
        Assert.False(worker.TryPost(() => { }));
        Assert.False(stopped.IsCompleted);
        release.Set();
        await stopped.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(finished);
    }

    // Field 19 of /proc/thread-self/stat; the fields after the command name start at field 3.
    private static int? NiceOfThisThread()
    {
        if (!OperatingSystem.IsLinux()) return null;
        string stat = File.ReadAllText("/proc/thread-self/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[19 - 3]);
    }
}
