using System.Globalization;
using System.Net;

namespace Paxuby.Bench.Load;

/// <summary>
/// The garbage collector's work in the server process over one workload (warm-up included), from
/// the <c>gc_*</c> fields of <c>INFO memory</c>: its pauses are where a tail latency often comes from.
/// </summary>
internal sealed record ServerGc(long Collections, long Gen2Collections, long PauseMs)
{
    /// <summary>The counters now; null when the server reports none (another server, or an older Paxuby).</summary>
    public static async Task<ServerGc?> ReadAsync(IPEndPoint endpoint, CancellationToken cancel)
    {
        using RespConnection connection = await RespConnection.ConnectAsync(endpoint, cancel);
        return Parse(await connection.CallAsync(["INFO", "memory"], cancel));
    }

    public static ServerGc? Parse(string info)
    {
        Dictionary<string, double> fields = InfoFields.Numbers(info, "gc_");
        // A gen2 collection counts in gen0 and gen1 too: gen0 is the number of collections.
        return fields.TryGetValue("gc_gen0_collections", out double all) && fields.TryGetValue("gc_gen2_collections", out double gen2)
            && fields.TryGetValue("gc_pause_total_ms", out double pause)
            ? new ServerGc((long)all, (long)gen2, (long)pause)
            : null;
    }

    public static ServerGc? Between(ServerGc? before, ServerGc? after) => before is null || after is null
        ? null
        : new ServerGc(after.Collections - before.Collections, after.Gen2Collections - before.Gen2Collections, after.PauseMs - before.PauseMs);

    /// <summary>"9 (2 full), 1,794 ms".</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Collections} ({Gen2Collections} full), {PauseMs:N0} ms");
}
