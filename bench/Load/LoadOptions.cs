using System.Globalization;
using System.Net;

namespace Paxuby.Bench.Load;

/// <summary>Command-line options of the load run.</summary>
internal sealed record LoadOptions(
    bool Quick, double DurationSeconds, double WarmupSeconds, int KeyCount,
    IPEndPoint? Server, IReadOnlyList<IPEndPoint> Compare, string? ResultsDirectory)
{
    public const string Usage = """
        usage: dotnet run -c Release --project bench [-- OPTIONS]
               dotnet run -c Release --project bench -- micro [BenchmarkDotNet options]

        Without options: starts a local 3-replica Paxuby cluster and runs the load workloads.
          --quick              2 s per workload, 10,000 keys (the whole run takes well under 90 s)
          --duration S         seconds measured per workload (default 10; --quick 2)
          --warmup S           unrecorded seconds before each workload (default 1; --quick 0.5)
          --keys N             keys written and read at random (default 100000; --quick 10000)
          --server HOST:PORT   measure this running server instead of starting a cluster
          --compare HOST:PORT  also run every workload against this RESP server, alternating;
                               repeat it to compare with several (e.g. Redis with appendfsync
                               always for writes and a plain Redis for reads) in one run
          --results DIR        where the Markdown and JSON results go (default bench/results)
        micro                  the BenchmarkDotNet suites; --filter, --job, --list pass through

        Exit code: 0 measured (however slow), 1 could not run, 2 bad arguments, 130 interrupted.
        """;

    public static LoadOptions Parse(string[] args)
    {
        bool quick = args.Contains("--quick");
        double? duration = null, warmup = null;
        int? keys = null;
        IPEndPoint? server = null;
        var compare = new List<IPEndPoint>();
        string? results = null;
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--quick": break;
                case "--duration": duration = PositiveNumber("--duration", Value()); break;
                case "--warmup": warmup = double.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--keys": keys = (int)PositiveNumber("--keys", Value()); break;
                case "--server": server = ParseEndpoint(Value()); break;
                case "--compare": compare.Add(ParseEndpoint(Value())); break;
                case "--results": results = Value(); break;
                default: throw new ArgumentException($"unknown argument '{args[i]}'");
            }
        }
        return new LoadOptions(
            quick, duration ?? (quick ? 2 : 10), warmup ?? (quick ? 0.5 : 1), keys ?? (quick ? 10_000 : 100_000),
            server, compare, results);
    }

    public RunSettings Settings => new(DurationSeconds, WarmupSeconds, KeyCount, ValueBytes: 100);

    private static double PositiveNumber(string option, string text) =>
        double.TryParse(text, CultureInfo.InvariantCulture, out double value) && value > 0
            ? value
            : throw new ArgumentException($"{option} needs a positive number, not '{text}'");

    private static IPEndPoint ParseEndpoint(string text)
    {
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), out int port) || port is < 1 or > 65535)
        {
            throw new ArgumentException($"'{text}' is not HOST:PORT");
        }
        string host = text[..colon].Trim('[', ']');
        IPAddress address = host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback
            : IPAddress.TryParse(host, out IPAddress? ip) ? ip
            : Dns.GetHostAddresses(host).First();
        return new IPEndPoint(address, port);
    }
}
