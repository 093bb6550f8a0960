using Paxuby.Resp;

namespace Paxuby.Cache.Commands;

/// <summary>Whole-database commands: DBSIZE, FLUSHDB, FLUSHALL, SWAPDB.</summary>
internal static class DatabaseCommands
{
    public static IEnumerable<CommandInfo> All { get; } =
    [
        new CommandInfo("dbsize", 1, CommandFlags.ReadOnly | CommandFlags.Fast, 0, 0, 0, ["@keyspace", "@read", "@fast"], "server", "Return the number of keys in the selected database", "1.0.0", DatabaseSize),
        new CommandInfo("flushdb", -1, CommandFlags.Write, 0, 0, 0, ["@keyspace", "@write", "@slow", "@dangerous"], "server", "Remove all keys from the current database", "1.0.0", FlushDatabase),
        new CommandInfo("flushall", -1, CommandFlags.Write, 0, 0, 0, ["@keyspace", "@write", "@slow", "@dangerous"], "server", "Remove all keys from all databases", "1.0.0", FlushAll),
        new CommandInfo("swapdb", 3, CommandFlags.Write | CommandFlags.Fast, 0, 0, 0, ["@keyspace", "@write", "@fast", "@dangerous"], "server", "Swaps two Redis databases", "4.0.0", SwapDatabases),
    ];

    private static ReadOnlySpan<byte> InvalidFirstIndex => "ERR invalid first DB index"u8;
    private static ReadOnlySpan<byte> InvalidSecondIndex => "ERR invalid second DB index"u8;

    /// <summary>Keys held, as Redis counts them: expired keys not yet removed included.</summary>
    private static void DatabaseSize(ref CommandContext c) => c.Reply.WriteInteger(c.Database.Count);

    private static void FlushDatabase(ref CommandContext c)
    {
        if (!FlushModeIsValid(ref c)) return;
        c.Database.Clear();
        c.Reply.WriteOk();
    }

    private static void FlushAll(ref CommandContext c)
    {
        if (!FlushModeIsValid(ref c)) return;
        c.Keyspace.FlushAll();
        c.Reply.WriteOk();
    }

    /// <summary>[ASYNC|SYNC]: accepted and both flush at once (the log entry is the unit of work).</summary>
    private static bool FlushModeIsValid(ref CommandContext c)
    {
        if (c.Args.Count == 1 || (c.Args.Count == 2 && (c.Args.Is(1, "ASYNC"u8) || c.Args.Is(1, "SYNC"u8)))) return true;
        c.Reply.WriteError(CacheErrors.Syntax);
        return false;
    }

    private static void SwapDatabases(ref CommandContext c)
    {
        if (!TryGetIndex(ref c, 1, InvalidFirstIndex, out long first)) return;
        if (!TryGetIndex(ref c, 2, InvalidSecondIndex, out long second)) return;
        if (!Keyspace.IsValidIndex(first) || !Keyspace.IsValidIndex(second))
        {
            c.Reply.WriteError(CacheErrors.DbIndexOutOfRange);
            return;
        }
        c.Keyspace[(int)first].SwapContentWith(c.Keyspace[(int)second]);
        c.Reply.WriteOk();
    }

    /// <summary>SWAPDB's own wording: anything that is not an int is "invalid first/second DB index".</summary>
    private static bool TryGetIndex(ref CommandContext c, int argument, ReadOnlySpan<byte> error, out long index)
    {
        if (RedisInteger.TryParse(c.Args[argument], out index) && index is >= int.MinValue and <= int.MaxValue) return true;
        c.Reply.WriteError(error);
        return false;
    }
}
