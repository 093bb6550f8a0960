using Paxuby.Resp;

namespace Paxuby.Cache;

/// <summary>
/// Runs one decoded command: finds it (and its subcommand), checks its arity with Redis's exact
/// errors, and calls its handler. A handler that throws is a bug, not client input: the client
/// gets an error and the state machine keeps going.
/// </summary>
internal static class CommandExecutor
{
    private static ReadOnlySpan<byte> NotOnReadPath => "ERR this command changes data and cannot be served as a read"u8;

    /// <summary>Executes <paramref name="args"/> in database <paramref name="db"/>; a SELECT inside a transaction changes <paramref name="db"/>.</summary>
    public static void Execute(Keyspace keyspace, RespCommand args, RespWriter writer, ref int db, long nowMs, bool isWrite)
    {
        CommandInfo? info = Resolve(args, writer);
        if (info is null) return;
        if (info.Handler is null)
        {
            WriteNotExecutedHere(writer, info);
            return;
        }
        if (!isWrite && info.IsWrite)
        {
            writer.WriteError(NotOnReadPath);
            return;
        }
        var context = new CommandContext(args, writer, keyspace, db, nowMs, isWrite);
        try
        {
            info.Handler(ref context);
            db = context.Db;
        }
        catch (Exception e) when (e is not InvalidDataException)
        {
            writer.WriteError(CacheErrors.Internal);
        }
    }

    /// <summary>The command (or subcommand) to run, or null once an unknown-command or arity error has been written.</summary>
    public static CommandInfo? Resolve(RespCommand args, RespWriter writer)
    {
        CommandInfo? info = args.Count == 0 ? null : CommandTable.Find(args[0]);
        if (info is null)
        {
            CacheErrors.WriteUnknownCommand(writer, args);
            return null;
        }
        if (info.Subcommands.Length > 0 && args.Count > 1)
        {
            CommandInfo? sub = CommandTable.FindSubcommand(info, args[1]);
            if (sub is null)
            {
                CacheErrors.WriteUnknownSubcommand(writer, args);
                return null;
            }
            info = sub;
        }
        if (!info.AcceptsArgumentCount(args.Count))
        {
            CacheErrors.WriteWrongArity(writer, info.Name);
            return null;
        }
        return info;
    }

    private static void WriteNotExecutedHere(RespWriter writer, CommandInfo info) =>
        writer.WriteError($"ERR '{info.Name}' is executed by the server and cannot run here");
}
