using System.Buffers;

namespace Paxuby.Resp;

/// <summary>
/// Reads client commands as Redis 7 does (networking.c, processMultibulkBuffer and
/// processInlineBuffer): the same accepted input, the same protocol errors.
/// </summary>
public static partial class RespReader
{
    /// <summary>
    /// Parses one complete command from the start of <paramref name="buffer"/> into
    /// <paramref name="command"/> (cleared first). Returns true and slices <paramref name="buffer"/>
    /// past the command when a whole command was there; an empty inline line or a "*0"/"*-1" array
    /// is consumed and reported as a command with Count == 0, which gets no reply. Returns false and
    /// leaves <paramref name="buffer"/> unchanged when more bytes are needed.
    /// </summary>
    /// <exception cref="RespProtocolException">Input that Redis 7 rejects.</exception>
    public static bool TryReadCommand(ref ReadOnlySequence<byte> buffer, RespCommand command, RespLimits limits)
    {
        command.Clear();
        if (buffer.IsEmpty) return false;

        ReadOnlySpan<byte> first = buffer.FirstSpan;
        if (!first.IsEmpty && TryReadCommand(first, command, limits, out int consumed))
        {
            buffer = buffer.Slice(consumed);
            return true;
        }
        if (first.Length == buffer.Length) return false;

        // The command continues past the first segment (or the first segment is empty).
        var reader = new SequenceReader<byte>(buffer);
        if (!TryReadCommand(ref reader, command, limits)) return false;
        buffer = buffer.Slice(reader.Position);
        return true;
    }

    private static bool TryReadCommand(ReadOnlySpan<byte> input, RespCommand command, RespLimits limits, out int consumed)
    {
        if (input[0] != (byte)'*') return TryReadInline(input, command, limits, out consumed);

        // Scan first, copy second: a command whose arguments arrive over many reads is only
        // copied once, when it is whole.
        if (!TryParseMultibulk(input, null, limits, out consumed)) return false;
        TryParseMultibulk(input, command, limits, out consumed);
        return true;
    }

    private static bool TryReadCommand(ref SequenceReader<byte> reader, RespCommand command, RespLimits limits)
    {
        if (!reader.TryPeek(out byte kind)) return false;
        if (kind != (byte)'*') return TryReadInline(ref reader, command, limits);

        SequenceReader<byte> scan = reader;
        if (!TryParseMultibulk(ref scan, null, limits)) return false;
        TryParseMultibulk(ref reader, command, limits);
        return true;
    }

    /// <summary>
    /// Index of the <paramref name="terminator"/> that ends a line, or -1. Redis looks for it with
    /// strchr, which stops at a NUL byte: a line with a NUL before its end is never complete, and
    /// waits until it is too long.
    /// </summary>
    private static int IndexOfLineEnd(ReadOnlySpan<byte> input, byte terminator)
    {
        int index = input.IndexOfAny(terminator, (byte)0);
        return index >= 0 && input[index] == terminator ? index : -1;
    }

    private static long IndexOfLineEnd(in ReadOnlySequence<byte> input, byte terminator)
    {
        long offset = 0;
        foreach (ReadOnlyMemory<byte> segment in input)
        {
            int index = segment.Span.IndexOfAny(terminator, (byte)0);
            if (index >= 0) return segment.Span[index] == terminator ? offset + index : -1;
            offset += segment.Length;
        }
        return -1;
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\v' or (byte)'\f' or (byte)'\r';
}
