using Paxuby.Cache.Commands.Strings;
using Paxuby.Resp;

namespace Paxuby.Cache.Commands;

/// <summary>
/// The string commands with Redis 7's replies and errors. Read commands (GET, MGET, STRLEN,
/// GETRANGE, SUBSTR, LCS) only look, through <see cref="Database.Find"/>, because they also run
/// on the read path; write commands look up through <see cref="Database.FindForWrite"/>, which
/// removes an expired key first. A value is copied out of the arguments only when it is stored.
/// </summary>
internal static class StringCommands
{
    /// <summary>Redis's proto-max-bulk-len: no string may grow beyond it.</summary>
    public const long MaxStringLength = 512L * 1024 * 1024;

    private static ReadOnlySpan<byte> DecrementOverflow => "ERR decrement would overflow"u8;
    private static ReadOnlySpan<byte> LcsIdxAndLen => "ERR If you want both the length and indexes, please just use IDX."u8;
    private static ReadOnlySpan<byte> LcsTableTooLarge => "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len"u8;

    public static IEnumerable<CommandInfo> All { get; } =
    [
        Read("get", 2, fast: true, "Get the value of a key", "1.0.0", Get),
        Write("set", -3, CommandFlags.DenyOom, "Set the string value of a key", "1.0.0", Set),
        Write("setnx", 3, CommandFlags.DenyOom | CommandFlags.Fast, "Set the value of a key, only if the key does not exist", "1.0.0", SetNx),
        Write("setex", 4, CommandFlags.DenyOom, "Set the value and expiration of a key", "2.0.0", SetEx),
        Write("psetex", 4, CommandFlags.DenyOom, "Set the value and expiration in milliseconds of a key", "2.6.0", PSetEx),
        Write("getset", 3, CommandFlags.DenyOom | CommandFlags.Fast, "Set the string value of a key and return its old value", "1.0.0", GetSet),
        Write("getdel", 2, CommandFlags.Fast, "Get the value of a key and delete the key", "6.2.0", GetDel),
        Write("getex", -2, CommandFlags.Fast, "Get the value of a key and optionally set its expiration", "6.2.0", GetEx),
        Read("mget", -2, fast: true, "Get the values of all the given keys", "1.0.0", MGet, lastKey: -1),
        Write("mset", -3, CommandFlags.DenyOom, "Set multiple keys to multiple values", "1.0.1", MSet, lastKey: -1, step: 2),
        Write("msetnx", -3, CommandFlags.DenyOom, "Set multiple keys to multiple values, only if none of the keys exist", "1.0.1", MSetNx, lastKey: -1, step: 2),
        Write("append", 3, CommandFlags.DenyOom | CommandFlags.Fast, "Append a value to a key", "2.0.0", Append),
        Read("strlen", 2, fast: true, "Get the length of the value stored in a key", "2.2.0", StrLen),
        Write("incr", 2, CommandFlags.DenyOom | CommandFlags.Fast, "Increment the integer value of a key by one", "1.0.0", Incr),
        Write("incrby", 3, CommandFlags.DenyOom | CommandFlags.Fast, "Increment the integer value of a key by the given amount", "1.0.0", IncrBy),
        Write("decr", 2, CommandFlags.DenyOom | CommandFlags.Fast, "Decrement the integer value of a key by one", "1.0.0", Decr),
        Write("decrby", 3, CommandFlags.DenyOom | CommandFlags.Fast, "Decrement the integer value of a key by the given number", "1.0.0", DecrBy),
        Write("incrbyfloat", 3, CommandFlags.DenyOom | CommandFlags.Fast, "Increment the float value of a key by the given amount", "2.6.0", IncrByFloat),
        Read("getrange", 4, fast: false, "Get a substring of the string stored at a key", "2.4.0", GetRange),
        Read("substr", 4, fast: false, "Get a substring of the string stored at a key", "1.0.0", GetRange),
        Write("setrange", 4, CommandFlags.DenyOom, "Overwrite part of a string at key starting at the specified offset", "2.2.0", SetRange),
        Read("lcs", -3, fast: false, "Find longest common substring", "7.0.0", LcsCommand, lastKey: 2),
    ];

