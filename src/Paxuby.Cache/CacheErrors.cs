using Paxuby.Resp;

namespace Paxuby.Cache;

/// <summary>
/// Every error text the cache replies with, each defined once and worded exactly as Redis 7 words
/// it. The texts carry their code ("ERR", "WRONGTYPE") but neither the leading '-' nor CRLF:
/// <see cref="RespWriter.WriteError(ReadOnlySpan{byte})"/> adds those. Errors that name a command
/// or an argument are written by the Write* methods, which format into a stack buffer.
/// </summary>
public static class CacheErrors
{
    public static ReadOnlySpan<byte> Syntax => "ERR syntax error"u8;
    public static ReadOnlySpan<byte> NotInteger => "ERR value is not an integer or out of range"u8;
    public static ReadOnlySpan<byte> NotFloat => "ERR value is not a valid float"u8;
    public static ReadOnlySpan<byte> IncrementOverflow => "ERR increment or decrement would overflow"u8;
    public static ReadOnlySpan<byte> IncrementNaNOrInfinity => "ERR increment would produce NaN or Infinity"u8;
    public static ReadOnlySpan<byte> StringTooLong => "ERR string exceeds maximum allowed size (proto-max-bulk-len)"u8;
    public static ReadOnlySpan<byte> OffsetOutOfRange => "ERR offset is out of range"u8;
    public static ReadOnlySpan<byte> DbIndexOutOfRange => "ERR DB index is out of range"u8;
    public static ReadOnlySpan<byte> NoSuchKey => "ERR no such key"u8;
    public static ReadOnlySpan<byte> SameObject => "ERR source and destination objects are the same"u8;
    public static ReadOnlySpan<byte> WrongType => "WRONGTYPE Operation against a key holding the wrong kind of value"u8;
    public static ReadOnlySpan<byte> InvalidCursor => "ERR invalid cursor"u8;
    public static ReadOnlySpan<byte> ExpireNxAndOthers => "ERR NX and XX, GT or LT options at the same time are not compatible"u8;
    public static ReadOnlySpan<byte> ExpireGtAndLt => "ERR GT and LT options at the same time are not compatible"u8;
    public static ReadOnlySpan<byte> MultiNested => "ERR MULTI calls can not be nested"u8;
    public static ReadOnlySpan<byte> ExecWithoutMulti => "ERR EXEC without MULTI"u8;
    public static ReadOnlySpan<byte> DiscardWithoutMulti => "ERR DISCARD without MULTI"u8;
    public static ReadOnlySpan<byte> WatchInsideMulti => "ERR WATCH inside MULTI is not allowed"u8;
    public static ReadOnlySpan<byte> ExecAbort => "EXECABORT Transaction discarded because of previous errors."u8;
    public static ReadOnlySpan<byte> Internal => "ERR internal error while executing the command"u8;

    /// <summary>Redis caps each quoted name or argument list in an error at this many bytes.</summary>
    private const int QuotedLimit = 128;

    /// <summary>"ERR wrong number of arguments for 'get' command"; <paramref name="fullName"/> is lower case ("client|kill" for a subcommand).</summary>
    public static void WriteWrongArity(RespWriter writer, ReadOnlySpan<byte> fullName)
    {
        var text = new ErrorText(stackalloc byte[256]);
        text.Append("ERR wrong number of arguments for '"u8);
        text.AppendLower(fullName, QuotedLimit);
        text.Append("' command"u8);
        writer.WriteError(text.Written);
    }

    /// <summary>The same for a table name such as <see cref="CommandInfo.Name"/>.</summary>
    public static void WriteWrongArity(RespWriter writer, string fullName)
    {
        Span<byte> name = stackalloc byte[QuotedLimit];
        int length = System.Text.Encoding.ASCII.GetBytes(fullName.AsSpan(0, Math.Min(fullName.Length, QuotedLimit)), name);
        WriteWrongArity(writer, name[..length]);
    }

    /// <summary>"ERR invalid expire time in 'set' command".</summary>
    public static void WriteInvalidExpireTime(RespWriter writer, ReadOnlySpan<byte> commandName)
    {
        var text = new ErrorText(stackalloc byte[256]);
        text.Append("ERR invalid expire time in '"u8);
        text.AppendLower(commandName, QuotedLimit);
        text.Append("' command"u8);
        writer.WriteError(text.Written);
    }

    /// <summary>"ERR Unsupported option foo" (EXPIRE's unknown flag).</summary>
    public static void WriteUnsupportedOption(RespWriter writer, ReadOnlySpan<byte> option)
    {
        var text = new ErrorText(stackalloc byte[256]);
        text.Append("ERR Unsupported option "u8);
        text.Append(option, QuotedLimit);
        writer.WriteError(text.Written);
    }

    /// <summary>
    /// "ERR unknown command 'foo', with args beginning with: 'a' 'b' " — the name as the client
    /// typed it, then each argument quoted and followed by a space until 128 bytes of them.
    /// </summary>
    public static void WriteUnknownCommand(RespWriter writer, RespCommand command)
    {
        var text = new ErrorText(stackalloc byte[512]);
        text.Append("ERR unknown command '"u8);
        if (command.Count > 0) text.Append(command[0], QuotedLimit);
        text.Append("', with args beginning with: "u8);
        int argumentsStart = text.Length;
        for (int i = 1; i < command.Count && text.Length - argumentsStart < QuotedLimit; i++)
        {
            text.Append("'"u8);
            text.Append(command[i], QuotedLimit - (text.Length - argumentsStart - 1));
            text.Append("' "u8);
        }
        writer.WriteError(text.Written);
    }

    /// <summary>"ERR unknown subcommand 'foo'. Try CLIENT HELP."</summary>
    public static void WriteUnknownSubcommand(RespWriter writer, RespCommand command)
    {
        var text = new ErrorText(stackalloc byte[512]);
        text.Append("ERR unknown subcommand '"u8);
        if (command.Count > 1) text.Append(command[1], QuotedLimit);
        text.Append("'. Try "u8);
        if (command.Count > 0) text.AppendUpper(command[0], QuotedLimit);
        text.Append(" HELP."u8);
        writer.WriteError(text.Written);
    }

    /// <summary>An error text built in a caller-provided buffer; whatever does not fit is cut.</summary>
    private ref struct ErrorText
    {
        private readonly Span<byte> _buffer;

        public ErrorText(Span<byte> buffer)
        {
            _buffer = buffer;
            Length = 0;
        }

        public int Length { get; private set; }

        public readonly ReadOnlySpan<byte> Written => _buffer[..Length];

        public void Append(ReadOnlySpan<byte> bytes, int limit = int.MaxValue)
        {
            int count = Math.Min(Math.Min(bytes.Length, Math.Max(limit, 0)), _buffer.Length - Length);
            bytes[..count].CopyTo(_buffer[Length..]);
            Length += count;
        }

        public void AppendLower(ReadOnlySpan<byte> bytes, int limit)
        {
            int start = Length;
            Append(bytes, limit);
            foreach (ref byte b in _buffer[start..Length]) if (b is >= (byte)'A' and <= (byte)'Z') b += 32;
        }

        public void AppendUpper(ReadOnlySpan<byte> bytes, int limit)
        {
            int start = Length;
            Append(bytes, limit);
            foreach (ref byte b in _buffer[start..Length]) if (b is >= (byte)'a' and <= (byte)'z') b -= 32;
        }
    }
}
