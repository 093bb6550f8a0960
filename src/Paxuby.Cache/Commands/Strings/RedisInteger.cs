using System.Buffers.Text;

namespace Paxuby.Cache.Commands.Strings;

/// <summary>
/// Integers as Redis reads and writes them in strings. Parsing is exactly as strict as Redis's
/// string2ll: an optional '-', no '+', no spaces, no leading zeros (only "0" itself), no "-0",
/// and the value must fit a long. A value that passes is printed back to the same bytes.
/// </summary>
internal static class RedisInteger
{
    /// <summary>The longest text of a long: "-9223372036854775808".</summary>
    public const int MaxLength = 20;

    public static bool TryParse(ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        if (text.IsEmpty || text.Length > MaxLength) return false;
        if (text.Length == 1 && text[0] == (byte)'0') return true;

        bool negative = text[0] == (byte)'-';
        ReadOnlySpan<byte> digits = negative ? text[1..] : text;
        if (digits.IsEmpty || digits[0] is < (byte)'1' or > (byte)'9') return false;

        ulong magnitude = 0;
        foreach (byte b in digits)
        {
            uint digit = (uint)(b - '0');
            if (digit > 9) return false;
            // Refuse before the multiplication wraps; the long range is checked once at the end.
            if (magnitude > (ulong.MaxValue - digit) / 10) return false;
            magnitude = magnitude * 10 + digit;
        }

        if (negative)
        {
            if (magnitude > (ulong)long.MaxValue + 1) return false;
            value = unchecked(-(long)magnitude);
        }
        else
        {
            if (magnitude > long.MaxValue) return false;
            value = (long)magnitude;
        }
        return true;
    }

    /// <summary>Writes the decimal text of <paramref name="value"/>; returns its length (at most <see cref="MaxLength"/>).</summary>
    public static int Format(long value, Span<byte> destination)
    {
        Utf8Formatter.TryFormat(value, destination, out int written);
        return written;
    }
}