    private static CommandInfo Read(string name, int arity, bool fast, string summary, string since, CommandHandler handler, int lastKey = 1) =>
        new(name, arity, CommandFlags.ReadOnly | (fast ? CommandFlags.Fast : CommandFlags.None), FirstKey: 1, lastKey, Step: 1,
            ["@read", "@string", fast ? "@fast" : "@slow"], "string", summary, since, handler);

    private static CommandInfo Write(string name, int arity, CommandFlags flags, string summary, string since, CommandHandler handler, int lastKey = 1, int step = 1) =>
        new(name, arity, CommandFlags.Write | flags, FirstKey: 1, lastKey, step,
            ["@write", "@string", (flags & CommandFlags.Fast) != 0 ? "@fast" : "@slow"], "string", summary, since, handler);

    // ---- lookups: the one place a value's type will be checked once keys can hold other types ----

    /// <summary>
    /// Finds the key's string for reading. False, with the error written, when the key holds
    /// another type; every value is a string today, so it never refuses yet.
    /// </summary>
    private static bool TryFindString(ref CommandContext ctx, ReadOnlySpan<byte> key, out CacheEntry? entry)
    {
        entry = ctx.Database.Find(key, ctx.NowMs);
        return true;
    }

    /// <summary>As <see cref="TryFindString"/>, for a write: an expired key is removed first.</summary>
    private static bool TryFindStringForWrite(ref CommandContext ctx, ReadOnlySpan<byte> key, out CacheEntry? entry)
    {
        entry = ctx.Database.FindForWrite(key, ctx.NowMs);
        return true;
    }

    private static void WriteValueOrNull(RespWriter reply, CacheEntry? entry)
    {
        if (entry is null) reply.WriteNull();
        else reply.WriteBulkString(entry.Value);
    }

    // ---- GET, SET and the commands built on them ----

    private static void Get(ref CommandContext ctx)
    {
        if (!TryFindString(ref ctx, ctx.Args[1], out CacheEntry? entry)) return;
        WriteValueOrNull(ctx.Reply, entry);
    }

    private static void Set(ref CommandContext ctx)
    {
        if (!ExpiryOptions.TryParse(ctx.Args, 3, ExpiryOptions.Command.Set, out ExpiryOptionFlags flags, out int expiryIndex))
        {
            ctx.Reply.WriteError(CacheErrors.Syntax);
            return;
        }
        SetGeneric(ref ctx, flags, expiryIndex, valueIndex: 2, RespStrings.Ok, abortReply: default);
    }

    private static void SetNx(ref CommandContext ctx) =>
        SetGeneric(ref ctx, ExpiryOptionFlags.Nx, expiryIndex: 0, valueIndex: 2, RespStrings.One, RespStrings.Zero);

    private static void SetEx(ref CommandContext ctx) =>
        SetGeneric(ref ctx, ExpiryOptionFlags.Ex, expiryIndex: 2, valueIndex: 3, RespStrings.Ok, abortReply: default);

    private static void PSetEx(ref CommandContext ctx) =>
        SetGeneric(ref ctx, ExpiryOptionFlags.Px, expiryIndex: 2, valueIndex: 3, RespStrings.Ok, abortReply: default);

