using BenchmarkDotNet.Running;

namespace Paxuby.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench</c> runs every suite; BenchmarkDotNet's own options
/// pass through (<c>--filter *Resp*</c>, <c>--job short</c>, <c>--list flat</c>).
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        if (args.Length == 0) args = ["--filter", "*"];
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
