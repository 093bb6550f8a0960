using BenchmarkDotNet.Running;
using Paxuby.Bench.Load;

namespace Paxuby.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench</c> runs the end-to-end load run (options: <c>--help</c>);
/// <c>… -- micro</c> runs every BenchmarkDotNet suite, and BenchmarkDotNet's own options pass
/// through after it (<c>micro --filter *Resp*</c>, <c>--job short</c>, <c>--list flat</c>).
/// </summary>
public static class Program
{
    /// <summary>.NET reads this once, when the first socket is made.</summary>
    private const string InlineSocketCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    public static async Task<int> Main(string[] args)
    {
        // The clients go on with their next command on the thread that received the reply, as
        // redis-benchmark's event loop does, instead of hopping to the thread pool first: the
        // bench shares the cores with the servers it measures, and the hop doubled its CPU per
        // operation (SET, 50 clients, two runs against Paxuby and Redis: 13–20 µs against 29–44 µs).
        if (Environment.GetEnvironmentVariable(InlineSocketCompletions) is null) Environment.SetEnvironmentVariable(InlineSocketCompletions, "1");
        if (args.Length > 0 && args[0] == "micro")
        {
            string[] rest = args[1..];
            BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(rest.Length == 0 ? ["--filter", "*"] : rest);
            return 0;
        }
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine(LoadOptions.Usage);
            return 0;
        }
        return await LoadRun.RunAsync(args);
    }
}
