using System.Text;
using Paxuby.Resp;

namespace Paxuby.Cache;

/// <summary>Writes COMMAND INFO and COMMAND DOCS entries in Redis 7's layout, from the table and the command docs.</summary>
internal static class CommandDescriber
{
    public static void WriteInfo(RespWriter writer, CommandInfo info)
    {
        CommandDoc? doc = CommandDocs.Find(info.Name);
        writer.WriteArrayHeader(10);
        writer.WriteBulkString(info.Name);
        writer.WriteInteger(info.Arity);
        WriteFlags(writer, info.Flags);
        writer.WriteInteger(info.FirstKey);
        writer.WriteInteger(info.LastKey);
        writer.WriteInteger(info.Step);
        writer.WriteSetHeader(info.Categories.Length);
        foreach (string category in info.Categories) writer.WriteSimpleString(category);
        string[] tips = doc?.Tips ?? [];
        writer.WriteSetHeader(tips.Length);
        foreach (string tip in tips) writer.WriteBulkString(tip);
        KeySpec[] keySpecs = doc?.KeySpecs ?? [];
        writer.WriteSetHeader(keySpecs.Length);
        foreach (KeySpec spec in keySpecs) WriteKeySpec(writer, spec);
        writer.WriteSetHeader(info.Subcommands.Length);
        foreach (CommandInfo sub in info.Subcommands) WriteInfo(writer, sub);
    }

    public static void WriteDocs(RespWriter writer, CommandInfo info)
    {
        CommandDoc? doc = CommandDocs.Find(info.Name);
        int fields = 3;
        if (doc is not null)
        {
            if (doc.Complexity.Length > 0) fields++;
            if (doc.DocFlags.Length > 0) fields++;
            if (doc.DeprecatedSince.Length > 0) fields++;
            if (doc.ReplacedBy.Length > 0) fields++;
            if (doc.History.Length > 0) fields++;
            if (doc.Arguments.Length > 0) fields++;
        }
        if (info.Subcommands.Length > 0) fields++;

        writer.WriteMapHeader(fields);
        writer.WriteBulkString("summary"u8);
        writer.WriteBulkString(info.Summary);
        writer.WriteBulkString("since"u8);
        writer.WriteBulkString(info.Since);
        writer.WriteBulkString("group"u8);
        writer.WriteBulkString(info.Group);
        if (doc is not null)
        {
            if (doc.Complexity.Length > 0)
            {
                writer.WriteBulkString("complexity"u8);
                writer.WriteBulkString(doc.Complexity);
            }
            if (doc.DocFlags.Length > 0)
            {
                writer.WriteBulkString("doc_flags"u8);
                writer.WriteSetHeader(doc.DocFlags.Length);
                foreach (string flag in doc.DocFlags) writer.WriteSimpleString(flag);
            }
            if (doc.DeprecatedSince.Length > 0)
            {
                writer.WriteBulkString("deprecated_since"u8);
                writer.WriteBulkString(doc.DeprecatedSince);
            }
            if (doc.ReplacedBy.Length > 0)
            {
                writer.WriteBulkString("replaced_by"u8);
                writer.WriteBulkString(doc.ReplacedBy);
            }
            if (doc.History.Length > 0)
            {
                writer.WriteBulkString("history"u8);
                writer.WriteSetHeader(doc.History.Length);
                foreach (var (version, change) in doc.History)
                {
                    writer.WriteArrayHeader(2);
                    writer.WriteBulkString(version);
                    writer.WriteBulkString(change);
                }
            }
            if (doc.Arguments.Length > 0)
            {
                writer.WriteBulkString("arguments"u8);
                WriteArguments(writer, doc.Arguments);
            }
        }
        if (info.Subcommands.Length > 0)
        {
            writer.WriteBulkString("subcommands"u8);
            writer.WriteMapHeader(info.Subcommands.Length);
            foreach (CommandInfo sub in info.Subcommands)
            {
                writer.WriteBulkString(sub.Name);
                WriteDocs(writer, sub);
            }
        }
    }