    /// <summary>
    /// Redis's setGenericCommand: the expiry is validated first, then GET replies with the old
    /// value, then NX/XX may abort (with <paramref name="abortReply"/>, or null; nothing more
    /// after GET). The value replaces any old one and clears its TTL unless KEEPTTL.
    /// </summary>
    private static void SetGeneric(ref CommandContext ctx, ExpiryOptionFlags flags, int expiryIndex, int valueIndex,
        ReadOnlySpan<byte> okReply, ReadOnlySpan<byte> abortReply)
    {
        long expireAtMs = 0;
        if (expiryIndex != 0 && !ExpiryOptions.TryGetExpireAtMs(ref ctx, ctx.Args[expiryIndex], flags, out expireAtMs)) return;

        ReadOnlySpan<byte> key = ctx.Args[1];
        if (!TryFindStringForWrite(ref ctx, key, out CacheEntry? existing)) return;
        bool replyWithOld = (flags & ExpiryOptionFlags.Get) != 0;
        if (replyWithOld) WriteValueOrNull(ctx.Reply, existing);

        bool found = existing is not null;
        if (((flags & ExpiryOptionFlags.Nx) != 0 && found) || ((flags & ExpiryOptionFlags.Xx) != 0 && !found))
        {
            if (replyWithOld) return;
            if (abortReply.IsEmpty) ctx.Reply.WriteNull();
            else ctx.Reply.WriteRaw(abortReply);
            return;
        }

        if ((flags & ExpiryOptionFlags.KeepTtl) != 0 && existing is not null) expireAtMs = existing.ExpireAtMs;
        Database db = ctx.Database;
        db.Set(key, ctx.Args[valueIndex], expireAtMs, ctx.Keyspace.ValuesShared);
        // EXAT/PXAT may name a time already past: the key is written and is gone at once.
        if (expireAtMs != 0 && expireAtMs <= ctx.NowMs) db.Remove(key);

        if (!replyWithOld) ctx.Reply.WriteRaw(okReply);
    }

    private static void GetSet(ref CommandContext ctx)
    {
        ReadOnlySpan<byte> key = ctx.Args[1];
        if (!TryFindStringForWrite(ref ctx, key, out CacheEntry? existing)) return;
        WriteValueOrNull(ctx.Reply, existing);
        ctx.Database.Set(key, ctx.Args[2], expireAtMs: 0, ctx.Keyspace.ValuesShared);
    }

    private static void GetDel(ref CommandContext ctx)
    {
        ReadOnlySpan<byte> key = ctx.Args[1];
        if (!TryFindStringForWrite(ref ctx, key, out CacheEntry? existing)) return;
        WriteValueOrNull(ctx.Reply, existing);
        if (existing is not null) ctx.Database.Remove(key);
    }

    /// <summary>
    /// GETEX: options are parsed first, a missing key replies null before the expiry is even
    /// converted (as in Redis), and the reply is the value as it was before the TTL change.
    /// </summary>
    private static void GetEx(ref CommandContext ctx)
    {
        if (!ExpiryOptions.TryParse(ctx.Args, 2, ExpiryOptions.Command.GetEx, out ExpiryOptionFlags flags, out int expiryIndex))
        {
            ctx.Reply.WriteError(CacheErrors.Syntax);
            return;
        }
        ReadOnlySpan<byte> key = ctx.Args[1];
        if (!TryFindStringForWrite(ref ctx, key, out CacheEntry? entry)) return;
        if (entry is null)
        {
            ctx.Reply.WriteNull();
            return;
        }
        long expireAtMs = 0;
        if (expiryIndex != 0 && !ExpiryOptions.TryGetExpireAtMs(ref ctx, ctx.Args[expiryIndex], flags, out expireAtMs)) return;

        ctx.Reply.WriteBulkString(entry.Value);
        Database db = ctx.Database;
        if ((flags & ExpiryOptionFlags.Absolute) != 0 && expireAtMs <= ctx.NowMs) db.Remove(key);
        else if (expiryIndex != 0) db.SetExpiry(key, expireAtMs);
        else if ((flags & ExpiryOptionFlags.Persist) != 0 && entry.HasExpiry) db.SetExpiry(key, 0);
    }

    private static void MGet(ref CommandContext ctx)
    {
        RespCommand args = ctx.Args;
        ctx.Reply.WriteArrayHeader(args.Count - 1);
        for (int i = 1; i < args.Count; i++)
        {
            // A key of another type reads as null here, not as an error.
            CacheEntry? entry = ctx.Database.Find(args[i], ctx.NowMs);
            WriteValueOrNull(ctx.Reply, entry);
        }
    }

    private static void MSet(ref CommandContext ctx) => MSetGeneric(ref ctx, onlyIfNoneExists: false);

    private static void MSetNx(ref CommandContext ctx) => MSetGeneric(ref ctx, onlyIfNoneExists: true);

