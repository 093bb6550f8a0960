using System.Buffers;

namespace Paxuby.Resp;

public static partial class RespReader
{
    /// <summary>Lines that span segments and are at most this long are copied to the stack.</summary>
    private const int StackLineBytes = 256;

    /// <summary>Parses an inline command: one line ending at LF, an optional CR before it dropped.</summary>
    private static bool TryReadInline(ReadOnlySpan<byte> input, RespCommand command, RespLimits limits, out int consumed)
    {
        consumed = 0;
        int lfIndex = IndexOfLineEnd(input[..Math.Min(input.Length, limits.MaxInlineBytes + 1)], (byte)'\n');
        if (lfIndex < 0)
        {
            if (input.Length > limits.MaxInlineBytes) RespProtocolException.Throw(RespProtocolException.TooBigInline);
            return false;
        }
        SplitArguments(WithoutTrailingCr(input[..lfIndex]), command);
        consumed = lfIndex + 1;
        return true;
    }

    private static bool TryReadInline(ref SequenceReader<byte> reader, RespCommand command, RespLimits limits)
    {
        ReadOnlySequence<byte> rest = reader.UnreadSequence;
        int length = (int)IndexOfLineEnd(rest.Slice(0, Math.Min(rest.Length, limits.MaxInlineBytes + 1L)), (byte)'\n');
        if (length < 0)
        {
            if (rest.Length > limits.MaxInlineBytes) RespProtocolException.Throw(RespProtocolException.TooBigInline);
            return false;
        }

        ReadOnlySequence<byte> line = rest.Slice(0, length);
        byte[]? rented = length > StackLineBytes ? ArrayPool<byte>.Shared.Rent(length) : null;
        Span<byte> copy = rented is null ? stackalloc byte[StackLineBytes] : rented;
        line.CopyTo(copy);
        try
        {
            SplitArguments(WithoutTrailingCr(copy[..length]), command);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
        reader.Advance(length + 1);
        return true;
    }

    private static ReadOnlySpan<byte> WithoutTrailingCr(ReadOnlySpan<byte> line) =>
        !line.IsEmpty && line[^1] == (byte)'\r' ? line[..^1] : line;

    /// <summary>
    /// Splits a line into arguments as Redis's sdssplitargs does. Each argument is measured first
    /// (which also validates its quotes) and then decoded straight into the command.
    /// </summary>
    private static void SplitArguments(ReadOnlySpan<byte> line, RespCommand command)
    {
        command.IsInline = true;
        int position = 0;
        while (true)
        {
            while (position < line.Length && IsSpace(line[position])) position++;
            if (position == line.Length) return;

            int start = position;
            int length = DecodeArgument(line, ref position, Span<byte>.Empty);
            position = start;
            DecodeArgument(line, ref position, command.Reserve(length));
        }
    }

    /// <summary>
    /// Decodes the argument at <paramref name="position"/> and moves past it. Writes into
    /// <paramref name="output"/> unless it is empty (then it only measures). Unquoted text ends at
    /// a space, tab, CR or LF; "double quotes" know \n \r \t \b \a \xHH and \ before any byte;
    /// 'single quotes' know only \'. A quote may open mid-argument (a"b c" is one argument), but a
    /// closing quote must be followed by whitespace or the end of the line.
    /// </summary>
    private static int DecodeArgument(ReadOnlySpan<byte> line, ref int position, Span<byte> output)
    {
        bool write = !output.IsEmpty;
        int length = 0;
        byte quote = 0;
        while (true)
        {
            if (position == line.Length)
            {
                if (quote != 0) RespProtocolException.Throw(RespProtocolException.UnbalancedQuotes);
                return length;
            }

            byte current = line[position];
            byte decoded;
            if (quote == 0)
            {
                if (current is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
                {
                    position++;
                    return length;
                }
                position++;
                if (current is (byte)'"' or (byte)'\'')
                {
                    quote = current;
                    continue;
                }
                decoded = current;
            }
            else if (current == quote)
            {
                position++;
                if (position < line.Length && !IsSpace(line[position]))
                    RespProtocolException.Throw(RespProtocolException.UnbalancedQuotes);
                return length;
            }
            else if (quote == (byte)'"' && current == (byte)'\\' && position + 1 < line.Length)
            {
                byte escaped = line[position + 1];
                if (escaped == (byte)'x' && position + 3 < line.Length
                    && IsHexDigit(line[position + 2]) && IsHexDigit(line[position + 3]))
                {
                    decoded = (byte)(HexValue(line[position + 2]) * 16 + HexValue(line[position + 3]));
                    position += 4;
                }
                else
                {
                    decoded = escaped switch
                    {
                        (byte)'n' => (byte)'\n',
                        (byte)'r' => (byte)'\r',
                        (byte)'t' => (byte)'\t',
                        (byte)'b' => (byte)'\b',
                        (byte)'a' => (byte)'\a',
                        _ => escaped,
                    };
                    position += 2;
                }
            }
            else if (quote == (byte)'\'' && current == (byte)'\\' && position + 1 < line.Length && line[position + 1] == (byte)'\'')
            {
                decoded = (byte)'\'';
                position += 2;
            }
            else
            {
                decoded = current;
                position++;
            }

            if (write) output[length] = decoded;
            length++;
        }
    }

    private static bool IsHexDigit(byte b) => char.IsAsciiHexDigit((char)b);

    private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;
}
