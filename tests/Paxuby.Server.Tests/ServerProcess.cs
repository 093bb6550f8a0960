using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Paxuby.Server.Tests;

/// <summary>
/// The real executable in its own process, with a config.yaml of free loopback ports in a
/// temporary directory; killed by pid and cleaned up on dispose.
/// </summary>
public sealed class ServerProcess : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly TaskCompletionSource _allReady = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _readyCount;

    public ServerProcess(int replicas, string extraArgs = "")
        : this(NewDirectory(), FreePorts(replicas), extraArgs)
    {
    }

    /// <summary>A second life of <paramref name="previous"/>: the same directory, config and data, after it stopped.</summary>
    public ServerProcess(ServerProcess previous)
        : this(previous.Directory, previous.Ports, "")
    {
        previous._keepDirectory = true;
    }

    private ServerProcess(string directory, IReadOnlyList<int> ports, string extraArgs)
        : this(directory, ports, WriteConfig(directory, ports), extraArgs)
    {
    }

    /// <summary>A process on a config.yaml someone else wrote (and owns, with the directory).</summary>
    public ServerProcess(string directory, IReadOnlyList<int> ports, string configPath, string extraArgs)
    {
        Directory = directory;
        Ports = ports;
        ConfigPath = configPath;
        string serverDll = Path.Combine(AppContext.BaseDirectory, "paxuby-server.dll");
        var start = new ProcessStartInfo("dotnet", $"\"{serverDll}\" --config \"{ConfigPath}\" {extraArgs}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Directory,
        };
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        ExpectedReady = extraArgs.Contains("--node") ? 1 : ports.Count;
    }

    private bool _keepDirectory;

    private static string WriteConfig(string directory, IReadOnlyList<int> ports)
    {
        string path = Path.Combine(directory, "config.yaml");
        File.WriteAllText(path, "addrs:\n" + string.Join("", ports.Select(p => $"  - 127.0.0.1:{p}\n")) + $"data_dir: {Path.Combine(directory, "data")}\n");
        return path;
    }

    /// <summary>Leaves the directory in place on dispose (its owner removes it).</summary>
    public void KeepDirectory() => _keepDirectory = true;

    public static string NewDirectory()
    {
        string directory = Path.Combine(Path.GetTempPath(), "paxuby-proc-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        return directory;
    }

    /// <summary>Stops the process where it is (SIGSTOP), as a long pause or a hung machine would; <see cref="Resume"/> continues it.</summary>
    public void Pause() => Signal("STOP");

    public void Resume() => Signal("CONT");

    private void Signal(string name) => Process.Start("kill", [$"-{name}", _process.Id.ToString()])!.WaitForExit();

    /// <summary>Kills the process at once (SIGKILL), as a crash or power cut would stop it.</summary>
    public void Crash()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public string Directory { get; }

    public string ConfigPath { get; }

    public IReadOnlyList<int> Ports { get; }

    public int ExpectedReady { get; }

    public int Pid => _process.Id;

    public string Output
    {
        get { lock (_output) return string.Join("\n", _output); }
    }

    /// <summary>Waits until every started replica printed that it is ready.</summary>
    public void WaitUntilReady()
    {
        if (!_allReady.Task.Wait(StartTimeout)) throw new TimeoutException("server did not start:\n" + Output);
    }

    public RawClient Connect(int replica) => new(new IPEndPoint(IPAddress.Loopback, Ports[replica]));

    /// <summary>Sends SIGTERM and returns the exit code, or null if it did not exit in time.</summary>
    public int? Terminate(TimeSpan timeout)
    {
        Signal("TERM");
        return WaitForExit(timeout);
    }

    public int? WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout)) return null;
        // The timed overload does not wait for redirected output; this one does, once the process is gone.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        lock (_output) _output.Add(line);
        if (line.Contains(" ready: redis-cli") && Interlocked.Increment(ref _readyCount) == ExpectedReady) _allReady.TrySetResult();
    }

    public static List<int> FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        listeners.ForEach(l => l.Start());
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToList();
        listeners.ForEach(l => l.Stop());
        return ports;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process.Dispose();
        if (_keepDirectory) return;
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a dying process; the temp directory is cleaned by the system.
        }
    }
}
