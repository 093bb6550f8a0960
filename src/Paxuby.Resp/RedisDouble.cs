using System.Buffers.Text;
using System.Globalization;

namespace Paxuby.Resp;

/// <summary>
/// Formats a double as Redis 7.2+ does in replies (util.c d2string): "nan", "inf", "-inf", "0",
/// "-0"; an integral value within ±2^62 as an integer; anything else as the shortest round-trip
/// digits laid out like fpconv_dtoa ("0.1", "1.5e-7", "1e+19").
/// </summary>
internal static class RedisDouble
{
    /// <summary>Enough for a sign, 17 digits, a point and a 5-character exponent.</summary>
    public const int MaxLength = 32;

    private const double IntegralLimit = long.MaxValue / 2;

    public static int Format(double value, Span<byte> destination)
    {
        if (double.IsNaN(value)) return Copy("nan"u8, destination);
        if (double.IsPositiveInfinity(value)) return Copy("inf"u8, destination);
        if (double.IsNegativeInfinity(value)) return Copy("-inf"u8, destination);
        if (value == 0) return Copy(double.IsNegative(value) ? "-0"u8 : "0"u8, destination);
        if (value >= -IntegralLimit && value <= IntegralLimit && value == Math.Truncate(value))
        {
            Utf8Formatter.TryFormat((long)value, destination, out int written);
            return written;
        }
        return FormatShortest(value, destination);
    }

    private static int FormatShortest(double value, Span<byte> destination)
    {
        // .NET's "R" gives the shortest round-trip digits, as "1.5E-07" or "123.25".
        Span<byte> text = stackalloc byte[MaxLength];
        value.TryFormat(text, out int length, "R", CultureInfo.InvariantCulture);
        text = text[..length];

        bool negative = text[0] == (byte)'-';
        if (negative) text = text[1..];
        int exponent = 0;
        int e = text.IndexOf((byte)'E');
        if (e >= 0)
        {
            Utf8Parser.TryParse(text[(e + 1)..], out exponent, out _);
            text = text[..e];
        }

        // digits × 10^k == |value|
        Span<byte> digits = stackalloc byte[MaxLength];
        int count = 0;
        int point = text.IndexOf((byte)'.');
        int integerDigits = point < 0 ? text.Length : point;
        foreach (byte b in text)
        {
            if (b == (byte)'.' || (count == 0 && b == (byte)'0')) continue;
            digits[count++] = b;
        }
        int fractionDigits = text.Length - integerDigits - (point < 0 ? 0 : 1);
        int k = exponent - fractionDigits;
        while (count > 1 && digits[count - 1] == (byte)'0')
        {
            count--;
            k++;
        }

        int position = 0;
        if (negative) destination[position++] = (byte)'-';
        return position + EmitDigits(digits[..count], k, destination[position..]);
    }

    /// <summary>The layout rules of fpconv_dtoa's emit_digits.</summary>
    private static int EmitDigits(ReadOnlySpan<byte> digits, int k, Span<byte> destination)
    {
        int count = digits.Length;
        int exponent = Math.Abs(k + count - 1);

        if (k >= 0 && exponent < count + 7)
        {
            digits.CopyTo(destination);
            destination.Slice(count, k).Fill((byte)'0');
            return count + k;
        }

        if (k < 0 && (k > -7 || exponent < 4))
        {
            int offset = count + k;
            if (offset <= 0)
            {
                "0."u8.CopyTo(destination);
                destination.Slice(2, -offset).Fill((byte)'0');
                digits.CopyTo(destination[(2 - offset)..]);
                return count + 2 - offset;
            }
            digits[..offset].CopyTo(destination);
            destination[offset] = (byte)'.';
            digits[offset..].CopyTo(destination[(offset + 1)..]);
            return count + 1;
        }

        int position = 0;
        destination[position++] = digits[0];
        if (count > 1)
        {
            destination[position++] = (byte)'.';
            digits[1..].CopyTo(destination[position..]);
            position += count - 1;
        }
        destination[position++] = (byte)'e';
        destination[position++] = k + count - 1 < 0 ? (byte)'-' : (byte)'+';
        Utf8Formatter.TryFormat(exponent, destination[position..], out int written);
        return position + written;
    }

    private static int Copy(ReadOnlySpan<byte> text, Span<byte> destination)
    {
        text.CopyTo(destination);
        return text.Length;
    }
}
