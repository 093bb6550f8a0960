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
    public static async Task<int> Main(string[] args)
    {
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
