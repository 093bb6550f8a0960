using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Paxuby.Server.Engine;
using Paxuby.Server.Hosting;

namespace Paxuby.Server.Sessions;

/// <summary>
/// The text of INFO, with the sections and fields that monitoring tools and client libraries read
/// (redis_version, role, loading, connected_clients, used_memory, keyspace lines, …).
/// </summary>
public static class InfoReport
{
    private static readonly string[] DefaultSections =
        ["server", "clients", "memory", "persistence", "stats", "replication", "consensus", "cpu", "modules", "errorstats", "cluster", "keyspace"];

    private static readonly string RunId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + "00000000";

    public static string Build(NodeContext node, IReadOnlyList<string> requested)
    {
        var wanted = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (requested.Count == 0 || requested.Any(s => s.Equals("default", StringComparison.OrdinalIgnoreCase)))
        {
            wanted.UnionWith(DefaultSections);
        }
        if (requested.Any(s => s.Equals("all", StringComparison.OrdinalIgnoreCase) || s.Equals("everything", StringComparison.OrdinalIgnoreCase)))
        {
            wanted.UnionWith(DefaultSections);
            wanted.Add("commandstats");
        }
        foreach (string section in requested) wanted.Add(section);

        EngineStats stats = node.Engine.GetStats();
        var text = new StringBuilder();
        foreach (string section in DefaultSections)
        {
            if (!wanted.Contains(section)) continue;
            if (text.Length > 0) text.Append("\r\n");
            WriteSection(text, section, node, stats);
        }
        return text.ToString();
    }

