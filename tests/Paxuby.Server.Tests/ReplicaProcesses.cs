using System.Text.RegularExpressions;

namespace Paxuby.Server.Tests;

/// <summary>
/// A cluster of real processes on loopback, one replica each (<c>--node N</c>), sharing one
/// config.yaml of free client and peer ports; each can be crashed, paused and restarted on its data.
/// </summary>
public sealed partial class ReplicaProcesses : IDisposable
{
    private static readonly TimeSpan LeaderTimeout = TimeSpan.FromSeconds(30);
    private readonly ServerProcess?[] _processes;
    private readonly List<ServerProcess> _all = [];

    public ReplicaProcesses(int replicas = 3, string extraConfig = "")
    {
        Directory = ServerProcess.NewDirectory();
        List<int> ports = ServerProcess.FreePorts(replicas * 2);
        Ports = ports.Take(replicas).ToList();
        PeerPorts = ports.Skip(replicas).ToList();
        ConfigPath = Path.Combine(Directory, "config.yaml");
        File.WriteAllText(ConfigPath,
            "addrs:\n" + string.Join("", Ports.Select(p => $"  - 127.0.0.1:{p}\n")) +
            "peer_addrs:\n" + string.Join("", PeerPorts.Select(p => $"  - 127.0.0.1:{p}\n")) +
            $"data_dir: {Path.Combine(Directory, "data")}\n" + extraConfig);
        _processes = new ServerProcess?[replicas];
        try
        {
            for (int i = 0; i < replicas; i++) Start(i, waitUntilReady: false);
            foreach (ServerProcess process in _processes.OfType<ServerProcess>()) process.WaitUntilReady();
        }
        catch
        {
            // A replica that never became ready fails the test; the others must not outlive it.
            Dispose();
            throw;
        }
    }

    public string Directory { get; }

    public string ConfigPath { get; }

    public IReadOnlyList<int> Ports { get; }

    public IReadOnlyList<int> PeerPorts { get; }

    public int Count => _processes.Length;

    public ServerProcess this[int replica] => _processes[replica] ?? throw new InvalidOperationException($"replica {replica} is not running");

    /// <summary>Starts replica <paramref name="replica"/> (again, on the data it left).</summary>
    public void Start(int replica, bool waitUntilReady = true)
    {
        var process = new ServerProcess(Directory, Ports, ConfigPath, $"--node {replica}");
        process.KeepDirectory();
        _processes[replica] = process;
        _all.Add(process);
        if (waitUntilReady) process.WaitUntilReady();
    }

    /// <summary>kill -9: the replica stops at once, with whatever it had not made durable.</summary>
    public void Crash(int replica)
    {
        this[replica].Crash();
        _processes[replica] = null;
    }

    public RawClient Connect(int replica) => this[replica].Connect(replica);

    /// <summary>The replica that says it leads, asked through INFO until one does (or the timeout, as a failure).</summary>
    public int WaitForLeader(params int[] excluding)
    {
        DateTime deadline = DateTime.UtcNow + LeaderTimeout;
        while (DateTime.UtcNow < deadline)
        {
            for (int i = 0; i < Count; i++)
            {
                if (_processes[i] is null || excluding.Contains(i)) continue;
                try
                {
                    using RawClient client = Connect(i);
                    if (LeaderRole().IsMatch(client.Call("INFO", "consensus"))) return i;
                }
                catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
                {
                    // Not accepting (yet): ask the next one.
                }
            }
            Thread.Yield();
        }
        throw new TimeoutException("no replica reported paxos_role:leader within " + LeaderTimeout);
    }

    /// <summary>Replica <paramref name="replica"/>'s applied slot, from INFO.</summary>
    public long AppliedSlot(int replica)
    {
        using RawClient client = Connect(replica);
        return long.Parse(AppliedSlotField().Match(client.Call("INFO", "consensus")).Groups[1].Value);
    }

    [GeneratedRegex(@"paxos_role:leader\r\n")]
    private static partial Regex LeaderRole();

    [GeneratedRegex(@"paxos_applied_slot:(\d+)\r\n")]
    private static partial Regex AppliedSlotField();

    public void Dispose()
    {
        foreach (ServerProcess process in _all) process.Dispose();
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
