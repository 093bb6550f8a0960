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
        var fields = new Dictionary<string, long>();
        foreach (string line in info.Split("\r\n"))
        {
            int colon = line.IndexOf(':');
            if (line.StartsWith("gc_", StringComparison.Ordinal) && colon > 0
                && long.TryParse(line.AsSpan(colon + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out long value))
            {
                fields[line[..colon]] = value;
            }
        }
        // A gen2 collection counts in gen0 and gen1 too: gen0 is the number of collections.
        return fields.TryGetValue("gc_gen0_collections", out long all) && fields.TryGetValue("gc_gen2_collections", out long gen2)
            && fields.TryGetValue("gc_pause_total_ms", out long pause)
            ? new ServerGc(all, gen2, pause)
            : null;
    }

    public static ServerGc? Between(ServerGc? before, ServerGc? after) => before is null || after is null
        ? null
        : new ServerGc(after.Collections - before.Collections, after.Gen2Collections - before.Gen2Collections, after.PauseMs - before.PauseMs);

    /// <summary>"9 (2 full), 1,794 ms".</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Collections} ({Gen2Collections} full), {PauseMs:N0} ms");
}