    private static void WriteArguments(RespWriter writer, CommandArgument[] arguments)
    {
        writer.WriteArrayHeader(arguments.Length);
        foreach (CommandArgument argument in arguments)
        {
            int fields = 2;
            if (argument.DisplayText.Length > 0) fields++;
            if (argument.KeySpecIndex >= 0) fields++;
            if (argument.Token.Length > 0) fields++;
            if (argument.Summary.Length > 0) fields++;
            if (argument.Since.Length > 0) fields++;
            if (argument.DeprecatedSince.Length > 0) fields++;
            if (argument.Flags.Length > 0) fields++;
            if (argument.Arguments.Length > 0) fields++;
            writer.WriteMapHeader(fields);
            writer.WriteBulkString("name"u8);
            writer.WriteBulkString(argument.Name);
            writer.WriteBulkString("type"u8);
            writer.WriteBulkString(argument.Type);
            if (argument.DisplayText.Length > 0)
            {
                writer.WriteBulkString("display_text"u8);
                writer.WriteBulkString(argument.DisplayText);
            }
            if (argument.KeySpecIndex >= 0)
            {
                writer.WriteBulkString("key_spec_index"u8);
                writer.WriteInteger(argument.KeySpecIndex);
            }
            if (argument.Token.Length > 0)
            {
                writer.WriteBulkString("token"u8);
                writer.WriteBulkString(argument.Token);
            }
            if (argument.Summary.Length > 0)
            {
                writer.WriteBulkString("summary"u8);
                writer.WriteBulkString(argument.Summary);
            }
            if (argument.Since.Length > 0)
            {
                writer.WriteBulkString("since"u8);
                writer.WriteBulkString(argument.Since);
            }
            if (argument.DeprecatedSince.Length > 0)
            {
                writer.WriteBulkString("deprecated_since"u8);
                writer.WriteBulkString(argument.DeprecatedSince);
            }
            if (argument.Flags.Length > 0)
            {
                writer.WriteBulkString("flags"u8);
                writer.WriteSetHeader(argument.Flags.Length);
                foreach (string flag in argument.Flags) writer.WriteSimpleString(flag);
            }
            if (argument.Arguments.Length > 0)
            {
                writer.WriteBulkString("arguments"u8);
                WriteArguments(writer, argument.Arguments);
            }
        }
    }

    private static void WriteKeySpec(RespWriter writer, KeySpec spec)
    {
        writer.WriteMapHeader(spec.Notes.Length > 0 ? 4 : 3);
        if (spec.Notes.Length > 0)
        {
            writer.WriteBulkString("notes"u8);
            writer.WriteBulkString(spec.Notes);
        }
        writer.WriteBulkString("flags"u8);
        writer.WriteSetHeader(spec.Flags.Length);
        foreach (string flag in spec.Flags) writer.WriteSimpleString(flag);
        writer.WriteBulkString("begin_search"u8);
        writer.WriteMapHeader(2);
        writer.WriteBulkString("type"u8);
        writer.WriteBulkString("index"u8);
        writer.WriteBulkString("spec"u8);
        writer.WriteMapHeader(1);
        writer.WriteBulkString("index"u8);
        writer.WriteInteger(spec.BeginIndex);
        writer.WriteBulkString("find_keys"u8);
        writer.WriteMapHeader(2);
        writer.WriteBulkString("type"u8);
        writer.WriteBulkString("range"u8);
        writer.WriteBulkString("spec"u8);
        writer.WriteMapHeader(3);
        writer.WriteBulkString("lastkey"u8);
        writer.WriteInteger(spec.LastKey);
        writer.WriteBulkString("keystep"u8);
        writer.WriteInteger(spec.KeyStep);
        writer.WriteBulkString("limit"u8);
        writer.WriteInteger(spec.Limit);
    }

    /// <summary>Redis's flag names, in the order Redis prints them.</summary>
    private static readonly (CommandFlags Flag, string Name)[] FlagNames =
    [
        (CommandFlags.Write, "write"),
        (CommandFlags.ReadOnly, "readonly"),
        (CommandFlags.DenyOom, "denyoom"),
        (CommandFlags.Admin, "admin"),
        (CommandFlags.PubSub, "pubsub"),
        (CommandFlags.NoScript, "noscript"),
        (CommandFlags.Loading, "loading"),
        (CommandFlags.Stale, "stale"),
        (CommandFlags.SkipSlowlog, "skip_slowlog"),
        (CommandFlags.Fast, "fast"),
        (CommandFlags.NoAuth, "no_auth"),
        (CommandFlags.NoAsyncLoading, "no_async_loading"),
        (CommandFlags.NoMulti, "no_multi"),
        (CommandFlags.AllowBusy, "allow_busy"),
    ];

    private static void WriteFlags(RespWriter writer, CommandFlags flags)
    {
        int count = 0;
        foreach (var (flag, _) in FlagNames)
        {
            if ((flags & flag) != 0) count++;
        }
        writer.WriteSetHeader(count);
        foreach (var (flag, name) in FlagNames)
        {
            if ((flags & flag) != 0) writer.WriteSimpleString(Encoding.ASCII.GetBytes(name));
        }
    }
}
