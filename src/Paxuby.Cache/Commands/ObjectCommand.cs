using Paxuby.Resp;
using Paxuby.Cache.Commands.Strings;

namespace Paxuby.Cache.Commands;

/// <summary>
/// OBJECT ENCODING / REFCOUNT / IDLETIME / FREQ / HELP. Encodings are what Redis would choose for
/// the same string: "int" for a canonical integer, "embstr" up to 44 bytes, else "raw".
/// Access times and frequencies are not tracked (no eviction policy uses them).
/// </summary>
internal static class ObjectCommand
{
    /// <summary>Redis shares the objects of the integers below this (OBJ_SHARED_INTEGERS) and reports them as immortal.</summary>
    private const long SharedIntegers = 10_000;

    private const int EmbeddedStringLimit = 44;

    private static ReadOnlySpan<byte> LfuNotSelected =>
        "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust."u8;

    private static readonly string[] HelpLines =
    [
        "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "ENCODING <key>",
        "    Return the kind of internal representation used in order to store the value",
        "    associated with a <key>.",
        "FREQ <key>",
        "    Return the access frequency index of the <key>. The returned integer is",
        "    proportional to the logarithm of the recent access frequency of the key.",
        "IDLETIME <key>",
        "    Return the idle time of the <key>, that is the approximated number of",
        "    seconds elapsed since the last access to the key.",
        "REFCOUNT <key>",
        "    Return the number of references of the value associated with the specified",
        "    <key>.",
        "HELP",
        "    Prints this help.",
    ];

    public static IEnumerable<CommandInfo> All { get; } =
    [
        new CommandInfo("object", -2, CommandFlags.None, 0, 0, 0, ["@slow"], "generic", "A container for object introspection commands", "2.2.3")
        {
            Subcommands =
            [
                new CommandInfo("object|encoding", 3, CommandFlags.ReadOnly, 2, 2, 1, ["@keyspace", "@read", "@slow"], "generic", "Inspect the internal encoding of a Redis object", "2.2.3", Encoding),
                new CommandInfo("object|freq", 3, CommandFlags.ReadOnly, 2, 2, 1, ["@keyspace", "@read", "@slow"], "generic", "Get the logarithmic access frequency counter of a Redis object", "4.0.0", Frequency),
                new CommandInfo("object|help", 2, CommandFlags.Loading | CommandFlags.Stale, 0, 0, 0, ["@keyspace", "@slow"], "generic", "Show helpful text about the different subcommands", "6.2.0", Help),
                new CommandInfo("object|idletime", 3, CommandFlags.ReadOnly, 2, 2, 1, ["@keyspace", "@read", "@slow"], "generic", "Get the time since a Redis object was last accessed", "2.2.3", IdleTime),
                new CommandInfo("object|refcount", 3, CommandFlags.ReadOnly, 2, 2, 1, ["@keyspace", "@read", "@slow"], "generic", "Get the number of references to the value of the key", "2.2.3", ReferenceCount),
            ],
        },
    ];

    private static void Encoding(ref CommandContext c)
    {
        CacheEntry? entry = c.Database.Find(c.Args[2], c.NowMs);
        if (entry is null) c.Reply.WriteNull();
        else if (IsInteger(entry.Value, out _)) c.Reply.WriteBulkString("int"u8);
        else c.Reply.WriteBulkString(entry.Value.Length <= EmbeddedStringLimit ? "embstr"u8 : "raw"u8);
    }

    private static void ReferenceCount(ref CommandContext c)
    {
        CacheEntry? entry = c.Database.Find(c.Args[2], c.NowMs);
        if (entry is null) c.Reply.WriteNull();
        else if (IsInteger(entry.Value, out long value) && value is >= 0 and < SharedIntegers) c.Reply.WriteInteger(int.MaxValue);
        else c.Reply.WriteInteger(1);
    }

    private static void IdleTime(ref CommandContext c)
    {
        if (c.Database.Find(c.Args[2], c.NowMs) is null) c.Reply.WriteNull();
        else c.Reply.WriteInteger(0);
    }

    private static void Frequency(ref CommandContext c)
    {
        if (c.Database.Find(c.Args[2], c.NowMs) is null) c.Reply.WriteNull();
        else c.Reply.WriteError(LfuNotSelected);
    }

    private static void Help(ref CommandContext c)
    {
        c.Reply.WriteArrayHeader(HelpLines.Length);
        foreach (string line in HelpLines) c.Reply.WriteSimpleString(line);
    }

    private static bool IsInteger(byte[] value, out long parsed) => RedisInteger.TryParse(value, out parsed);
}