    private static void MSetGeneric(ref CommandContext ctx, bool onlyIfNoneExists)
    {
        RespCommand args = ctx.Args;
        if (args.Count % 2 == 0)
        {
            CacheErrors.WriteWrongArity(ctx.Reply, args[0]);
            return;
        }
        Database db = ctx.Database;
        if (onlyIfNoneExists)
        {
            for (int i = 1; i < args.Count; i += 2)
            {
                if (db.FindForWrite(args[i], ctx.NowMs) is not null)
                {
                    ctx.Reply.WriteRaw(RespStrings.Zero);
                    return;
                }
            }
        }
        for (int i = 1; i < args.Count; i += 2) db.Set(args[i], args[i + 1], expireAtMs: 0, ctx.Keyspace.ValuesShared);
        ctx.Reply.WriteRaw(onlyIfNoneExists ? RespStrings.One : RespStrings.Ok);
    }

    // ---- in-place changes: APPEND, SETRANGE; they keep the key's TTL ----

    private static void Append(ref CommandContext ctx)
    {
        ReadOnlySpan<byte> key = ctx.Args[1];
        ReadOnlySpan<byte> suffix = ctx.Args[2];
        if (!TryFindStringForWrite(ref ctx, key, out CacheEntry? entry)) return;
        if (entry is null)
        {
            ctx.Database.Set(key, suffix.ToArray(), expireAtMs: 0);
            ctx.Reply.WriteInteger(suffix.Length);
            return;
        }
        long newLength = (long)entry.Value.Length + suffix.Length;
        if (newLength > MaxStringLength)
        {
            ctx.Reply.WriteError(CacheErrors.StringTooLong);
            return;
        }
        if (!suffix.IsEmpty)
        {
            byte[] value = GC.AllocateUninitializedArray<byte>((int)newLength);
            entry.Value.CopyTo(value, 0);
            suffix.CopyTo(value.AsSpan(entry.Value.Length));
            entry.Value = value;
        }
        // Even an empty append counts as a change for WATCH, as in Redis.
        ctx.Database.Modified(key);
        ctx.Reply.WriteInteger(newLength);
    }

    private static void SetRange(ref CommandContext ctx)
    {
        ReadOnlySpan<byte> key = ctx.Args[1];
        ReadOnlySpan<byte> patch = ctx.Args[3];
        if (!RedisInteger.TryParse(ctx.Args[2], out long offset))
        {
            ctx.Reply.WriteError(CacheErrors.NotInteger);
            return;
        }
        if (offset < 0)
        {
            ctx.Reply.WriteError(CacheErrors.OffsetOutOfRange);
            return;
        }
        if (!TryFindStringForWrite(ref ctx, key, out CacheEntry? entry)) return;

        // Writing nothing creates nothing and changes nothing, whatever the offset.
        if (patch.IsEmpty)
        {
            ctx.Reply.WriteInteger(entry?.Value.Length ?? 0);
            return;
        }
        if (offset > MaxStringLength - patch.Length)
        {
            ctx.Reply.WriteError(CacheErrors.StringTooLong);
            return;
        }

        int end = (int)offset + patch.Length;
        if (entry is null)
        {
            byte[] created = new byte[end];
            patch.CopyTo(created.AsSpan((int)offset));
            ctx.Database.Set(key, created, expireAtMs: 0);
            ctx.Reply.WriteInteger(end);
            return;
        }
        // A new array even when the patch fits: values are never changed in place, so a snapshot
        // taken by reference stays as it was. The gap past the old end is zero bytes, as in Redis.
        byte[] patched = new byte[Math.Max(end, entry.Value.Length)];
        entry.Value.CopyTo(patched, 0);
        patch.CopyTo(patched.AsSpan((int)offset));
        entry.Value = patched;
        ctx.Database.Modified(key);
        ctx.Reply.WriteInteger(entry.Value.Length);
    }

    // ---- counters: INCR family and INCRBYFLOAT; they keep the key's TTL ----

    private static void Incr(ref CommandContext ctx) => IncrementBy(ref ctx, 1);

    private static void Decr(ref CommandContext ctx) => IncrementBy(ref ctx, -1);

