using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Paxuby.Server.Configuration;
using Paxuby.Server.Hosting;

namespace Paxuby.Server;

public static class Program
{
    private const string Usage = """
        usage: paxuby-server [--config PATH] [--node N]

          --config PATH   the cluster file (default: ./config.yaml)
          --node N        start replica N of the file only (0-based); without it, every
                          replica whose address is on this machine starts
        """;

    /// <summary>.NET reads this once, when the first socket is made.</summary>
    private const string InlineSocketCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    public static async Task<int> Main(string[] args)
    {
        // A command is parsed, served and answered on the thread that received it, as in Redis's
        // event loop, instead of hopping from the socket's event thread to the thread pool first.
        // Sessions never wait on a disk there: each replica's loop fsyncs on a thread of its own.
        if (Environment.GetEnvironmentVariable(InlineSocketCompletions) is null) Environment.SetEnvironmentVariable(InlineSocketCompletions, "1");
        string configPath = "config.yaml";
        int? nodeId = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--config" when i + 1 < args.Length:
                    configPath = args[++i];
                    break;
                case "--node" when i + 1 < args.Length && int.TryParse(args[i + 1], out int id):
                    nodeId = id;
                    i++;
                    break;
                case "-h" or "--help":
                    Console.WriteLine(Usage);
                    return 0;
                default:
                    Console.Error.WriteLine($"unknown or incomplete argument '{args[i]}'\n{Usage}");
                    return 2;
            }
        }

        using ILoggerFactory loggers = LoggerFactory.Create(builder => builder
            .AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            })
            .SetMinimumLevel(LogLevel.Information));
        ILogger log = loggers.CreateLogger("paxuby");

        ClusterConfig config;
        try
        {
            config = ClusterConfig.Load(configPath);
        }
        catch (ConfigException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }

        List<int> nodes;
        if (nodeId is { } only)
        {
            if (only < 0 || only >= config.Addrs.Count)
            {
                Console.Error.WriteLine($"--node {only}: {configPath} lists replicas 0..{config.Addrs.Count - 1}");
                return 2;
            }
            nodes = [only];
        }
        else
        {
            nodes = Enumerable.Range(0, config.Addrs.Count).Where(i => ClusterConfig.IsLocal(config.Endpoints[i])).ToList();
            if (nodes.Count == 0)
            {
                Console.Error.WriteLine($"no address of {configPath} is on this machine; name one with --node N");
                return 2;
            }
        }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });

        PaxubyServer server;
        try
        {
            server = PaxubyServer.Start(config, nodes, loggers);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            Console.Error.WriteLine($"cannot listen: {e.Message}");
            return 1;
        }
        await using (server)
        {
            foreach (NodeContext node in server.Nodes)
            {
                log.LogInformation("replica {Node} ready: redis-cli -h {Host} -p {Port}", node.NodeId, node.Endpoint.Address, node.Endpoint.Port);
            }
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException)
            {
                log.LogInformation("stopping");
            }
        }
        return 0;
    }
}
