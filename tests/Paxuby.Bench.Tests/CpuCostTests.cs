using System.Net;
using Paxuby.Bench.Load;

namespace Paxuby.Bench.Tests;

public class CpuCostTests
{
    // INFO cpu as Redis 7 writes it: the children's time is a fork saving, not serving commands.
    private const string RedisInfoCpu =
        "$226\r\n# CPU\r\nused_cpu_sys:48.261292\r\nused_cpu_user:35.109873\r\nused_cpu_sys_children:0.631287\r\n"
        + "used_cpu_user_children:3.470977\r\nused_cpu_sys_main_thread:48.078257\r\nused_cpu_user_main_thread:35.123858\r\n";

    [Fact]
    public void Server_cpu_is_its_own_system_and_user_time_without_its_children()
    {
        Assert.Equal(48.261292 + 35.109873, CpuSample.ParseServerSeconds(RedisInfoCpu)!.Value, precision: 9);
    }

    [Theory]
    [InlineData("$7\r\n# CPU\r\n\r\n")]
    [InlineData("$30\r\n# CPU\r\nused_cpu_sys:1.5\r\n")]
    [InlineData("-ERR unknown command 'INFO'\r\n")]
    public void A_server_that_does_not_report_both_times_gives_no_server_figure(string reply)
    {
        Assert.Null(CpuSample.ParseServerSeconds(reply));
    }

    [Fact]
    public void Cost_per_operation_is_the_cpu_used_between_the_samples_over_the_operations()
    {
        CpuCost cost = CpuSample.Between(new CpuSample(10.0, 3.0), new CpuSample(10.5, 3.2), operations: 10_000)!;

        Assert.Equal(50.0, cost.ServerUsPerOp!.Value, precision: 6);
        Assert.Equal(20.0, cost.BenchUsPerOp, precision: 6);
        // 70 µs an operation at 20,000 a second keeps 1.4 cores busy.
        Assert.Equal(1.4, cost.CoresBusy(20_000)!.Value, precision: 6);
    }

    [Fact]
    public void Without_operations_or_a_starting_sample_there_is_no_cost()
    {
        Assert.Null(CpuSample.Between(new CpuSample(1, 1), new CpuSample(2, 2), operations: 0));
        Assert.Null(CpuSample.Between(null, new CpuSample(2, 2), operations: 5));
    }

    [Fact]
    public void A_server_without_cpu_figures_still_gives_the_bench_cost_but_no_cores()
    {
        CpuCost cost = CpuSample.Between(new CpuSample(null, 1.0), new CpuSample(null, 1.5), operations: 1_000)!;

        Assert.Null(cost.ServerUsPerOp);
        Assert.Equal(500.0, cost.BenchUsPerOp, precision: 6);
        Assert.Null(cost.CoresBusy(1_000));
    }

    [SkippableFact]
    public async Task Sampling_a_real_redis_reads_its_cpu_time_and_this_process_time()
    {
        string? port = Environment.GetEnvironmentVariable("PAXUBY_REDIS_PORT");
        Skip.If(port is null, "PAXUBY_REDIS_PORT is not set");
        var redis = new IPEndPoint(IPAddress.Loopback, int.Parse(port!));

        CpuSample first = await CpuSample.TakeAsync(redis, CancellationToken.None);
        CpuSample second = await CpuSample.TakeAsync(redis, CancellationToken.None);

        Assert.NotNull(first.ServerSeconds);
        Assert.True(second.ServerSeconds >= first.ServerSeconds);
        Assert.True(first.BenchSeconds > 0);
        Assert.True(second.BenchSeconds >= first.BenchSeconds);
    }

    [Fact]
    public async Task A_closed_port_gives_no_server_figure_rather_than_failing_the_run()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closed = (IPEndPoint)listener.LocalEndpoint;
        listener.Stop();

        CpuSample sample = await CpuSample.TakeAsync(closed, CancellationToken.None);

        Assert.Null(sample.ServerSeconds);
        Assert.True(sample.BenchSeconds > 0);
    }
}
