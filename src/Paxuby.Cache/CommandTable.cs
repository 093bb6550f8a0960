using Paxuby.Cache.Commands;
using Paxuby.Resp;

namespace Paxuby.Cache;

/// <summary>
/// Every command the cache knows, found by name without allocating. Both the commands the state
/// machine executes and those the server executes itself are here, so COMMAND and the server's
/// arity check see one table.
/// </summary>
public static class CommandTable
{
    /// <summary>Longer names cannot be in the table, so the lookup needs no more stack than this.</summary>
    private const int MaxNameLength = 32;

    private static readonly CommandInfo[] Commands =
    [
        .. ServerCommandInfos.All,
        .. KeyCommands.All,
        .. ExpiryCommands.All,
        .. DatabaseCommands.All,
        .. StringCommands.All,
    ];

    private static readonly Dictionary<byte[], CommandInfo> ByName = BuildIndex();

    private static readonly Dictionary<byte[], CommandInfo>.AlternateLookup<ReadOnlySpan<byte>> ByNameSpan =
        ByName.GetAlternateLookup<ReadOnlySpan<byte>>();

    public static IReadOnlyList<CommandInfo> All => Commands;

    /// <summary>The command named <paramref name="name"/>, in any letter case; null when unknown.</summary>
    public static CommandInfo? Find(ReadOnlySpan<byte> name)
    {
        if (name.Length > MaxNameLength) return null;
        Span<byte> lower = stackalloc byte[MaxNameLength];
        lower = lower[..name.Length];
        ToLowerAscii(name, lower);
        return ByNameSpan.TryGetValue(lower, out CommandInfo? info) ? info : null;
    }

    /// <summary>The subcommand of <paramref name="container"/> named <paramref name="name"/> ("kill" finds "client|kill"); null when unknown.</summary>
    public static CommandInfo? FindSubcommand(CommandInfo container, ReadOnlySpan<byte> name)
    {
        foreach (CommandInfo sub in container.Subcommands)
        {
            ReadOnlySpan<char> subName = sub.Name.AsSpan(sub.Name.IndexOf('|') + 1);
            if (subName.Length == name.Length && System.Text.Ascii.EqualsIgnoreCase(name, subName)) return sub;
        }
        return null;
    }

    /// <summary>One COMMAND INFO entry in Redis 7's layout.</summary>
    public static void WriteCommandInfo(RespWriter writer, CommandInfo info) => CommandDescriber.WriteInfo(writer, info);

    /// <summary>One COMMAND DOCS entry (the value under the command's name) in Redis 7's layout.</summary>
    public static void WriteCommandDocs(RespWriter writer, CommandInfo info) => CommandDescriber.WriteDocs(writer, info);

    private static Dictionary<byte[], CommandInfo> BuildIndex()
    {
        var index = new Dictionary<byte[], CommandInfo>(ByteKeyComparer.Instance);
        foreach (CommandInfo info in Commands)
        {
            byte[] name = System.Text.Encoding.ASCII.GetBytes(info.Name);
            ToLowerAscii(name, name);
            if (!index.TryAdd(name, info)) throw new InvalidOperationException($"command '{info.Name}' is in the table twice");
        }
        return index;
    }

    private static void ToLowerAscii(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        for (int i = 0; i < source.Length; i++)
        {
            byte b = source[i];
            destination[i] = b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b + 32) : b;
        }
    }
}
