using System.Buffers.Text;

namespace Paxuby.Bench.Load;

/// <summary>
/// Finds where one complete RESP2/RESP3 reply ends without decoding it: a load client only needs
/// to count replies, so nothing is copied or allocated.
/// </summary>
internal static class RespReplyScanner
{
    private const int MaxNesting = 32;

    /// <summary>The length of the first complete reply in <paramref name="buffer"/>, or -1 when more bytes are needed.</summary>
    public static int Scan(ReadOnlySpan<byte> buffer) => ScanFrom(buffer, 0, 0);

    private static int ScanFrom(ReadOnlySpan<byte> buffer, int start, int nesting)
    {
        if (start >= buffer.Length) return -1;
        int lineLength = buffer[start..].IndexOf("\r\n"u8);
        if (lineLength < 0) return -1;
        int afterLine = start + lineLength + 2;
        byte type = buffer[start];
        switch (type)
        {
            case (byte)'+' or (byte)'-' or (byte)':' or (byte)'_' or (byte)'#' or (byte)',' or (byte)'(':
                return afterLine;
            case (byte)'$' or (byte)'!' or (byte)'=':
            {
                long length = ParseLength(buffer.Slice(start + 1, lineLength - 1));
                if (length < 0) return afterLine;
                long end = afterLine + length + 2;
                return end <= buffer.Length ? (int)end : -1;
            }
            case (byte)'*' or (byte)'~' or (byte)'>' or (byte)'%' or (byte)'|':
            {
                long count = ParseLength(buffer.Slice(start + 1, lineLength - 1));
                if (count < 0) return afterLine;
                if (type is (byte)'%' or (byte)'|') count *= 2;
                if (nesting >= MaxNesting) throw new InvalidDataException("reply nested too deeply");
                int position = afterLine;
                for (long i = 0; i < count; i++)
                {
                    position = ScanFrom(buffer, position, nesting + 1);
                    if (position < 0) return -1;
                }
                return position;
            }
            default:
                throw new InvalidDataException($"unexpected RESP type byte 0x{type:x2}");
        }
    }

    private static long ParseLength(ReadOnlySpan<byte> digits)
    {
        if (!Utf8Parser.TryParse(digits, out long value, out int consumed) || consumed != digits.Length)
        {
            throw new InvalidDataException("malformed RESP length");
        }
        return value;
    }
}