    private static void IncrBy(ref CommandContext ctx)
    {
        if (!RedisInteger.TryParse(ctx.Args[2], out long increment))
        {
            ctx.Reply.WriteError(CacheErrors.NotInteger);
            return;
        }
        IncrementBy(ref ctx, increment);
    }

    private static void DecrBy(ref CommandContext ctx)
    {
        if (!RedisInteger.TryParse(ctx.Args[2], out long decrement))
        {
            ctx.Reply.WriteError(CacheErrors.NotInteger);
            return;
        }
        if (decrement == long.MinValue)
        {
            ctx.Reply.WriteError(DecrementOverflow);
            return;
        }
        IncrementBy(ref ctx, -decrement);
    }

    private static void IncrementBy(ref CommandContext ctx, long increment)
    {
        ReadOnlySpan<byte> key = ctx.Args[1];
        if (!TryFindStringForWrite(ref ctx, key, out CacheEntry? entry)) return;
        long current = 0;
        if (entry is not null && !RedisInteger.TryParse(entry.Value, out current))
        {
            ctx.Reply.WriteError(CacheErrors.NotInteger);
            return;
        }
        if ((increment < 0 && current < 0 && increment < long.MinValue - current) ||
            (increment > 0 && current > 0 && increment > long.MaxValue - current))
        {
            ctx.Reply.WriteError(CacheErrors.IncrementOverflow);
            return;
        }
        long updated = current + increment;

        Span<byte> digits = stackalloc byte[RedisInteger.MaxDigits];
        digits = digits[..RedisInteger.Format(updated, digits)];
        if (entry is null)
        {
            ctx.Database.Set(key, digits.ToArray(), expireAtMs: 0);
        }
        else
        {
            // Same length (the common case): rewrite the digits where they are, allocating nothing.
            if (entry.Value.Length == digits.Length && !ctx.Keyspace.ValuesShared) digits.CopyTo(entry.Value);
            else entry.Value = digits.ToArray();
            ctx.Database.Modified(key);
        }
        ctx.Reply.WriteInteger(updated);
    }

    /// <summary>
    /// INCRBYFLOAT in Redis's 80-bit long double arithmetic (see <see cref="LongDouble"/>): both
    /// the stored value and the increment must parse, the sum must be finite, and the stored
    /// result is the same text as the reply.
    /// </summary>
    private static void IncrByFloat(ref CommandContext ctx)
    {
        ReadOnlySpan<byte> key = ctx.Args[1];
        if (!TryFindStringForWrite(ref ctx, key, out CacheEntry? entry)) return;
        LongDouble current = default;
        if ((entry is not null && !LongDouble.TryParse(entry.Value, out current)) ||
            !LongDouble.TryParse(ctx.Args[2], out LongDouble increment))
        {
            ctx.Reply.WriteError(CacheErrors.NotFloat);
            return;
        }
        if (!LongDouble.TryAdd(current, increment, out LongDouble sum))
        {
            ctx.Reply.WriteError(CacheErrors.IncrementNaNOrInfinity);
            return;
        }
        byte[] text = sum.ToRedisText();
        if (entry is null)
        {
            ctx.Database.Set(key, text, expireAtMs: 0);
        }
        else
        {
            entry.Value = text;
            ctx.Database.Modified(key);
        }
        ctx.Reply.WriteBulkString(text);
    }

    // ---- reading parts: STRLEN, GETRANGE/SUBSTR, LCS ----

    private static void StrLen(ref CommandContext ctx)
    {
        if (!TryFindString(ref ctx, ctx.Args[1], out CacheEntry? entry)) return;
        ctx.Reply.WriteInteger(entry?.Value.Length ?? 0);
    }

