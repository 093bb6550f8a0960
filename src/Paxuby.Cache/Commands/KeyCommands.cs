using Paxuby.Resp;

namespace Paxuby.Cache.Commands;

/// <summary>Commands on keys whatever their type: DEL, EXISTS, TYPE, KEYS, SCAN, RENAME, COPY, MOVE, OBJECT, …</summary>
internal static class KeyCommands
{
    public static IEnumerable<CommandInfo> All { get; } =
    [
        new CommandInfo("del", -2, CommandFlags.Write, 1, -1, 1, ["@keyspace", "@write", "@slow"], "generic", "Delete a key", "1.0.0", Delete),
        new CommandInfo("unlink", -2, CommandFlags.Write | CommandFlags.Fast, 1, -1, 1, ["@keyspace", "@write", "@fast"], "generic", "Delete a key asynchronously in another thread. Otherwise it is just as DEL, but non blocking.", "4.0.0", Delete),
        new CommandInfo("exists", -2, CommandFlags.ReadOnly | CommandFlags.Fast, 1, -1, 1, ["@keyspace", "@read", "@fast"], "generic", "Determine if a key exists", "1.0.0", CountExisting),
        new CommandInfo("touch", -2, CommandFlags.ReadOnly | CommandFlags.Fast, 1, -1, 1, ["@keyspace", "@read", "@fast"], "generic", "Alters the last access time of a key(s). Returns the number of existing keys specified.", "3.2.1", CountExisting),
        new CommandInfo("type", 2, CommandFlags.ReadOnly | CommandFlags.Fast, 1, 1, 1, ["@keyspace", "@read", "@fast"], "generic", "Determine the type stored at key", "1.0.0", Type),
        new CommandInfo("keys", 2, CommandFlags.ReadOnly, 0, 0, 0, ["@keyspace", "@read", "@slow", "@dangerous"], "generic", "Find all keys matching the given pattern", "1.0.0", Keys),
        new CommandInfo("scan", -2, CommandFlags.ReadOnly, 0, 0, 0, ["@keyspace", "@read", "@slow"], "generic", "Incrementally iterate the keys space", "2.8.0", KeyScan.Scan),
        new CommandInfo("randomkey", 1, CommandFlags.ReadOnly, 0, 0, 0, ["@keyspace", "@read", "@slow"], "generic", "Return a random key from the keyspace", "1.0.0", RandomKey),
        new CommandInfo("rename", 3, CommandFlags.Write, 1, 2, 1, ["@keyspace", "@write", "@slow"], "generic", "Rename a key", "1.0.0", Rename),
        new CommandInfo("renamenx", 3, CommandFlags.Write | CommandFlags.Fast, 1, 2, 1, ["@keyspace", "@write", "@fast"], "generic", "Rename a key, only if the new key does not exist", "1.0.0", RenameIfNew),
        new CommandInfo("copy", -3, CommandFlags.Write | CommandFlags.DenyOom, 1, 2, 1, ["@keyspace", "@write", "@slow"], "generic", "Copy a key", "6.2.0", Copy),
        new CommandInfo("move", 3, CommandFlags.Write | CommandFlags.Fast, 1, 1, 1, ["@keyspace", "@write", "@fast"], "generic", "Move a key to another database", "1.0.0", Move),
        .. ObjectCommand.All,
    ];

    /// <summary>DEL and UNLINK: how many of the keys existed (and are now gone).</summary>
    private static void Delete(ref CommandContext c)
    {
        Database db = c.Database;
        long removed = 0;
        for (int i = 1; i < c.Args.Count; i++)
        {
            if (db.Remove(c.Args[i], c.NowMs)) removed++;
        }
        c.Reply.WriteInteger(removed);
    }

    /// <summary>EXISTS and TOUCH: how many of the keys exist, a key named twice counted twice.</summary>
    private static void CountExisting(ref CommandContext c)
    {
        Database db = c.Database;
        long found = 0;
        for (int i = 1; i < c.Args.Count; i++)
        {
            if (db.Exists(c.Args[i], c.NowMs)) found++;
        }
        c.Reply.WriteInteger(found);
    }

    private static void Type(ref CommandContext c) =>
        c.Reply.WriteSimpleString(c.Database.Exists(c.Args[1], c.NowMs) ? "string"u8 : "none"u8);

    private static void Keys(ref CommandContext c)
    {
        Database db = c.Database;
        ReadOnlySpan<byte> pattern = c.Args[1];
        if (GlobPattern.IsLiteral(pattern))
        {
            // A pattern without wildcards can only name itself: one lookup instead of a full pass.
            if (db.Exists(pattern, c.NowMs))
            {
                c.Reply.WriteArrayHeader(1);
                c.Reply.WriteBulkString(pattern);
            }
            else
            {
                c.Reply.WriteRaw(RespStrings.EmptyArray);
            }
            return;
        }
        bool all = pattern.SequenceEqual("*"u8);
        var matches = new List<byte[]>();
        KeySlots slots = db.Slots;
        for (int slot = 0; slot < slots.Length; slot++)
        {
            byte[]? key = slots.KeyAt(slot);
            if (key is null || slots.EntryAt(slot)!.IsExpiredAt(c.NowMs)) continue;
            if (all || GlobPattern.IsMatch(pattern, key)) matches.Add(key);
        }
        c.Reply.WriteArrayHeader(matches.Count);
        foreach (byte[] key in matches) c.Reply.WriteBulkString(key);
    }