    private static void WriteSection(StringBuilder text, string section, NodeContext node, EngineStats stats)
    {
        var process = Process.GetCurrentProcess();
        long uptimeSeconds = (long)(node.Time.GetUtcNow() - node.StartedAt).TotalSeconds;
        switch (section)
        {
            case "server":
                text.Append("# Server\r\n");
                Field(text, "redis_version", ClientSession.ServerVersion);
                Field(text, "redis_git_sha1", "00000000");
                Field(text, "redis_git_dirty", "0");
                Field(text, "redis_build_id", "0");
                Field(text, "redis_mode", "standalone");
                Field(text, "os", $"{RuntimeInformation.OSDescription} {RuntimeInformation.OSArchitecture}");
                Field(text, "arch_bits", IntPtr.Size == 8 ? "64" : "32");
                Field(text, "multiplexing_api", "epoll");
                Field(text, "process_id", Environment.ProcessId);
                Field(text, "run_id", RunId);
                Field(text, "tcp_port", node.Endpoint.Port);
                Field(text, "server_time_usec", node.Time.GetUtcNow().ToUnixTimeMilliseconds() * 1000);
                Field(text, "uptime_in_seconds", uptimeSeconds);
                Field(text, "uptime_in_days", uptimeSeconds / 86400);
                Field(text, "hz", "10");
                Field(text, "executable", Environment.ProcessPath ?? "");
                Field(text, "paxuby_version", typeof(InfoReport).Assembly.GetName().Version?.ToString(3) ?? "0.1.0");
                Field(text, "paxuby_node", node.NodeId);
                Field(text, "dotnet_version", RuntimeInformation.FrameworkDescription);
                break;
            case "clients":
                text.Append("# Clients\r\n");
                Field(text, "connected_clients", node.Clients.Count);
                Field(text, "cluster_connections", 0);
                Field(text, "maxclients", node.Config.Maxclients);
                Field(text, "blocked_clients", 0);
                Field(text, "tracking_clients", 0);
                Field(text, "pubsub_clients", node.Clients.Values.Count(c => c.IsSubscribed));
                break;
            case "memory":
                text.Append("# Memory\r\n");
                Field(text, "used_memory", stats.UsedMemoryBytes);
                Field(text, "used_memory_human", Human(stats.UsedMemoryBytes));
                Field(text, "used_memory_rss", process.WorkingSet64);
                Field(text, "used_memory_rss_human", Human(process.WorkingSet64));
                Field(text, "used_memory_peak", process.PeakWorkingSet64);
                Field(text, "used_memory_peak_human", Human(process.PeakWorkingSet64));
                Field(text, "maxmemory", node.Settings.Get("maxmemory") ?? "0");
                Field(text, "maxmemory_policy", node.Settings.Get("maxmemory-policy") ?? "noeviction");
                Field(text, "mem_fragmentation_ratio", (stats.UsedMemoryBytes == 0 ? 1.0 : (double)process.WorkingSet64 / stats.UsedMemoryBytes).ToString("0.00", CultureInfo.InvariantCulture));
                Field(text, "mem_allocator", "dotnet-gc");
                GarbageCollection(text);
                break;
            case "persistence":
                text.Append("# Persistence\r\n");
                Field(text, "loading", 0);
                Field(text, "async_loading", 0);
                Field(text, "rdb_changes_since_last_save", 0);
                Field(text, "rdb_bgsave_in_progress", 0);
                Field(text, "rdb_last_save_time", node.StartedAt.ToUnixTimeSeconds());
                Field(text, "rdb_last_bgsave_status", "ok");
                Field(text, "aof_enabled", 0);
                Field(text, "aof_rewrite_in_progress", 0);
                break;
            case "stats":
                text.Append("# Stats\r\n");
                Field(text, "total_connections_received", Interlocked.Read(ref node.Stats.ConnectionsReceived));
                Field(text, "total_commands_processed", Interlocked.Read(ref node.Stats.CommandsProcessed));
                Field(text, "instantaneous_ops_per_sec", 0);
                Field(text, "total_net_input_bytes", Interlocked.Read(ref node.Stats.NetInputBytes));
                Field(text, "total_net_output_bytes", Interlocked.Read(ref node.Stats.NetOutputBytes));
                Field(text, "rejected_connections", Interlocked.Read(ref node.Stats.RejectedConnections));
                Field(text, "expired_keys", 0);
                Field(text, "evicted_keys", 0);
                Field(text, "keyspace_hits", 0);
                Field(text, "keyspace_misses", 0);
                Field(text, "pubsub_channels", node.PubSub.ChannelCount);
                Field(text, "pubsub_patterns", node.PubSub.PatternCount);
                break;
            case "replication":
                text.Append("# Replication\r\n");
                Field(text, "role", stats.Role);
                Field(text, "connected_slaves", 0);
                Field(text, "master_failover_state", "no-failover");
                Field(text, "master_replid", RunId);
                Field(text, "master_repl_offset", stats.AppliedCommands);
                Field(text, "paxuby_applied_commands", stats.AppliedCommands);
                // Every replica takes writes, so each says master to Redis clients (a client given
                // one follower's address would refuse to write to a "slave"); who leads the log is here.
                if (stats.Consensus is { } replication)
                {
                    Field(text, "paxuby_paxos_role", replication.Role);
                    Field(text, "paxuby_leader_addr", LeaderAddress(node, replication));
                }
                break;
            case "consensus":
                text.Append("# Consensus\r\n");
                if (stats.Consensus is not { } consensus)
                {
                    Field(text, "paxos_enabled", 0);
                    break;
                }
                Field(text, "paxos_enabled", 1);
                Field(text, "paxos_replica", consensus.ReplicaId);
                Field(text, "paxos_replicas", node.Config.Addrs.Count);
                Field(text, "paxos_role", consensus.Role);
                Field(text, "paxos_rebuilding", consensus.Rebuilding ? 1 : 0);
                Field(text, "paxos_leader", consensus.LeaderId);
                Field(text, "paxos_leader_addr", LeaderAddress(node, consensus));
                Field(text, "paxos_ballot", consensus.Ballot);
                Field(text, "paxos_commit_slot", consensus.CommitSlot);
                Field(text, "paxos_applied_slot", consensus.AppliedSlot);
                Field(text, "paxos_pending_proposals", consensus.PendingProposals);
                Field(text, "paxos_lease_held", consensus.LeaseHeld ? 1 : 0);
                Field(text, "paxos_elections_seen", consensus.ElectionsSeen);
                Field(text, "paxos_slots_applied", consensus.SlotsApplied);
                Field(text, "paxos_commands_applied", consensus.CommandsApplied);
                Field(text, "paxos_commands_per_slot", Ratio(consensus.CommandsApplied, consensus.SlotsApplied));
                Field(text, "paxos_log_records", consensus.RecordsAppended);
                Field(text, "paxos_fsyncs", consensus.Fsyncs);
                Field(text, "paxos_records_per_fsync", Ratio(consensus.RecordsAppended, consensus.Fsyncs));
                Field(text, "paxos_log_slots_in_memory", consensus.LogSlots);
                Field(text, "paxos_log_bytes_since_snapshot", consensus.LogBytesSinceSnapshot);
                Field(text, "paxos_lease_reads", consensus.LeaseReads);
                Field(text, "paxos_loop_reads", consensus.LoopReads);
                Field(text, "paxos_snapshot_slot", consensus.SnapshotSlot);
                Field(text, "paxos_snapshots_taken", consensus.SnapshotsTaken);
                Field(text, "paxos_snapshots_installed", consensus.SnapshotsInstalled);
                break;
            case "cpu":
                text.Append("# CPU\r\n");
                Field(text, "used_cpu_sys", process.PrivilegedProcessorTime.TotalSeconds.ToString("0.000000", CultureInfo.InvariantCulture));
                Field(text, "used_cpu_user", process.UserProcessorTime.TotalSeconds.ToString("0.000000", CultureInfo.InvariantCulture));
                break;
            case "modules":
                text.Append("# Modules\r\n");
                break;
            case "errorstats":
                text.Append("# Errorstats\r\n");
                break;
            case "cluster":
                text.Append("# Cluster\r\n");
                Field(text, "cluster_enabled", 0);
                break;
            case "keyspace":
                text.Append("# Keyspace\r\n");
                foreach (var (db, keys, expires) in stats.Databases) text.Append($"db{db}:keys={keys},expires={expires},avg_ttl=0\r\n");
                break;
        }
    }

