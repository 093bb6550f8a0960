using System.Collections.Concurrent;
using System.Net;
using Paxuby.Server.Configuration;

namespace Paxuby.Server.Hosting;

/// <summary>
/// What CONFIG GET reports and CONFIG SET may change. Clients ask for these on connect
/// (redis-benchmark: save and appendonly; StackExchange.Redis: slave-read-only, databases, …).
/// </summary>
public sealed class RuntimeSettings
{
    private readonly ConcurrentDictionary<string, string> _values = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Settings CONFIG SET may change; the rest are fixed by config.yaml or by design.</summary>
    private static readonly HashSet<string> Mutable = new(StringComparer.OrdinalIgnoreCase)
    {
        "timeout", "maxmemory", "maxmemory-policy", "requirepass", "maxclients", "proto-max-bulk-len",
        "notify-keyspace-events", "slowlog-log-slower-than", "slowlog-max-len", "latency-tracking",
        "client-output-buffer-limit", "hz", "loglevel", "lazyfree-lazy-user-del", "lazyfree-lazy-user-flush",
    };

    public RuntimeSettings(ClusterConfig config, IPEndPoint endpoint)
    {
        Set("bind", endpoint.Address.ToString());
        Set("port", endpoint.Port.ToString());
        Set("databases", "16");
        Set("maxmemory", "0");
        Set("maxmemory-policy", "noeviction");
        Set("save", "");
        Set("appendonly", "no");
        Set("appendfsync", config.Fsync.ToLowerInvariant());
        Set("timeout", config.Timeout.ToString());
        Set("maxclients", config.Maxclients.ToString());
        Set("proto-max-bulk-len", config.ProtoMaxBulkLen.ToString());
        Set("requirepass", config.Requirepass ?? "");
        Set("replica-read-only", "yes");
        Set("slave-read-only", "yes");
        Set("cluster-enabled", "no");
        Set("notify-keyspace-events", "");
        Set("slowlog-log-slower-than", "10000");
        Set("slowlog-max-len", "128");
        Set("latency-tracking", "yes");
        Set("client-output-buffer-limit", "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60");
        Set("hz", "10");
        Set("loglevel", "notice");
        Set("lazyfree-lazy-user-del", "no");
        Set("lazyfree-lazy-user-flush", "no");
        Set("dir", Path.GetFullPath(config.DataDir));
    }

    public string? Get(string name) => _values.TryGetValue(name, out string? value) ? value : null;

    public IEnumerable<KeyValuePair<string, string>> All => _values.OrderBy(p => p.Key, StringComparer.Ordinal);

    public bool IsMutable(string name) => Mutable.Contains(name);

    public void Set(string name, string value) => _values[name.ToLowerInvariant()] = value;

    public string Requirepass => Get("requirepass") ?? "";
}
