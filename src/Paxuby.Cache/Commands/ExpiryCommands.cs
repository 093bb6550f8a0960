using Paxuby.Resp;

namespace Paxuby.Cache.Commands;

/// <summary>
/// EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT (with NX XX GT LT), TTL, PTTL, EXPIRETIME, PEXPIRETIME
/// and PERSIST. Times are the command's clock (the log entry's timestamp on the write path); a
/// time at or before it deletes the key at once, as Redis does on a master.
/// </summary>
internal static class ExpiryCommands
{
    public static IEnumerable<CommandInfo> All { get; } =
    [
        new CommandInfo("expire", -3, CommandFlags.Write | CommandFlags.Fast, 1, 1, 1, ["@keyspace", "@write", "@fast"], "generic", "Set a key's time to live in seconds", "1.0.0", Expire),
        new CommandInfo("pexpire", -3, CommandFlags.Write | CommandFlags.Fast, 1, 1, 1, ["@keyspace", "@write", "@fast"], "generic", "Set a key's time to live in milliseconds", "2.6.0", ExpireMs),
        new CommandInfo("expireat", -3, CommandFlags.Write | CommandFlags.Fast, 1, 1, 1, ["@keyspace", "@write", "@fast"], "generic", "Set the expiration for a key as a UNIX timestamp", "1.2.0", ExpireAt),
        new CommandInfo("pexpireat", -3, CommandFlags.Write | CommandFlags.Fast, 1, 1, 1, ["@keyspace", "@write", "@fast"], "generic", "Set the expiration for a key as a UNIX timestamp specified in milliseconds", "2.6.0", ExpireAtMs),
        new CommandInfo("ttl", 2, CommandFlags.ReadOnly | CommandFlags.Fast, 1, 1, 1, ["@keyspace", "@read", "@fast"], "generic", "Get the time to live for a key in seconds", "1.0.0", Ttl),
        new CommandInfo("pttl", 2, CommandFlags.ReadOnly | CommandFlags.Fast, 1, 1, 1, ["@keyspace", "@read", "@fast"], "generic", "Get the time to live for a key in milliseconds", "2.6.0", TtlMs),
        new CommandInfo("expiretime", 2, CommandFlags.ReadOnly | CommandFlags.Fast, 1, 1, 1, ["@keyspace", "@read", "@fast"], "generic", "Get the expiration Unix timestamp for a key", "7.0.0", ExpireTime),
        new CommandInfo("pexpiretime", 2, CommandFlags.ReadOnly | CommandFlags.Fast, 1, 1, 1, ["@keyspace", "@read", "@fast"], "generic", "Get the expiration Unix timestamp for a key in milliseconds", "7.0.0", ExpireTimeMs),
        new CommandInfo("persist", 2, CommandFlags.Write | CommandFlags.Fast, 1, 1, 1, ["@keyspace", "@write", "@fast"], "generic", "Remove the expiration from a key", "2.2.0", Persist),
    ];

    [Flags]
    private enum Condition
    {
        None = 0,
        /// <summary>Only when the key has no expiry.</summary>
        Nx = 1,
        /// <summary>Only when the key has an expiry.</summary>
        Xx = 2,
        /// <summary>Only when the new expiry is later (no expiry counts as infinite).</summary>
        Gt = 4,
        /// <summary>Only when the new expiry is earlier (no expiry counts as infinite).</summary>
        Lt = 8,
    }

    private static void Expire(ref CommandContext c) => SetExpiry(ref c, inSeconds: true, relative: true);

    private static void ExpireMs(ref CommandContext c) => SetExpiry(ref c, inSeconds: false, relative: true);

    private static void ExpireAt(ref CommandContext c) => SetExpiry(ref c, inSeconds: true, relative: false);

    private static void ExpireAtMs(ref CommandContext c) => SetExpiry(ref c, inSeconds: false, relative: false);

