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

    /// <summary>How often the expiry sweep runs, in milliseconds.</summary>
    public int ExpireSweepIntervalMs { get; set; } = 100;

    [YamlIgnore]
    public IReadOnlyList<IPEndPoint> Endpoints => Addrs.Select(ParseEndpoint).ToList();

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
