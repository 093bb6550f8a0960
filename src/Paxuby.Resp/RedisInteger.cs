namespace Paxuby.Resp;

/// <summary>Integer parsing with the exact rules of Redis's string2ll.</summary>
public static class RedisInteger
{
    /// <summary>Longest text string2ll accepts (it refuses 21 characters or more).</summary>
    public const int MaxDigits = 20;

    /// <summary>
    /// Accepts an optional '-' then digits without leading zeros ("0" alone is fine); rejects
    /// empty text, "+1", "-0", spaces and overflow.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        if (text.IsEmpty || text.Length > MaxDigits) return false;
        if (text.Length == 1 && text[0] == (byte)'0') return true;

        bool negative = text[0] == (byte)'-';
        int position = negative ? 1 : 0;
        if (position == text.Length) return false;
        if (text[position] is < (byte)'1' or > (byte)'9') return false;

        ulong magnitude = 0;
        for (; position < text.Length; position++)
        {
            uint digit = (uint)(text[position] - '0');
            if (digit > 9) return false;
            if (magnitude > (ulong.MaxValue - digit) / 10) return false;
            magnitude = magnitude * 10 + digit;
        }

        if (negative)
        {
            if (magnitude > (ulong)long.MaxValue + 1) return false;
            value = (long)(0 - magnitude);
        }
        else
        {
            if (magnitude > long.MaxValue) return false;
            value = (long)magnitude;
        }
        return true;
    }

    /// <summary>Writes the decimal text of <paramref name="value"/>; returns its length (at most <see cref="MaxDigits"/>).</summary>
    public static int Format(long value, Span<byte> destination)
    {
        System.Buffers.Text.Utf8Formatter.TryFormat(value, destination, out int written);
        return written;
    }
}
