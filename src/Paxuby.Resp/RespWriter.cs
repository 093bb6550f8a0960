using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Paxuby.Resp;

/// <summary>
/// Writes RESP2 or RESP3 replies straight into a buffer writer. Types that RESP2 lacks are written
/// as Redis 7 writes them for a RESP2 client (a map as a flat array, a null as a null bulk, a
/// double as a bulk string, a boolean as an integer).
/// </summary>
public readonly struct RespWriter
{
    private readonly IBufferWriter<byte> _output;

    public RespWriter(IBufferWriter<byte> output, int protocol = 2)
    {
        _output = output;
        Protocol = protocol;
    }

    /// <summary>2 or 3, as chosen by HELLO.</summary>
    public int Protocol { get; }

    public bool IsResp3 => Protocol >= 3;

    public IBufferWriter<byte> Output => _output;

    public void WriteRaw(ReadOnlySpan<byte> bytes) => _output.Write(bytes);

    public void WriteOk() => _output.Write(RespStrings.Ok);

    /// <summary>Writes "+text\r\n"; the text must not contain CR or LF.</summary>
    public void WriteSimpleString(ReadOnlySpan<byte> text)
    {
        Span<byte> span = _output.GetSpan(text.Length + 3);
        span[0] = (byte)'+';
        text.CopyTo(span[1..]);
        span[text.Length + 1] = (byte)'\r';
        span[text.Length + 2] = (byte)'\n';
        _output.Advance(text.Length + 3);
    }

    public void WriteSimpleString(string text) => WriteEncodedLine((byte)'+', text, replaceLineBreaks: false);

    /// <summary>
    /// Writes "-message\r\n". The message carries its own code ("ERR …", "WRONGTYPE …");
    /// CR and LF inside it are replaced by spaces, as Redis does.
    /// </summary>
    public void WriteError(ReadOnlySpan<byte> message)
    {
        Span<byte> span = _output.GetSpan(message.Length + 3);
        span[0] = (byte)'-';
        for (int i = 0; i < message.Length; i++)
        {
            byte b = message[i];
            span[i + 1] = b is (byte)'\r' or (byte)'\n' ? (byte)' ' : b;
        }
        span[message.Length + 1] = (byte)'\r';
        span[message.Length + 2] = (byte)'\n';
        _output.Advance(message.Length + 3);
    }

    public void WriteError(string message) => WriteEncodedLine((byte)'-', message, replaceLineBreaks: true);

    /// <summary>
    /// Writes "-ERR message" for input the reader refused, byte for byte as Redis does (its message
    /// may quote a raw non-ASCII byte, which a UTF-8 string would turn into two).
    /// </summary>
    public void WriteError(RespProtocolException error)
    {
        byte[] message = error.MessageBytes;
        Span<byte> span = _output.GetSpan(message.Length + 7);
        "-ERR "u8.CopyTo(span);
        message.CopyTo(span[5..]);
        span[message.Length + 5] = (byte)'\r';
        span[message.Length + 6] = (byte)'\n';
        _output.Advance(message.Length + 7);
    }

    public void WriteInteger(long value) => WritePrefixedNumber((byte)':', value);

    public void WriteBulkString(ReadOnlySpan<byte> value)
    {
        WritePrefixedNumber((byte)'$', value.Length);
        _output.Write(value);
        _output.Write(RespStrings.Crlf);
    }

    public void WriteBulkString(in ReadOnlySequence<byte> value)
    {
        WritePrefixedNumber((byte)'$', value.Length);
        foreach (ReadOnlyMemory<byte> segment in value) _output.Write(segment.Span);
        _output.Write(RespStrings.Crlf);
    }

    public void WriteBulkString(string value)
    {
        int length = Encoding.UTF8.GetByteCount(value);
        WritePrefixedNumber((byte)'$', length);
        Span<byte> span = _output.GetSpan(length + 2);
        Encoding.UTF8.GetBytes(value, span);
        span[length] = (byte)'\r';
        span[length + 1] = (byte)'\n';
        _output.Advance(length + 2);
    }

    /// <summary>Writes an integer as a bulk string, as Redis does for INCRBYFLOAT-like replies.</summary>
    public void WriteBulkInteger(long value)
    {
        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(value, digits, out int written);
        WriteBulkString(digits[..written]);
    }

    /// <summary>The null reply: "$-1" in RESP2, "_" in RESP3.</summary>
    public void WriteNull() => _output.Write(IsResp3 ? RespStrings.Null3 : RespStrings.NullBulk);

    /// <summary>The null array reply: "*-1" in RESP2, "_" in RESP3.</summary>
    public void WriteNullArray() => _output.Write(IsResp3 ? RespStrings.Null3 : RespStrings.NullArray);

    public void WriteArrayHeader(int count) => WritePrefixedNumber((byte)'*', count);

    /// <summary>A map of <paramref name="pairs"/> entries: "%n" in RESP3, an array of 2n in RESP2.</summary>
    public void WriteMapHeader(int pairs)
    {
        if (IsResp3) WritePrefixedNumber((byte)'%', pairs);
        else WritePrefixedNumber((byte)'*', pairs * 2L);
    }

    public void WriteSetHeader(int count) => WritePrefixedNumber(IsResp3 ? (byte)'~' : (byte)'*', count);

    /// <summary>An out-of-band push (pub/sub messages): ">n" in RESP3, an array in RESP2.</summary>
    public void WritePushHeader(int count) => WritePrefixedNumber(IsResp3 ? (byte)'>' : (byte)'*', count);

    public void WriteBoolean(bool value)
    {
        if (IsResp3) _output.Write(value ? "#t\r\n"u8 : "#f\r\n"u8);
        else WriteInteger(value ? 1 : 0);
    }

    /// <summary>A double: ",value" in RESP3, a bulk string in RESP2, in Redis 7.2's text (see <see cref="FormatDouble"/>).</summary>
    public void WriteDouble(double value)
    {
        Span<byte> text = stackalloc byte[RedisDouble.MaxLength];
        text = text[..RedisDouble.Format(value, text)];
        if (!IsResp3)
        {
            WriteBulkString(text);
            return;
        }
        Span<byte> span = _output.GetSpan(text.Length + 3);
        span[0] = (byte)',';
        text.CopyTo(span[1..]);
        span[text.Length + 1] = (byte)'\r';
        span[text.Length + 2] = (byte)'\n';
        _output.Advance(text.Length + 3);
    }

    /// <summary>Text meant for people (INFO, CLIENT LIST): "=len\r\ntxt:…" in RESP3, a bulk string in RESP2.</summary>
    public void WriteVerbatim(ReadOnlySpan<byte> text)
    {
        if (!IsResp3)
        {
            WriteBulkString(text);
            return;
        }
        WritePrefixedNumber((byte)'=', text.Length + 4);
        _output.Write("txt:"u8);
        _output.Write(text);
        _output.Write(RespStrings.Crlf);
    }

    /// <summary>
    /// Formats a double as Redis 7.2+ does in replies: "inf", "-inf", "nan", an integral value as an
    /// integer, otherwise the shortest text that reads back the same ("0.1", "1.5e-7", "1e+19").
    /// </summary>
    public static string FormatDouble(double value)
    {
        Span<byte> text = stackalloc byte[RedisDouble.MaxLength];
        return Encoding.ASCII.GetString(text[..RedisDouble.Format(value, text)]);
    }

    /// <summary>Writes prefix + UTF-8 text + CRLF without an intermediate array.</summary>
    private void WriteEncodedLine(byte prefix, string text, bool replaceLineBreaks)
    {
        int length = Encoding.UTF8.GetByteCount(text);
        Span<byte> span = _output.GetSpan(length + 3);
        span[0] = prefix;
        Span<byte> body = span.Slice(1, length);
        Encoding.UTF8.GetBytes(text, body);
        if (replaceLineBreaks)
        {
            body.Replace((byte)'\r', (byte)' ');
            body.Replace((byte)'\n', (byte)' ');
        }
        span[length + 1] = (byte)'\r';
        span[length + 2] = (byte)'\n';
        _output.Advance(length + 3);
    }

    private void WritePrefixedNumber(byte prefix, long value)
    {
        Span<byte> span = _output.GetSpan(23);
        span[0] = prefix;
        Utf8Formatter.TryFormat(value, span[1..], out int written);
        span[written + 1] = (byte)'\r';
        span[written + 2] = (byte)'\n';
        _output.Advance(written + 3);
    }
}