    /// <summary>The collector's pauses are this server's latency spikes: their count, total and the latest one.</summary>
    private static void GarbageCollection(StringBuilder text)
    {
        GCMemoryInfo last = GC.GetGCMemoryInfo(GCKind.Any);
        Field(text, "gc_heap_bytes", GC.GetTotalMemory(forceFullCollection: false));
        Field(text, "gc_allocated_bytes", GC.GetTotalAllocatedBytes());
        Field(text, "gc_gen0_collections", GC.CollectionCount(0));
        Field(text, "gc_gen1_collections", GC.CollectionCount(1));
        Field(text, "gc_gen2_collections", GC.CollectionCount(2));
        Field(text, "gc_pause_total_ms", (long)GC.GetTotalPauseDuration().TotalMilliseconds);
        Field(text, "gc_last_index", last.Index);
        Field(text, "gc_last_generation", last.Generation);
        Field(text, "gc_last_pause_ms", (long)last.PauseDurations[0].TotalMilliseconds);
        Field(text, "gc_last_promoted_bytes", last.PromotedBytes);
    }

    private static void Field(StringBuilder text, string name, object value) =>
        text.Append(name).Append(':').Append(Convert.ToString(value, CultureInfo.InvariantCulture)).Append("\r\n");

    private static string Human(long bytes) => bytes switch
    {
        >= 1L << 30 => (bytes / (double)(1L << 30)).ToString("0.00", CultureInfo.InvariantCulture) + "G",
        >= 1L << 20 => (bytes / (double)(1L << 20)).ToString("0.00", CultureInfo.InvariantCulture) + "M",
        >= 1L << 10 => (bytes / (double)(1L << 10)).ToString("0.00", CultureInfo.InvariantCulture) + "K",
        _ => bytes + "B",
    };

    private static string Ratio(long total, long count) =>
        (count == 0 ? 0.0 : (double)total / count).ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>The client address of the replica this one follows; empty while it knows none.</summary>
    private static string LeaderAddress(NodeContext node, ConsensusStats consensus) =>
        consensus.LeaderId >= 0 && consensus.LeaderId < node.Config.Addrs.Count ? node.Config.Addrs[consensus.LeaderId] : "";
}
