using System.Net;
using Paxuby.Storage;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Paxuby.Server.Configuration;

/// <summary>
/// config.yaml: the seed's format (an <c>addrs</c> list of host:port, one per replica) plus
/// optional settings, each with a default.
/// </summary>
public sealed class ClusterConfig
{
    /// <summary>Client address of every replica, in replica order (node 0, 1, …).</summary>
    public List<string> Addrs { get; set; } = [];

    /// <summary>Where each replica keeps its files: <c>{data_dir}/node-{N}</c>.</summary>
    public string DataDir { get; set; } = "data";

    /// <summary>When set, clients must AUTH with it (Redis's requirepass).</summary>
    public string? Requirepass { get; set; }

    /// <summary>Largest bulk string a client may send (Redis's proto-max-bulk-len).</summary>
    public long ProtoMaxBulkLen { get; set; } = 512L * 1024 * 1024;

    /// <summary>Most clients connected at once per replica (Redis's maxclients).</summary>
    public int Maxclients { get; set; } = 10000;

    /// <summary>Seconds a client may stay idle before it is closed; 0 never (Redis's timeout).</summary>
    public int Timeout { get; set; }

    /// <summary>When the write-ahead log reaches the disk: always (default), everysec or no, as Redis's appendfsync.</summary>
    public string Fsync { get; set; } = "always";

    /// <summary><see cref="Fsync"/> as the storage layer's policy.</summary>
    [YamlIgnore]
    public FsyncPolicy FsyncPolicy => Fsync.ToLowerInvariant() switch
    {
        "everysec" => FsyncPolicy.EverySec,
        "no" => FsyncPolicy.No,
        _ => FsyncPolicy.Always,
    };

    /// <summary>
    /// Where replicas reach each other, in replica order; when absent each replica's peer port is
    /// its client port + 10000 (Redis Cluster's bus convention).
    /// </summary>
    public List<string>? PeerAddrs { get; set; }

    /// <summary>When set, replicas prove to each other that they know it before any Paxos message passes.</summary>
    public string? ClusterSecret { get; set; }

    /// <summary>A command with no leader or majority to decide it fails after this long, in milliseconds.</summary>
    public int CommandTimeoutMs { get; set; } = 5000;

    /// <summary>A follower snapshots its cache and compacts its log after this many bytes of log (default 64 MiB), the leader after twice as many.</summary>
    public long SnapshotLogBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>How often the expiry sweep runs, in milliseconds.</summary>
    public int ExpireSweepIntervalMs { get; set; } = 100;

    [YamlIgnore]
    public IReadOnlyList<IPEndPoint> Endpoints => Addrs.Select(ParseEndpoint).ToList();

    /// <summary>The peer address of every replica, in replica order.</summary>
    [YamlIgnore]
    public IReadOnlyList<IPEndPoint> PeerEndpoints => PeerAddrs is { } peers
        ? peers.Select(ParseEndpoint).ToList()
        : Endpoints.Select(e => new IPEndPoint(e.Address, e.Port + PeerPortOffset)).ToList();

    /// <summary>Names this cluster to its replicas: peers of another cluster (other addresses) are refused.</summary>
    [YamlIgnore]
    public string ClusterId => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(
        System.Text.Encoding.UTF8.GetBytes(string.Join(",", Addrs))))[..16];

    private const int PeerPortOffset = 10000;

    public static ClusterConfig Load(string path)
    {
        if (!File.Exists(path)) throw new ConfigException($"config file '{path}' not found");
        return Parse(File.ReadAllText(path), path);
    }

    public static ClusterConfig Parse(string yaml, string source = "config.yaml")
    {
        IDeserializer deserializer = new DeserializerBuilder()
            .WithNamingConvention(UnderscoredNamingConvention.Instance)
            .Build();
        ClusterConfig config;
        try
        {
            config = deserializer.Deserialize<ClusterConfig?>(yaml) ?? new ClusterConfig();
        }
        catch (YamlException e)
        {
            throw new ConfigException($"{source}: {e.Message}{(e.InnerException is null ? "" : " " + e.InnerException.Message)}");
        }
        config.Validate(source);
        return config;
    }

    private void Validate(string source)
    {
        if (Addrs.Count == 0) throw new ConfigException($"{source}: 'addrs' must list at least one host:port");
        var seen = new HashSet<string>();
        foreach (string addr in Addrs)
        {
            try
            {
                ParseEndpoint(addr);
            }
            catch (FormatException e)
            {
                throw new ConfigException($"{source}: {e.Message}");
            }
            if (!seen.Add(addr)) throw new ConfigException($"{source}: address '{addr}' is listed twice");
        }
        if (ProtoMaxBulkLen < 1024) throw new ConfigException($"{source}: proto_max_bulk_len must be at least 1024");
        if (Maxclients < 1) throw new ConfigException($"{source}: maxclients must be at least 1");
        if (Timeout < 0) throw new ConfigException($"{source}: timeout must not be negative");
        if (Fsync.ToLowerInvariant() is not ("always" or "everysec" or "no")) throw new ConfigException($"{source}: fsync must be always, everysec or no, not '{Fsync}'");
        if (PeerAddrs is { } peers)
        {
            if (peers.Count != Addrs.Count) throw new ConfigException($"{source}: peer_addrs must list one address per replica ({Addrs.Count}), not {peers.Count}");
            foreach (string addr in peers)
            {
                try
                {
                    ParseEndpoint(addr);
                }
                catch (FormatException e)
                {
                    throw new ConfigException($"{source}: peer_addrs: {e.Message}");
                }
            }
        }
        else if (Addrs.Count > 1 && Endpoints.Any(e => e.Port + PeerPortOffset > 65535))
        {
            throw new ConfigException($"{source}: a client port above {65535 - PeerPortOffset} leaves no room for its peer port (+{PeerPortOffset}); list peer_addrs");
        }
        if (SnapshotLogBytes < 1024) throw new ConfigException($"{source}: snapshot_log_bytes must be at least 1024");
        if (ClusterSecret is { Length: 0 }) throw new ConfigException($"{source}: cluster_secret must not be empty when given");
        if (CommandTimeoutMs is < 100 or > 600_000) throw new ConfigException($"{source}: command_timeout_ms must be within 100..600000");
        if (ExpireSweepIntervalMs is < 1 or > 10_000) throw new ConfigException($"{source}: expire_sweep_interval_ms must be within 1..10000");
    }

    /// <summary>Parses host:port; "localhost" means the loopback address.</summary>
    public static IPEndPoint ParseEndpoint(string addr)
    {
        int colon = addr.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(addr.AsSpan(colon + 1), out int port) || port is < 0 or > 65535)
        {
            throw new FormatException($"'{addr}' is not host:port");
        }
        string host = addr[..colon].Trim('[', ']');
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return new IPEndPoint(IPAddress.Loopback, port);
        if (!IPAddress.TryParse(host, out IPAddress? ip)) throw new FormatException($"'{addr}': host must be an IP address or localhost");
        return new IPEndPoint(ip, port);
    }

    /// <summary>True when <paramref name="endpoint"/> is an address of this machine.</summary>
    public static bool IsLocal(IPEndPoint endpoint)
    {
        if (IPAddress.IsLoopback(endpoint.Address) || endpoint.Address.Equals(IPAddress.Any)) return true;
        try
        {
            return Dns.GetHostAddresses(Dns.GetHostName()).Contains(endpoint.Address);
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }
}

public sealed class ConfigException(string message) : Exception(message);
