using System.Buffers;

namespace Paxuby.Resp;

public static partial class RespReader
{
    /// <summary>
    /// Parses "*n\r\n" then n times "$len\r\n" + payload + 2 bytes, as Redis does: a count line
    /// ends at the first CR, the byte after the CR and the 2 bytes after a payload are skipped
    /// unchecked. With a null <paramref name="target"/> it only checks that the command is whole.
    /// </summary>
    private static bool TryParseMultibulk(ReadOnlySpan<byte> input, RespCommand? target, RespLimits limits, out int consumed)
    {
        consumed = 0;
        if (!TryFindCountLine(input, 0, limits, RespProtocolException.TooBigMultibulkCount, out int lineEnd)) return false;
        long count = ParseArgumentCount(input[1..lineEnd], limits);

        int position = lineEnd + 2;
        long commandBytes = 0;
        for (long i = 0; i < count; i++)
        {
            if (!TryFindCountLine(input, position, limits, RespProtocolException.TooBigBulkCount, out lineEnd)) return false;
            long length = ParseBulkLength(input[position..lineEnd], limits, ref commandBytes);
            position = lineEnd + 2;
            if (input.Length - position < length + 2) return false;
            target?.Add(input.Slice(position, (int)length));
            position += (int)length + 2;
        }
        consumed = position;
        return true;
    }

    /// <summary>Finds the CR ending the count line at <paramref name="start"/>; false when more bytes are needed.</summary>
    private static bool TryFindCountLine(ReadOnlySpan<byte> input, int start, RespLimits limits, string tooBigMessage, out int lineEnd)
    {
        ReadOnlySpan<byte> rest = input[start..];
        int crIndex = IndexOfLineEnd(rest[..Math.Min(rest.Length, limits.MaxInlineBytes + 1)], (byte)'\r');
        if (crIndex < 0)
        {
            if (rest.Length > limits.MaxInlineBytes) RespProtocolException.Throw(tooBigMessage);
            lineEnd = 0;
            return false;
        }
        lineEnd = start + crIndex;
        return crIndex + 2 <= rest.Length;
    }

    /// <summary>Checks the text after '*' and returns the count (0 or less: an empty command).</summary>
    private static long ParseArgumentCount(ReadOnlySpan<byte> text, RespLimits limits)
    {
        if (!RedisInteger.TryParse(text, out long count) || count > limits.MaxMultibulkLength)
            RespProtocolException.Throw(RespProtocolException.InvalidMultibulkLength);
        if (count > RespLimits.UnauthenticatedMaxMultibulkLength && limits.AuthenticationRequired)
            RespProtocolException.Throw(RespProtocolException.UnauthenticatedMultibulkLength);
        return count;
    }

    /// <summary>
    /// Checks a whole "$len" line (without its CR), adds len to <paramref name="commandBytes"/>
    /// and returns len.
    /// </summary>
    private static long ParseBulkLength(ReadOnlySpan<byte> line, RespLimits limits, ref long commandBytes)
    {
        byte kind = line.IsEmpty ? (byte)'\r' : line[0];
        if (kind != (byte)'$') RespProtocolException.ThrowExpectedDollar(kind);
        if (!RedisInteger.TryParse(line[1..], out long length) || length < 0 || length > limits.MaxBulkBytes)
            RespProtocolException.Throw(RespProtocolException.InvalidBulkLength);
        if (length > RespLimits.UnauthenticatedMaxBulkBytes && limits.AuthenticationRequired)
            RespProtocolException.Throw(RespProtocolException.UnauthenticatedBulkLength);
        commandBytes += length;
        if (commandBytes > RespLimits.MaxCommandBytes) RespProtocolException.Throw(RespProtocolException.CommandTooLarge);
        return length;
    }

    /// <summary>The same as the span version, for a command spread over several segments.</summary>
    private static bool TryParseMultibulk(ref SequenceReader<byte> reader, RespCommand? target, RespLimits limits)
    {
        Span<byte> line = stackalloc byte[RedisInteger.MaxDigits + 2];
        if (!TryReadCountLine(ref reader, limits, RespProtocolException.TooBigMultibulkCount, line, out int lineLength)) return false;
        long count = ParseArgumentCount(line[1..lineLength], limits);

        long commandBytes = 0;
        for (long i = 0; i < count; i++)
        {
            if (!TryReadCountLine(ref reader, limits, RespProtocolException.TooBigBulkCount, line, out lineLength)) return false;
            long length = ParseBulkLength(line[..lineLength], limits, ref commandBytes);
            if (reader.Remaining < length + 2) return false;
            if (target is not null)
            {
                Span<byte> argument = target.Reserve((int)length);
                reader.UnreadSequence.Slice(0, length).CopyTo(argument);
            }
            reader.Advance(length + 2);
        }
        return true;
    }

    /// <summary>
    /// Reads a count line and its CR plus one byte. Copies the line's start into
    /// <paramref name="line"/>; a line too long for it cannot hold a valid number, so only its
    /// first byte and the fact that it is too long matter (the length is set past the digits).
    /// </summary>
    private static bool TryReadCountLine(ref SequenceReader<byte> reader, RespLimits limits, string tooBigMessage, scoped Span<byte> line, out int lineLength)
    {
        lineLength = 0;
        ReadOnlySequence<byte> rest = reader.UnreadSequence;
        long length = IndexOfLineEnd(rest.Slice(0, Math.Min(rest.Length, limits.MaxInlineBytes + 1L)), (byte)'\r');
        if (length < 0)
        {
            if (rest.Length > limits.MaxInlineBytes) RespProtocolException.Throw(tooBigMessage);
            return false;
        }
        if (length + 2 > rest.Length) return false;

        lineLength = (int)Math.Min(length, line.Length);
        rest.Slice(0, lineLength).CopyTo(line);
        reader.Advance(length + 2);
        return true;
    }
}
