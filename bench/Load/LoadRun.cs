using System.Net;
using System.Runtime.InteropServices;

namespace Paxuby.Bench.Load;

/// <summary>
/// The end-to-end run: a Paxuby cluster of its own (or <c>--server</c>), every workload in turn,
/// each followed by the same workload against <c>--compare</c> when given; then the table, the
/// targets and the result files. It measures only: slowness never changes the exit code.
/// </summary>
internal static class LoadRun
{
    private const string PaxubyName = "paxuby";
    /// <summary>"other" for one compared server, "other1", "other2", … for several.</summary>
    private static IReadOnlyList<string> OtherNames(LoadOptions options) => options.Compare.Count == 1
        ? ["other"]
        : [.. Enumerable.Range(1, options.Compare.Count).Select(i => $"other{i}")];
    private const int PreloadConnections = 50;
    private const int PreloadBatch = 16;
    private static readonly TimeSpan PreloadLimit = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan QuickPreloadLimit = TimeSpan.FromSeconds(10);

    public static async Task<int> RunAsync(string[] args)
    {
        LoadOptions options;
        try
        {
            options = LoadOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"{e.Message}\n\n{LoadOptions.Usage}");
            return 2;
        }

        using var interrupt = new CancellationTokenSource();
        // Ctrl+C, kill and a closed terminal all stop the run the same way: through the finally
        // below, which kills the cluster. A second signal ends the bench at once.
        PosixSignalRegistration[] signals = [.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP }
            .Select(signal => PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = !interrupt.IsCancellationRequested;
                interrupt.Cancel();
            }))];
        CancellationToken cancel = interrupt.Token;
        DateTime startedUtc = DateTime.UtcNow;
        var results = new List<WorkloadResult>();
        bool failed = false;
        PaxubyCluster? cluster = null;
        // Backstop for an unhandled exception or a second signal: never leave the cluster behind.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster?.Dispose();
        try
        {
            IPEndPoint paxuby;
            if (options.Server is { } given)
            {
                paxuby = given;
            }
            else
            {
                Console.WriteLine("starting a local 3-replica Paxuby cluster…");
                cluster = await PaxubyCluster.StartAsync(cancel);
                paxuby = await cluster.FindLeaderAsync(cancel);
                Console.WriteLine($"cluster pid {cluster.ProcessId} on {string.Join(", ", cluster.Endpoints)}; measuring the leader, {paxuby}");
            }
            var servers = new List<(string Name, IPEndPoint Endpoint)> { (PaxubyName, paxuby) };
            for (int i = 0; i < options.Compare.Count; i++) servers.Add((OtherNames(options)[i], options.Compare[i]));

            RunSettings settings = options.Settings;
            Console.WriteLine($"{settings.WarmupSeconds:0.#} s warm-up + {settings.DurationSeconds:0.#} s per workload, "
                + $"{settings.KeyCount:N0} keys, {settings.ValueBytes}-byte values; {Environment.ProcessorCount} cores shared with the server(s)");
            foreach ((string name, IPEndPoint endpoint) in servers)
            {
                ProgressLine.Show($"  {name,-8} preloading {settings.KeyCount:N0} keys");
                int loaded = await PreloadAsync(endpoint, settings, options.Quick ? QuickPreloadLimit : PreloadLimit, cancel);
                ProgressLine.Clear();
                if (loaded < settings.KeyCount) Console.WriteLine($"  {name,-8} preloaded {loaded:N0} of {settings.KeyCount:N0} keys in the time allowed; the other GETs miss");
            }

            foreach (Workload workload in Workload.All)
            {
                foreach ((string name, IPEndPoint endpoint) in servers)
                {
                    ServerGc? gcBefore = name == PaxubyName ? await ServerGc.ReadAsync(endpoint, cancel) : null;
                    WorkloadResult result = workload.Client == ClientKind.RawResp
                        ? await RawRespRunner.RunAsync(workload, name, endpoint, settings, cancel)
                        : await StackExchangeRunner.RunAsync(workload, name, endpoint, settings, cancel);
                    if (gcBefore is not null) result = result with { Gc = ServerGc.Between(gcBefore, await ServerGc.ReadAsync(endpoint, cancel)) };
                    results.Add(result);
                    Console.WriteLine($"  {name,-8} {workload.Name,-26} {result.OpsPerSecond,10:N0} ops/s  p50 {result.P50Us / 1000.0,7:0.000} ms  p99 {result.P99Us / 1000.0,7:0.000} ms"
                        + (result.Cpu is { } cpu ? $"  CPU/op {ResultTables.Cpu(cpu.ServerUsPerOp)} + bench {ResultTables.Cpu(cpu.BenchUsPerOp)} µs" : "")
                        + (result.Gc is { } gc ? $"  GC {gc}" : "")
                        + (result.Errors + result.FailedClients > 0 ? $"  errors {result.Errors}, failed clients {result.FailedClients}: {result.FirstError}" : ""));
                }
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            ProgressLine.Clear();
            Console.WriteLine("interrupted; the figures so far:");
        }
        catch (Exception e) when (e is InvalidOperationException or FileNotFoundException or System.Net.Sockets.SocketException or IOException)
        {
            ProgressLine.Clear();
            Console.Error.WriteLine($"load run failed: {e.Message}");
            failed = true;
        }
        finally
        {
            cluster?.Dispose();
            foreach (PosixSignalRegistration signal in signals) signal.Dispose();
        }

        Report(options, args, startedUtc, results);
        return failed ? 1 : cancel.IsCancellationRequested ? 130 : 0;
    }

    private static void Report(LoadOptions options, string[] args, DateTime startedUtc, List<WorkloadResult> results)
    {
        if (results.Count == 0)
        {
            Console.WriteLine("no workload finished; nothing written.");
            return;
        }
        List<(string Name, string Description)> others = options.Compare
            .Select((endpoint, i) => (OtherNames(options)[i], $"{OtherNames(options)[i]} ({endpoint})")).ToList();
        Console.WriteLine();
        Console.Write(ResultTables.Figures(results, PaxubyName, markdown: false));
        Console.WriteLine();
        Console.Write(ResultTables.Targets(results, PaxubyName, markdown: false));
        foreach ((string otherName, string description) in others)
        {
            Console.WriteLine($"\n{PaxubyName} / {description}: throughput above 1 and latency below 1 favour Paxuby");
            Console.Write(ResultTables.Ratios(results, PaxubyName, otherName, markdown: false));
        }
        string commandLine = "dotnet run -c Release --project bench" + (args.Length > 0 ? " -- " + string.Join(' ', args) : "");
        string paxubyEndpoint = results.First(r => r.Server == PaxubyName).Endpoint + (options.Server is null ? " (local 3-replica cluster, leader)" : "");
        (string markdown, string json) = ResultFiles.Write(options.ResultsDirectory ?? ResultFiles.DefaultDirectory(),
            startedUtc, commandLine, options, PaxubyName, paxubyEndpoint, others, results);
        Console.WriteLine($"\nmachine shared and noisy: compare runs from the same moment, not across days.\nwritten: {markdown}\n         {json}");
    }

    /// <summary>
    /// Writes every key once, so that GETs hit from the start; stops at <paramref name="limit"/>
    /// (a slow server must not eat the run) and returns how many keys it wrote.
    /// </summary>
    private static async Task<int> PreloadAsync(IPEndPoint endpoint, RunSettings settings, TimeSpan limit, CancellationToken cancel)
    {
        using var timeUp = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeUp.CancelAfter(limit);
        int nextKey = -PreloadBatch;
        int loaded = 0;
        var writers = Enumerable.Range(0, PreloadConnections).Select(_ => Task.Run(async () =>
        {
            using RespConnection connection = await RespConnection.ConnectAsync(endpoint, cancel);
            var batch = new CommandBatch(Operation.Set, PreloadBatch, settings.ValueBytes);
            int first;
            try
            {
                while ((first = Interlocked.Add(ref nextKey, PreloadBatch)) < settings.KeyCount)
                {
                    int count = Math.Min(PreloadBatch, settings.KeyCount - first);
                    batch.FillSequential(first, count);
                    await connection.SendAsync(batch.Bytes(count), timeUp.Token);
                    for (int i = 0; i < count; i++) await connection.ReadReplyAsync(timeUp.Token);
                    Interlocked.Add(ref loaded, count);
                }
            }
            catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
            {
                // Time is up: the keys written so far are enough to measure with.
            }
            if (connection.FirstError is { } error) throw new InvalidOperationException($"preloading {endpoint}: {error}");
        }, cancel));
        await Task.WhenAll(writers);
        return loaded;
    }
}
