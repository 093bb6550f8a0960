using System.Globalization;
using System.Text;

namespace Paxuby.Cache;

/// <summary>What INFO reports about the keyspace, in Redis's wording.</summary>
public static class KeyspaceStats
{
    /// <summary>
    /// INFO's "# Keyspace" body: one "db0:keys=1,expires=0,avg_ttl=0" line (CRLF-terminated) per
    /// database that holds keys, none for empty ones.
    /// </summary>
    public static string FormatKeyspaceSection(Keyspace keyspace, long nowMs)
    {
        var text = new StringBuilder();
        foreach (Database db in keyspace.Databases)
        {
            if (db.Count == 0) continue;
            text.Append(CultureInfo.InvariantCulture,
                $"db{db.Index}:keys={db.Count},expires={db.ExpiresCount},avg_ttl={db.AverageTtlMs(nowMs)}\r\n");
        }
        return text.ToString();
    }

    /// <summary>Approximate bytes the data takes (keys, values and per-key bookkeeping).</summary>
    public static long UsedMemoryBytes(Keyspace keyspace) => keyspace.EstimatedBytes;
}