    /// <summary>
    /// A random live key. On the read path any randomness will do; inside a transaction (the write
    /// path) the choice must be the same on every replica, so it is derived from the state.
    /// </summary>
    private static void RandomKey(ref CommandContext c)
    {
        Database db = c.Database;
        KeySlots slots = db.Slots;
        if (db.Count == 0)
        {
            c.Reply.WriteNull();
            return;
        }
        int start = c.IsWrite
            ? (int)((ulong)(c.NowMs ^ c.Keyspace.Changes.Value) % (ulong)slots.Length)
            : Random.Shared.Next(slots.Length);
        // Probing onwards from the start finds a key in O(holes); the start is what makes it random.
        for (int n = 0; n < slots.Length; n++)
        {
            int slot = (start + n) % slots.Length;
            byte[]? key = slots.KeyAt(slot);
            if (key is not null && !slots.EntryAt(slot)!.IsExpiredAt(c.NowMs))
            {
                c.Reply.WriteBulkString(key);
                return;
            }
        }
        c.Reply.WriteNull();
    }

    private static void Rename(ref CommandContext c) => RenameKey(ref c, onlyIfNew: false);

    private static void RenameIfNew(ref CommandContext c) => RenameKey(ref c, onlyIfNew: true);

    private static void RenameKey(ref CommandContext c, bool onlyIfNew)
    {
        Database db = c.Database;
        ReadOnlySpan<byte> source = c.Args[1], destination = c.Args[2];
        CacheEntry? entry = db.FindForWrite(source, c.NowMs);
        if (entry is null)
        {
            c.Reply.WriteError(CacheErrors.NoSuchKey);
            return;
        }
        if (source.SequenceEqual(destination))
        {
            if (onlyIfNew) c.Reply.WriteRaw(RespStrings.Zero);
            else c.Reply.WriteOk();
            return;
        }
        if (db.FindForWrite(destination, c.NowMs) is not null && onlyIfNew)
        {
            c.Reply.WriteRaw(RespStrings.Zero);
            return;
        }
        byte[] value = entry.Value;
        long expireAtMs = entry.ExpireAtMs;
        db.Remove(source);
        db.Set(destination, value, expireAtMs);
        if (onlyIfNew) c.Reply.WriteRaw(RespStrings.One);
        else c.Reply.WriteOk();
    }

    /// <summary>COPY source destination [DB index] [REPLACE]</summary>
    private static void Copy(ref CommandContext c)
    {
        bool replace = false;
        int targetIndex = c.Db;
        for (int i = 3; i < c.Args.Count; i++)
        {
            if (c.Args.Is(i, "REPLACE"u8))
            {
                replace = true;
            }
            else if (c.Args.Is(i, "DB"u8) && i + 1 < c.Args.Count)
            {
                if (!CommandArguments.TryGetDatabaseIndex(c.Reply, c.Args[++i], out targetIndex)) return;
            }
            else
            {
                c.Reply.WriteError(CacheErrors.Syntax);
                return;
            }
        }
        ReadOnlySpan<byte> source = c.Args[1], destination = c.Args[2];
        if (targetIndex == c.Db && source.SequenceEqual(destination))
        {
            c.Reply.WriteError(CacheErrors.SameObject);
            return;
        }
        CacheEntry? entry = c.Database.Find(source, c.NowMs);
        if (entry is null)
        {
            c.Reply.WriteRaw(RespStrings.Zero);
            return;
        }
        Database target = c.Keyspace[targetIndex];
        if (target.FindForWrite(destination, c.NowMs) is not null && !replace)
        {
            c.Reply.WriteRaw(RespStrings.Zero);
            return;
        }
        target.Set(destination, entry.Value.AsSpan().ToArray(), entry.ExpireAtMs);
        c.Reply.WriteRaw(RespStrings.One);
    }

    /// <summary>MOVE key db: 1 when moved, 0 when the key is missing or the target already has it.</summary>
    private static void Move(ref CommandContext c)
    {
        if (!CommandArguments.TryGetDatabaseIndex(c.Reply, c.Args[2], out int targetIndex)) return;
        if (targetIndex == c.Db)
        {
            c.Reply.WriteError(CacheErrors.SameObject);
            return;
        }
        Database db = c.Database;
        ReadOnlySpan<byte> key = c.Args[1];
        CacheEntry? entry = db.FindForWrite(key, c.NowMs);
        Database target = c.Keyspace[targetIndex];
        if (entry is null || target.FindForWrite(key, c.NowMs) is not null)
        {
            c.Reply.WriteRaw(RespStrings.Zero);
            return;
        }
        target.Set(key, entry.Value, entry.ExpireAtMs);
        db.Remove(key);
        c.Reply.WriteRaw(RespStrings.One);
    }
}