    /// <summary>
    /// GETRANGE with Redis 7.0's index rules: negative indexes count from the end and are then
    /// clamped to 0, the end is clamped to the last byte, and an empty range (or a missing key)
    /// replies an empty string, never null.
    /// </summary>
    private static void GetRange(ref CommandContext ctx)
    {
        if (!RedisInteger.TryParse(ctx.Args[2], out long start) || !RedisInteger.TryParse(ctx.Args[3], out long end))
        {
            ctx.Reply.WriteError(CacheErrors.NotInteger);
            return;
        }
        if (!TryFindString(ref ctx, ctx.Args[1], out CacheEntry? entry)) return;
        ReadOnlySpan<byte> value = entry is null ? [] : entry.Value;

        if (start < 0 && end < 0 && start > end)
        {
            ctx.Reply.WriteBulkString([]);
            return;
        }
        long length = value.Length;
        if (start < 0) start = Math.Max(length + start, 0);
        if (end < 0) end = Math.Max(length + end, 0);
        if (end >= length) end = length - 1;
        if (start > end || length == 0)
        {
            ctx.Reply.WriteBulkString([]);
            return;
        }
        ctx.Reply.WriteBulkString(value.Slice((int)start, (int)(end - start + 1)));
    }

    /// <summary>
    /// LCS key1 key2 [LEN] [IDX] [MINMATCHLEN n] [WITHMATCHLEN]: missing keys are empty strings;
    /// IDX replies a map of "matches" (last match first) and "len".
    /// </summary>
    private static void LcsCommand(ref CommandContext ctx)
    {
        RespCommand args = ctx.Args;
        if (!TryFindString(ref ctx, args[1], out CacheEntry? firstEntry) ||
            !TryFindString(ref ctx, args[2], out CacheEntry? secondEntry))
        {
            return;
        }

        bool wantsLength = false, wantsIndexes = false, withMatchLength = false;
        long minMatchLength = 0;
        for (int i = 3; i < args.Count; i++)
        {
            bool hasNext = i + 1 < args.Count;
            if (args.Is(i, "IDX"u8))
            {
                wantsIndexes = true;
            }
            else if (args.Is(i, "LEN"u8))
            {
                wantsLength = true;
            }
            else if (args.Is(i, "WITHMATCHLEN"u8))
            {
                withMatchLength = true;
            }
            else if (args.Is(i, "MINMATCHLEN"u8) && hasNext)
            {
                if (!RedisInteger.TryParse(args[++i], out minMatchLength))
                {
                    ctx.Reply.WriteError(CacheErrors.NotInteger);
                    return;
                }
                minMatchLength = Math.Max(minMatchLength, 0);
            }
            else
            {
                ctx.Reply.WriteError(CacheErrors.Syntax);
                return;
            }
        }
        if (wantsIndexes && wantsLength)
        {
            ctx.Reply.WriteError(LcsIdxAndLen);
            return;
        }

        ReadOnlySpan<byte> first = firstEntry is null ? [] : firstEntry.Value;
        ReadOnlySpan<byte> second = secondEntry is null ? [] : secondEntry.Value;
        if (!Lcs.TableFits(first.Length, second.Length))
        {
            ctx.Reply.WriteError(LcsTableTooLarge);
            return;
        }
        uint[] table = Lcs.BuildTable(first, second);
        if (wantsLength)
        {
            ctx.Reply.WriteInteger(Lcs.Length(table));
            return;
        }
        if (!wantsIndexes)
        {
            ctx.Reply.WriteBulkString(Lcs.Walk(table, first, second, minMatchLength, matches: null));
            return;
        }

        var matches = new List<LcsMatch>();
        Lcs.Walk(table, first, second, minMatchLength, matches);
        RespWriter reply = ctx.Reply;
        reply.WriteMapHeader(2);
        reply.WriteBulkString("matches"u8);
        reply.WriteArrayHeader(matches.Count);
        foreach (LcsMatch match in matches)
        {
            reply.WriteArrayHeader(withMatchLength ? 3 : 2);
            reply.WriteArrayHeader(2);
            reply.WriteInteger(match.FirstStart);
            reply.WriteInteger(match.FirstEnd);
            reply.WriteArrayHeader(2);
            reply.WriteInteger(match.SecondStart);
            reply.WriteInteger(match.SecondEnd);
            if (withMatchLength) reply.WriteInteger(match.Length);
        }
        reply.WriteBulkString("len"u8);
        reply.WriteInteger(Lcs.Length(table));
    }
}
