using System.Diagnostics;
using System.Net;
using System.Text;
using HdrHistogram;
using StackExchange.Redis;

namespace Paxuby.Bench.Load;

/// <summary>
/// The same operations through StackExchange.Redis, as an application would issue them:
/// concurrent callers awaiting one command each over one multiplexed connection.
/// </summary>
internal static class StackExchangeRunner
{
    public static async Task<WorkloadResult> RunAsync(
        Workload workload, string server, IPEndPoint endpoint, RunSettings settings, CancellationToken cancel)
    {
        var options = new ConfigurationOptions
        {
            EndPoints = { endpoint },
            AbortOnConnectFail = false,
            ConnectTimeout = 5_000,
            AsyncTimeout = 5_000,
            SyncTimeout = 5_000,
        };
        await using ConnectionMultiplexer redis = await ConnectionMultiplexer.ConnectAsync(options);
        IDatabase database = redis.GetDatabase();
        RedisKey[] keys = Enumerable.Range(0, settings.KeyCount).Select(k => (RedisKey)Encoding.ASCII.GetBytes(CommandBatch.KeyName(k))).ToArray();
        RedisValue value = Encoding.ASCII.GetBytes(new string('v', settings.ValueBytes));

        using var window = new MeasureWindow(settings, cancel);
        var histograms = new LongHistogram[workload.Clients];
        var errors = new long[workload.Clients];
        var firstErrors = new string?[workload.Clients];
        Task<CpuSample?> cpuAtStart = window.SampleCpuAtMeasureStartAsync(endpoint);
        var callers = new Task[workload.Clients];
        for (int i = 0; i < callers.Length; i++)
        {
            int caller = i;
            histograms[caller] = WorkloadResult.NewHistogram();
            var random = new Random(2_000 + caller);
            callers[caller] = Task.Run(async () =>
            {
                while (window.Open && !window.Token.IsCancellationRequested)
                {
                    RedisKey key = keys[random.Next(keys.Length)];
                    long sent = Stopwatch.GetTimestamp();
                    try
                    {
                        if (workload.Operation == Operation.Set) await database.StringSetAsync(key, value);
                        else await database.StringGetAsync(key);
                    }
                    catch (Exception e) when (e is RedisException or TimeoutException)
                    {
                        errors[caller]++;
                        firstErrors[caller] ??= e.Message;
                        continue;
                    }
                    if (!window.Measures(sent)) continue;
                    histograms[caller].RecordValue(MeasureWindow.Microseconds(sent, Stopwatch.GetTimestamp()));
                    window.AddCompleted(1);
                }
            });
        }
        Task all = Task.WhenAll(callers);
        await window.ShowProgressUntil(all, $"{server,-8} {workload.Name,-26}");
        await all;
        double seconds = window.MeasuredSeconds(Stopwatch.GetTimestamp());
        CpuSample cpuAtEnd = await CpuSample.TakeAsync(endpoint, cancel);
        cancel.ThrowIfCancellationRequested();

        LongHistogram merged = WorkloadResult.NewHistogram();
        foreach (LongHistogram histogram in histograms) merged.Add(histogram);
        return WorkloadResult.From(workload, server, endpoint.ToString(), merged, seconds, errors.Sum(),
            0, firstErrors.FirstOrDefault(e => e is not null)) with { Cpu = CpuSample.Between(await cpuAtStart, cpuAtEnd, merged.TotalCount) };
    }
}
