using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Paxuby.Bench.Load;

/// <summary>
/// A local 3-replica cluster in its own paxuby-server process: a temporary directory holds
/// config.yaml (free loopback ports) and the data; <see cref="Dispose"/> kills the process by
/// its id and deletes the directory.
/// </summary>
internal sealed class PaxubyCluster : IDisposable
{
    private const int Replicas = 3;
    private const string ReadyMarker = " ready: redis-cli";
    private const int PeerPortOffset = 10_000;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly string _directory;
    private readonly Queue<string> _recentOutput = new();
    private int _readyReplicas;
    private int _disposed;

    private PaxubyCluster(Process process, string directory, IReadOnlyList<IPEndPoint> endpoints)
    {
        _process = process;
        _directory = directory;
        Endpoints = endpoints;
    }

    public IReadOnlyList<IPEndPoint> Endpoints { get; }

    public int ProcessId => _process.Id;

    public static async Task<PaxubyCluster> StartAsync(CancellationToken cancel)
    {
        string serverDll = LocateServer();
        string directory = Directory.CreateTempSubdirectory("paxuby-bench-").FullName;
        List<IPEndPoint> endpoints = FreeLoopbackEndpoints(Replicas);
        string config = Path.Combine(directory, "config.yaml");
        var yaml = new StringBuilder("addrs:\n");
        foreach (IPEndPoint endpoint in endpoints) yaml.Append($"  - {endpoint}\n");
        yaml.Append($"data_dir: {Path.Combine(directory, "data")}\n");
        await File.WriteAllTextAsync(config, yaml.ToString(), cancel);

        var start = new ProcessStartInfo(DotnetHost())
        {
            ArgumentList = { serverDll, "--config", config },
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process = Process.Start(start) ?? throw new InvalidOperationException("could not start paxuby-server");
        var cluster = new PaxubyCluster(process, directory, endpoints);
        try
        {
            await cluster.WaitReadyAsync(cancel);
            return cluster;
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    /// <summary>The replica that reports itself Paxos leader (INFO consensus), else the first.</summary>
    public async Task<IPEndPoint> FindLeaderAsync(CancellationToken cancel)
    {
        long deadline = Stopwatch.GetTimestamp() + 15 * Stopwatch.Frequency;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            foreach (IPEndPoint endpoint in Endpoints)
            {
                using RespConnection connection = await RespConnection.ConnectAsync(endpoint, cancel);
                string info = await connection.CallAsync(["INFO", "consensus"], cancel);
                if (!info.Contains("paxos_role:", StringComparison.Ordinal)) return Endpoints[0];
                if (info.Contains("paxos_role:leader", StringComparison.OrdinalIgnoreCase)) return endpoint;
            }
            await Task.Delay(200, cancel);
        }
        return Endpoints[0];
    }

    private async Task WaitReadyAsync(CancellationToken cancel)
    {
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        DataReceivedEventHandler collect = (_, e) =>
        {
            if (e.Data is null) return;
            lock (_recentOutput)
            {
                _recentOutput.Enqueue(e.Data);
                if (_recentOutput.Count > 40) _recentOutput.Dequeue();
            }
            if (e.Data.Contains(ReadyMarker, StringComparison.Ordinal) && Interlocked.Increment(ref _readyReplicas) == Replicas)
            {
                ready.TrySetResult();
            }
        };
        // Keep draining both pipes for the whole run: a full pipe would block the server's logging.
        _process.OutputDataReceived += collect;
        _process.ErrorDataReceived += collect;
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        Task exited = _process.WaitForExitAsync(cancel);
        Task first = await Task.WhenAny(ready.Task, exited, Task.Delay(StartTimeout, cancel));
        cancel.ThrowIfCancellationRequested();
        if (first == ready.Task) return;
        string why = first == exited ? $"exited with code {_process.ExitCode}" : $"not ready after {StartTimeout.TotalSeconds:0} s";
        throw new InvalidOperationException($"paxuby-server {why}; its last output:\n{RecentOutput()}");
    }

    public string RecentOutput()
    {
        lock (_recentOutput) return string.Join('\n', _recentOutput);
    }

    /// <summary>paxuby-server.dll next to the bench (the project reference copies it), else in its own bin folder.</summary>
    private static string LocateServer()
    {
        string beside = Path.Combine(AppContext.BaseDirectory, "paxuby-server.dll");
        if (File.Exists(beside)) return beside;
        string built = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory,
            "../../../../src/Paxuby.Server/bin/Release/net10.0/paxuby-server.dll"));
        if (File.Exists(built)) return built;
        throw new FileNotFoundException($"paxuby-server.dll is neither in {AppContext.BaseDirectory} nor at {built}; build src/Paxuby.Server first");
    }

    private static string DotnetHost()
    {
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (host is not null && File.Exists(host)) return host;
        string? processPath = Environment.ProcessPath;
        if (processPath is not null && Path.GetFileNameWithoutExtension(processPath) == "dotnet") return processPath;
        return "dotnet";
    }

    /// <summary>Loopback ports free now, each with its peer port (port + 10000) free as well.</summary>
    private static List<IPEndPoint> FreeLoopbackEndpoints(int count)
    {
        var endpoints = new List<IPEndPoint>();
        while (endpoints.Count < count)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            if (port + PeerPortOffset > 65535 || !IsFree(port + PeerPortOffset) || endpoints.Any(e => e.Port == port)) continue;
            endpoints.Add(new IPEndPoint(IPAddress.Loopback, port));
        }
        return endpoints;
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temp directory is cleaned by the OS eventually.
        }
    }
}
