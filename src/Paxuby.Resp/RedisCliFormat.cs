using System.Text;

namespace Paxuby.Resp;

/// <summary>Renders a reply as redis-cli does on a terminal (cliFormatReplyTTY).</summary>
internal static class RedisCliFormat
{
    public static void Append(StringBuilder output, RespValue value, string prefix)
    {
        switch (value.Kind)
        {
            case RespKind.Error or RespKind.BulkError:
                output.Append("(error) ").Append(value.Text).Append('\n');
                break;
            case RespKind.SimpleString:
                output.Append(value.Text).Append('\n');
                break;
            case RespKind.Integer:
                output.Append("(integer) ").Append(value.Integer).Append('\n');
                break;
            case RespKind.Double:
                output.Append("(double) ").Append(value.Text).Append('\n');
                break;
            case RespKind.BigNumber:
                output.Append("(big number) ").Append(value.Text).Append('\n');
                break;
            case RespKind.Boolean:
                output.Append(value.Boolean ? "(true)\n" : "(false)\n");
                break;
            case RespKind.Verbatim:
                output.Append(value.Text).Append('\n');
                break;
            case RespKind.Null:
                output.Append("(nil)\n");
                break;
            case RespKind.BulkString:
                if (value.Bytes is null) output.Append("(nil)\n");
                else AppendQuoted(output, value.Bytes).Append('\n');
                break;
            default:
                AppendAggregate(output, value, prefix);
                break;
        }
    }

    private static void AppendAggregate(StringBuilder output, RespValue value, string prefix)
    {
        if (value.Items is null)
        {
            output.Append("(nil)\n");
            return;
        }
        IReadOnlyList<RespValue> items = value.Items;
        bool isMap = value.Kind == RespKind.Map;
        if (items.Count == 0)
        {
            output.Append(value.Kind switch
            {
                RespKind.Map => "(empty hash)\n",
                RespKind.Set => "(empty set)\n",
                RespKind.Push => "(empty push)\n",
                _ => "(empty array)\n",
            });
            return;
        }

        int entries = isMap ? items.Count / 2 : items.Count;
        int indexWidth = entries.ToString().Length;
        string nestedPrefix = prefix + new string(' ', indexWidth + 2);
        char separator = value.Kind switch { RespKind.Set => '~', RespKind.Map => '#', _ => ')' };
        for (int i = 0; i < items.Count; i++)
        {
            int humanIndex = (isMap ? i / 2 : i) + 1;
            output.Append(i == 0 ? "" : prefix).Append(humanIndex.ToString().PadLeft(indexWidth)).Append(separator).Append(' ');
            Append(output, items[i], nestedPrefix);
            if (isMap)
            {
                i++;
                output.Length--;
                output.Append(" => ");
                // A value that takes several lines starts on its own line, aligned.
                if (IsMultiline(items[i])) output.Append('\n').Append(nestedPrefix);
                Append(output, items[i], nestedPrefix);
            }
        }
    }

    private static bool IsMultiline(RespValue value)
    {
        if (value.Items is null || value.Kind is not (RespKind.Array or RespKind.Set or RespKind.Push or RespKind.Map)) return false;
        int entryWidth = value.Kind == RespKind.Map ? 2 : 1;
        if (value.Items.Count == 0) return false;
        if (value.Items.Count > entryWidth) return true;
        return IsMultiline(value.Items[entryWidth - 1]);
    }

    /// <summary>Quotes bytes as sdscatrepr does.</summary>
    private static StringBuilder AppendQuoted(StringBuilder output, byte[] bytes)
    {
        output.Append('"');
        foreach (byte b in bytes)
        {
            switch (b)
            {
                case (byte)'\\' or (byte)'"': output.Append('\\').Append((char)b); break;
                case (byte)'\n': output.Append("\\n"); break;
                case (byte)'\r': output.Append("\\r"); break;
                case (byte)'\t': output.Append("\\t"); break;
                case (byte)'\a': output.Append("\\a"); break;
                case (byte)'\b': output.Append("\\b"); break;
                default:
                    if (b is >= 0x20 and <= 0x7e) output.Append((char)b);
                    else output.Append("\\x").Append(b.ToString("x2"));
                    break;
            }
        }
        return output.Append('"');
    }
}