    private static void SetExpiry(ref CommandContext c, bool inSeconds, bool relative)
    {
        if (!TryParseCondition(ref c, out Condition condition)) return;
        if (!CommandArguments.TryGetInt64(c.Reply, c.Args[2], out long when)) return;
        // As Redis: negative times are allowed, overflow of the unit or the base is not.
        if (inSeconds)
        {
            if (when > long.MaxValue / 1000 || when < long.MinValue / 1000)
            {
                CacheErrors.WriteInvalidExpireTime(c.Reply, c.Args[0]);
                return;
            }
            when *= 1000;
        }
        long baseMs = relative ? c.NowMs : 0;
        if (when > long.MaxValue - baseMs)
        {
            CacheErrors.WriteInvalidExpireTime(c.Reply, c.Args[0]);
            return;
        }
        when += baseMs;

        Database db = c.Database;
        ReadOnlySpan<byte> key = c.Args[1];
        CacheEntry? entry = db.FindForWrite(key, c.NowMs);
        if (entry is null || !ConditionHolds(condition, entry, when))
        {
            c.Reply.WriteRaw(RespStrings.Zero);
            return;
        }
        if (when <= c.NowMs) db.Remove(key);
        else db.SetExpiry(key, when);
        c.Reply.WriteRaw(RespStrings.One);
    }

    private static bool ConditionHolds(Condition condition, CacheEntry entry, long when)
    {
        if (condition == Condition.None) return true;
        bool hasExpiry = entry.HasExpiry;
        if ((condition & Condition.Nx) != 0 && hasExpiry) return false;
        if ((condition & Condition.Xx) != 0 && !hasExpiry) return false;
        if ((condition & Condition.Gt) != 0 && (!hasExpiry || when <= entry.ExpireAtMs)) return false;
        if ((condition & Condition.Lt) != 0 && hasExpiry && when >= entry.ExpireAtMs) return false;
        return true;
    }

    private static bool TryParseCondition(ref CommandContext c, out Condition condition)
    {
        condition = Condition.None;
        for (int i = 3; i < c.Args.Count; i++)
        {
            if (c.Args.Is(i, "NX"u8)) condition |= Condition.Nx;
            else if (c.Args.Is(i, "XX"u8)) condition |= Condition.Xx;
            else if (c.Args.Is(i, "GT"u8)) condition |= Condition.Gt;
            else if (c.Args.Is(i, "LT"u8)) condition |= Condition.Lt;
            else
            {
                CacheErrors.WriteUnsupportedOption(c.Reply, c.Args[i]);
                return false;
            }
        }
        if ((condition & Condition.Nx) != 0 && (condition & (Condition.Xx | Condition.Gt | Condition.Lt)) != 0)
        {
            c.Reply.WriteError(CacheErrors.ExpireNxAndOthers);
            return false;
        }
        if ((condition & (Condition.Gt | Condition.Lt)) == (Condition.Gt | Condition.Lt))
        {
            c.Reply.WriteError(CacheErrors.ExpireGtAndLt);
            return false;
        }
        return true;
    }

    private static void Ttl(ref CommandContext c) => WriteTtl(ref c, inSeconds: true);

    private static void TtlMs(ref CommandContext c) => WriteTtl(ref c, inSeconds: false);

    /// <summary>-2 for a missing key, -1 for no expiry, else the time left (seconds rounded to nearest).</summary>
    private static void WriteTtl(ref CommandContext c, bool inSeconds)
    {
        CacheEntry? entry = c.Database.Find(c.Args[1], c.NowMs);
        if (entry is null) c.Reply.WriteInteger(-2);
        else if (!entry.HasExpiry) c.Reply.WriteInteger(-1);
        else
        {
            long leftMs = Math.Max(entry.ExpireAtMs - c.NowMs, 0);
            c.Reply.WriteInteger(inSeconds ? (leftMs + 500) / 1000 : leftMs);
        }
    }

    private static void ExpireTime(ref CommandContext c) => WriteExpireTime(ref c, inSeconds: true);

    private static void ExpireTimeMs(ref CommandContext c) => WriteExpireTime(ref c, inSeconds: false);

    private static void WriteExpireTime(ref CommandContext c, bool inSeconds)
    {
        CacheEntry? entry = c.Database.Find(c.Args[1], c.NowMs);
        if (entry is null) c.Reply.WriteInteger(-2);
        else if (!entry.HasExpiry) c.Reply.WriteInteger(-1);
        else c.Reply.WriteInteger(inSeconds ? entry.ExpireAtMs / 1000 : entry.ExpireAtMs);
    }

    private static void Persist(ref CommandContext c)
    {
        Database db = c.Database;
        CacheEntry? entry = db.FindForWrite(c.Args[1], c.NowMs);
        if (entry is null || !entry.HasExpiry)
        {
            c.Reply.WriteRaw(RespStrings.Zero);
            return;
        }
        db.SetExpiry(c.Args[1], 0);
        c.Reply.WriteRaw(RespStrings.One);
    }
}
