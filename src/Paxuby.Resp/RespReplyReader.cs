using System.Buffers;
using System.Text;

namespace Paxuby.Resp;

/// <summary>
/// Parses replies of any RESP2/RESP3 type into <see cref="RespValue"/> trees. Attributes ("|") are
/// read and dropped. Allocates freely: it serves tests, tools and forwarding, not the command path.
/// </summary>
public static class RespReplyReader
{
    private const int MaxDepth = 512;

    /// <summary>
    /// Parses one whole reply from the start of <paramref name="buffer"/> and slices past it; returns
    /// false and leaves <paramref name="buffer"/> unchanged when more bytes are needed.
    /// </summary>
    /// <exception cref="RespProtocolException">Bytes that are not a RESP reply.</exception>
    public static bool TryReadReply(ref ReadOnlySequence<byte> buffer, out RespValue value)
    {
        var reader = new SequenceReader<byte>(buffer);
        if (!TryRead(ref reader, 0, out RespValue? parsed))
        {
            value = RespValue.NullValue;
            return false;
        }
        value = parsed;
        buffer = buffer.Slice(reader.Position);
        return true;
    }

    private static bool TryRead(ref SequenceReader<byte> reader, int depth, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RespValue? value)
    {
        value = null;
        if (depth > MaxDepth) RespProtocolException.Throw("Protocol error: reply nested too deeply");
        if (!reader.TryRead(out byte kind)) return false;
        if (!reader.TryReadTo(out ReadOnlySequence<byte> line, "\r\n"u8)) return false;

        switch (kind)
        {
            case (byte)'+': value = RespValue.String(RespKind.SimpleString, line.ToArray()); return true;
            case (byte)'-': value = RespValue.String(RespKind.Error, line.ToArray()); return true;
            case (byte)':': value = RespValue.Number(ParseNumber(line)); return true;
            case (byte)',': value = RespValue.String(RespKind.Double, line.ToArray()); return true;
            case (byte)'(': value = RespValue.String(RespKind.BigNumber, line.ToArray()); return true;
            case (byte)'_': value = RespValue.NullValue; return true;
            case (byte)'#': value = RespValue.Bool(ParseBoolean(line)); return true;
            case (byte)'$': return TryReadBlob(ref reader, RespKind.BulkString, ParseNumber(line), out value);
            case (byte)'!': return TryReadBlob(ref reader, RespKind.BulkError, ParseNumber(line), out value);
            case (byte)'=': return TryReadBlob(ref reader, RespKind.Verbatim, ParseNumber(line), out value);
            case (byte)'*': return TryReadItems(ref reader, RespKind.Array, ParseNumber(line), depth, out value);
            case (byte)'~': return TryReadItems(ref reader, RespKind.Set, ParseNumber(line), depth, out value);
            case (byte)'>': return TryReadItems(ref reader, RespKind.Push, ParseNumber(line), depth, out value);
            case (byte)'%': return TryReadItems(ref reader, RespKind.Map, checked(ParseNumber(line) * 2), depth, out value);
            case (byte)'|':
                if (!TryReadItems(ref reader, RespKind.Map, checked(ParseNumber(line) * 2), depth, out _)) return false;
                return TryRead(ref reader, depth, out value);
            default:
                RespProtocolException.Throw($"Protocol error: unknown reply type '{(char)kind}'");
                return false;
        }
    }

    private static bool TryReadBlob(ref SequenceReader<byte> reader, RespKind kind, long length, out RespValue? value)
    {
        value = null;
        if (length < 0)
        {
            value = RespValue.String(kind, null);
            return true;
        }
        if (reader.Remaining < length + 2) return false;
        byte[] bytes = reader.UnreadSequence.Slice(0, length).ToArray();
        reader.Advance(length);
        if (!reader.IsNext("\r\n"u8, advancePast: true)) RespProtocolException.Throw("Protocol error: blob not followed by CRLF");

        if (kind != RespKind.Verbatim)
        {
            value = RespValue.String(kind, bytes);
        }
        else
        {
            if (bytes.Length < 4 || bytes[3] != (byte)':') RespProtocolException.Throw("Protocol error: verbatim string without format");
            value = RespValue.Verbatim(Encoding.ASCII.GetString(bytes, 0, 3), bytes[4..]);
        }
        return true;
    }

    private static bool TryReadItems(ref SequenceReader<byte> reader, RespKind kind, long count, int depth, out RespValue? value)
    {
        value = null;
        if (count < 0)
        {
            value = RespValue.Aggregate(kind, null);
            return true;
        }
        // Grow as elements arrive: the count is only a claim.
        var items = new List<RespValue>((int)Math.Min(count, 1024));
        for (long i = 0; i < count; i++)
        {
            if (!TryRead(ref reader, depth + 1, out RespValue? item)) return false;
            items.Add(item);
        }
        value = RespValue.Aggregate(kind, items);
        return true;
    }

    private static long ParseNumber(in ReadOnlySequence<byte> line)
    {
        Span<byte> text = stackalloc byte[RedisInteger.MaxDigits];
        if (line.Length > text.Length) RespProtocolException.Throw("Protocol error: invalid number in reply");
        line.CopyTo(text);
        text = text[..(int)line.Length];
        // RESP writers may send "-0" or a leading "+"; accept any 64-bit integer.
        if (!long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out long value))
            RespProtocolException.Throw("Protocol error: invalid number in reply");
        return value;
    }

    private static bool ParseBoolean(in ReadOnlySequence<byte> line)
    {
        Span<byte> flag = stackalloc byte[1];
        if (line.Length == 1)
        {
            line.CopyTo(flag);
            if (flag[0] is (byte)'t' or (byte)'f') return flag[0] == (byte)'t';
        }
        RespProtocolException.Throw("Protocol error: invalid boolean in reply");
        return false;
    }
}
