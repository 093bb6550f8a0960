using System.Text;
using Paxuby.Cache;
using Paxuby.Resp;

namespace Paxuby.Server.Sessions;

/// <summary>INFO CONFIG COMMAND TIME ROLE.</summary>
public sealed partial class ClientSession
{
    private void Info(RespCommand command)
    {
        var sections = new List<string>();
        for (int i = 1; i < command.Count; i++) sections.Add(command.GetString(i));
        string text = InfoReport.Build(_node, sections);
        Reply.WriteVerbatim(Encoding.UTF8.GetBytes(text));
    }

    private void ConfigCommand(RespCommand command)
    {
        string sub = command.GetString(1).ToLowerInvariant();
        switch (sub)
        {
            case "get" when command.Count >= 3:
                ConfigGet(command);
                break;
            case "set" when command.Count >= 4 && command.Count % 2 == 0:
                ConfigSet(command);
                break;
            case "resetstat" when command.Count == 2:
            case "rewrite" when command.Count == 2:
                Reply.WriteOk();
                break;
            case "help" when command.Count == 2:
                WriteHelp("CONFIG", ["GET <pattern>", "SET <directive> <value>", "RESETSTAT", "REWRITE"]);
                break;
            case "get" or "set" or "resetstat" or "rewrite" or "help":
                CacheErrors.WriteWrongArity(Reply, "config|" + sub);
                break;
            default:
                CacheErrors.WriteUnknownSubcommand(Reply, command);
                break;
        }
    }

    private void ConfigGet(RespCommand command)
    {
        var matches = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in _node.Settings.All)
        {
            byte[] nameBytes = Encoding.UTF8.GetBytes(name);
            for (int i = 2; i < command.Count; i++)
            {
                if (GlobPattern.IsMatch(command[i], nameBytes, ignoreCase: true))
                {
                    matches[name] = value;
                    break;
                }
            }
        }
        Reply.WriteMapHeader(matches.Count);
        foreach (var (name, value) in matches)
        {
            Reply.WriteBulkString(name);
            Reply.WriteBulkString(value);
        }
    }

    private void ConfigSet(RespCommand command)
    {
        for (int i = 2; i < command.Count; i += 2)
        {
            string name = command.GetString(i).ToLowerInvariant();
            if (_node.Settings.Get(name) is null)
            {
                Reply.WriteError($"ERR Unknown option or number of arguments for CONFIG SET - '{command.GetString(i)}'");
                return;
            }
            if (!_node.Settings.IsMutable(name))
            {
                Reply.WriteError($"ERR CONFIG SET failed (possibly related to argument '{command.GetString(i)}') - can't set immutable config");
                return;
            }
        }
        for (int i = 2; i < command.Count; i += 2)
        {
            string name = command.GetString(i).ToLowerInvariant();
            string value = command.GetString(i + 1);
            if (name == "proto-max-bulk-len")
            {
                if (!long.TryParse(value, out long bytes) || bytes < 1024 * 1024)
                {
                    Reply.WriteError($"ERR CONFIG SET failed (possibly related to argument '{command.GetString(i)}') - argument must be a memory value");
                    return;
                }
                _node.Limits = new RespLimits { MaxBulkBytes = bytes };
            }
            _node.Settings.Set(name, value);
        }
        Reply.WriteOk();
    }

    private void CommandCommand(RespCommand command)
    {
        if (command.Count == 1)
        {
            Reply.WriteArrayHeader(CommandTable.All.Count);
            foreach (CommandInfo info in CommandTable.All) CommandTable.WriteCommandInfo(Reply, info);
            return;
        }
        string sub = command.GetString(1).ToLowerInvariant();
        switch (sub)
        {
            case "count" when command.Count == 2:
                Reply.WriteInteger(CommandTable.All.Count);
                break;
            case "info":
                if (command.Count == 2)
                {
                    Reply.WriteArrayHeader(CommandTable.All.Count);
                    foreach (CommandInfo info in CommandTable.All) CommandTable.WriteCommandInfo(Reply, info);
                    break;
                }
                Reply.WriteArrayHeader(command.Count - 2);
                for (int i = 2; i < command.Count; i++)
                {
                    CommandInfo? info = CommandTable.Find(command[i]);
                    if (info is null) Reply.WriteNullArray();
                    else CommandTable.WriteCommandInfo(Reply, info);
                }
                break;
            case "docs":
                var docs = new List<CommandInfo>();
                if (command.Count == 2) docs.AddRange(CommandTable.All);
                for (int i = 2; i < command.Count; i++)
                {
                    if (CommandTable.Find(command[i]) is { } info) docs.Add(info);
                }
                Reply.WriteMapHeader(docs.Count);
                foreach (CommandInfo info in docs)
                {
                    Reply.WriteBulkString(info.Name);
                    CommandTable.WriteCommandDocs(Reply, info);
                }
                break;
            case "list":
                CommandList(command);
                break;
            case "help" when command.Count == 2:
                WriteHelp("COMMAND", ["(no subcommand)", "COUNT", "INFO [<command-name> ...]", "DOCS [<command-name> ...]",
                    "LIST [FILTERBY (MODULE <module-name>|ACLCAT <category>|PATTERN <pattern>)]"]);
                break;
            case "count" or "help":
                CacheErrors.WriteWrongArity(Reply, "command|" + sub);
                break;
            default:
                CacheErrors.WriteUnknownSubcommand(Reply, command);
                break;
        }
    }

    private void CommandList(RespCommand command)
    {
        IEnumerable<CommandInfo> selected = CommandTable.All;
        if (command.Count == 5 && command.Is(2, "FILTERBY"u8))
        {
            byte[] value = command[4].ToArray();
            if (command.Is(3, "PATTERN"u8)) selected = selected.Where(c => GlobPattern.IsMatch(value, Encoding.UTF8.GetBytes(c.Name), ignoreCase: true));
            else if (command.Is(3, "ACLCAT"u8)) selected = selected.Where(c => c.Categories.Contains("@" + Encoding.UTF8.GetString(value).ToLowerInvariant()));
            else if (command.Is(3, "MODULE"u8)) selected = [];
            else
            {
                Reply.WriteError(CacheErrors.Syntax);
                return;
            }
        }
        else if (command.Count != 2)
        {
            Reply.WriteError(CacheErrors.Syntax);
            return;
        }
        var names = selected.Select(c => c.Name).ToList();
        Reply.WriteArrayHeader(names.Count);
        foreach (string name in names) Reply.WriteBulkString(name);
    }

    private void Time()
    {
        long micros = (_node.Time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond;
        Reply.WriteArrayHeader(2);
        Reply.WriteBulkInteger(micros / 1_000_000);
        Reply.WriteBulkInteger(micros % 1_000_000);
    }

    private void Role()
    {
        Reply.WriteArrayHeader(3);
        Reply.WriteBulkString("master"u8);
        Reply.WriteInteger(_node.Engine.GetStats().AppliedCommands);
        Reply.WriteArrayHeader(0);
    }
}
