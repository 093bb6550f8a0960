using System.Globalization;
using System.Numerics;
using System.Text;

namespace Paxuby.Cache.Commands.Strings;

/// <summary>
/// A value of the x86-64 80-bit extended type ("long double") that Redis computes INCRBYFLOAT in:
/// a 64-bit significand times a power of two. Parsing rounds as glibc's strtold does, addition
/// rounds to nearest-even as the FPU does, and <see cref="ToRedisText"/> prints as Redis's
/// "%.17Lf" with trailing zeros removed, so replies match Redis byte for byte: 10.5 + 0.1 gives
/// "10.6" but 1000.1 + 0.1 gives "1000.19999999999999996". A double cannot reproduce either.
/// Values of ordinary size (up to 38 digits, at most 18 decimals) are computed in 128-bit integers
/// without allocating; the rest of the 15-bit exponent range goes through BigInteger.
/// </summary>
internal readonly struct LongDouble
{
    /// <summary>Redis's MAX_LONG_DOUBLE_CHARS: input this long or longer is refused.</summary>
    public const int MaxChars = 5 * 1024;

    private const int SignificandBits = 64;

    /// <summary>Exponent of the lowest significand bit of the smallest subnormal, 2^-16445.</summary>
    private const int MinExponent = -16445;

    /// <summary>Largest finite value: (2^64 - 1) · 2^16320.</summary>
    private const int MaxExponent = 16320;

    /// <summary>Digits after the point in Redis's "%.17Lf".</summary>
    private const int FractionDigits = 17;

    private static readonly BigInteger FractionScale = BigInteger.Pow(10, FractionDigits);

    /// <summary>10^38 is the largest power of ten below 2^128.</summary>
    private const int MaxSmallPowerOfTen = 38;

    /// <summary>A quotient by 10^18 (60 bits) still fits 128 bits once scaled to 66 significant bits.</summary>
    private const int MaxSmallDecimals = 18;

    private LongDouble(bool negative, ulong significand, int exponent, bool infinite)
    {
        IsNegative = negative;
        Significand = significand;
        Exponent = exponent;
        IsInfinity = infinite;
    }

    public bool IsNegative { get; }

    /// <summary>The value is <see cref="Significand"/> · 2^<see cref="Exponent"/>.</summary>
    public ulong Significand { get; }

    public int Exponent { get; }

    public bool IsInfinity { get; }

    public bool IsZero => !IsInfinity && Significand == 0;

    /// <summary>
    /// Parses as Redis's string2ld: the whole text must be one strtold number (decimal, hex
    /// "0x1p3", "inf"/"infinity", an optional sign), no spaces, shorter than
    /// <see cref="MaxChars"/>; NaN, overflow and a nonzero value that underflows to zero are refused.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out LongDouble value)
    {
        value = default;
        if (text.IsEmpty || text.Length >= MaxChars) return false;

        bool negative = false;
        int position = 0;
        if (text[0] is (byte)'-' or (byte)'+')
        {
            negative = text[0] == (byte)'-';
            position = 1;
        }
        ReadOnlySpan<byte> body = text[position..];

        if (Ascii.EqualsIgnoreCase(body, "inf"u8) || Ascii.EqualsIgnoreCase(body, "infinity"u8))
        {
            value = new LongDouble(negative, 0, 0, infinite: true);
            return true;
        }

        bool parsed = body.Length > 2 && body[0] == (byte)'0' && (body[1] | 0x20) == (byte)'x'
            ? TryParseHex(negative, body[2..], out value)
            : TryParseDecimal(negative, body, out value);
        return parsed && !value.IsInfinity;
    }

    /// <summary>The sum rounded to nearest-even; false when it is infinite or NaN.</summary>
    public static bool TryAdd(LongDouble left, LongDouble right, out LongDouble sum)
    {
        sum = default;
        if (left.IsInfinity || right.IsInfinity) return false;
        if (left.IsZero)
        {
            sum = right;
            return true;
        }
        if (right.IsZero)
        {
            sum = left;
            return true;
        }

        int exponent = Math.Min(left.Exponent, right.Exponent);
        if (TryAddSmall(left, right, exponent, out sum)) return true;
        BigInteger exact = left.Scaled(exponent) + right.Scaled(exponent);
        if (exact.IsZero) return true;
        sum = Round(exact.Sign < 0, BigInteger.Abs(exact), BigInteger.One, exponent);
        return !sum.IsInfinity;
    }

    /// <summary>
    /// Redis's human-friendly long double text: "%.17Lf" with the trailing zeros and a bare point
    /// removed, "-0" written "0". Even the largest finite value (4933 digits) fits Redis's buffer.
    /// </summary>
    public byte[] ToRedisText()
    {
        Span<byte> small = stackalloc byte[64];
        if (TryFormatSmall(small, out int length)) return small[..length].ToArray();

        BigInteger integerPart;
        BigInteger fraction;
        if (Exponent >= 0)
        {
            integerPart = new BigInteger(Significand) << Exponent;
            fraction = BigInteger.Zero;
        }
        else
        {
            BigInteger scaled = RoundShiftRight(new BigInteger(Significand) * FractionScale, -Exponent);
            integerPart = BigInteger.DivRem(scaled, FractionScale, out fraction);
        }

        string integerDigits = integerPart.ToString();
        string fractionDigits = fraction.ToString("D17").TrimEnd('0');
        bool negative = IsNegative && !(integerPart.IsZero && fraction.IsZero);
        string text = (negative ? "-" : "") + integerDigits + (fractionDigits.Length > 0 ? "." + fractionDigits : "");
        return Encoding.ASCII.GetBytes(text);
    }

    private BigInteger Scaled(int exponent)
    {
        BigInteger magnitude = new BigInteger(Significand) << (Exponent - exponent);
        return IsNegative ? -magnitude : magnitude;
    }

    private static bool TryParseDecimal(bool negative, ReadOnlySpan<byte> body, out LongDouble value)
    {
        value = default;
        int position = 0;
        UInt128 smallDigits = 0;
        bool fitsSmall = true;
        int significantDigits = 0;
        int fractionDigits = 0;
        int digitCount = 0;
        bool seenPoint = false;
        for (; position < body.Length; position++)
        {
            byte b = body[position];
            if (b == (byte)'.' && !seenPoint)
            {
                seenPoint = true;
                continue;
            }
            uint digit = (uint)(b - '0');
            if (digit > 9) break;
            digitCount++;
            if (seenPoint) fractionDigits++;
            if (digit != 0 || significantDigits > 0)
            {
                significantDigits++;
                if (fitsSmall && smallDigits <= (UInt128.MaxValue - digit) / 10) smallDigits = smallDigits * 10 + digit;
                else fitsSmall = false;
            }
        }
        if (digitCount == 0) return false;
        ReadOnlySpan<byte> mantissa = body[..position];

        long exponent10 = 0;
        if (position < body.Length)
        {
            if ((body[position] | 0x20) != (byte)'e') return false;
            if (!TryParseExponent(body[(position + 1)..], out exponent10)) return false;
        }
        if (significantDigits == 0)
        {
            value = new LongDouble(negative, 0, 0, infinite: false);
            return true;
        }

        long scale = exponent10 - fractionDigits;
        // The value lies in [10^(magnitude-1), 10^magnitude); outside the type's range it is refused
        // before any big power of ten is computed.
        long magnitude = significantDigits + scale;
        if (magnitude > 4934 || magnitude < -4952) return false;
        if (fitsSmall && TryRoundDecimalSmall(negative, smallDigits, scale, out value)) return !value.IsZero;

        BigInteger digits = BigInteger.Zero;
        foreach (byte b in mantissa)
        {
            if (b != (byte)'.') digits = digits * 10 + (b - '0');
        }
        value = scale >= 0
            ? Round(negative, digits * BigInteger.Pow(10, (int)scale), BigInteger.One, 0)
            : Round(negative, digits, BigInteger.Pow(10, (int)-scale), 0);
        return !value.IsZero;
    }

    private static bool TryParseHex(bool negative, ReadOnlySpan<byte> body, out LongDouble value)
    {
        value = default;
        int position = 0;
        BigInteger digits = BigInteger.Zero;
        int fractionDigits = 0;
        int digitCount = 0;
        bool seenPoint = false;
        for (; position < body.Length; position++)
        {
            byte b = body[position];
            if (b == (byte)'.' && !seenPoint)
            {
                seenPoint = true;
                continue;
            }
            int digit = HexDigit(b);
            if (digit < 0) break;
            digitCount++;
            if (seenPoint) fractionDigits++;
            digits = (digits << 4) + digit;
        }
        if (digitCount == 0) return false;

        long exponent2 = 0;
        if (position < body.Length)
        {
            if ((body[position] | 0x20) != (byte)'p') return false;
            if (!TryParseExponent(body[(position + 1)..], out exponent2)) return false;
        }
        if (digits.IsZero)
        {
            value = new LongDouble(negative, 0, 0, infinite: false);
            return true;
        }

        long scale = exponent2 - 4L * fractionDigits;
        long magnitude = (long)digits.GetBitLength() + scale;
        if (magnitude > MaxExponent + SignificandBits + 1 || magnitude < MinExponent - 2) return false;
        value = Round(negative, digits, BigInteger.One, (int)scale);
        return !value.IsZero;
    }

    /// <summary>An exponent: optional sign and at least one digit; saturates far beyond any finite value.</summary>
    private static bool TryParseExponent(ReadOnlySpan<byte> text, out long exponent)
    {
        exponent = 0;
        bool negative = false;
        if (!text.IsEmpty && text[0] is (byte)'-' or (byte)'+')
        {
            negative = text[0] == (byte)'-';
            text = text[1..];
        }
        if (text.IsEmpty) return false;
        foreach (byte b in text)
        {
            uint digit = (uint)(b - '0');
            if (digit > 9) return false;
            exponent = Math.Min(exponent * 10 + digit, 1_000_000_000);
        }
        if (negative) exponent = -exponent;
        return true;
    }

    private static int HexDigit(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };

    /// <summary>
    /// Rounds numerator / denominator · 2^exponent2 (numerator positive) to the nearest value of
    /// the type, ties to even, with subnormals below 2^-16382 and infinity above the largest finite.
    /// </summary>
    private static LongDouble Round(bool negative, BigInteger numerator, BigInteger denominator, int exponent2)
    {
        // Scale so that the quotient has at least 66 bits: the 64 kept, a rounding bit, and one more.
        long shift = SignificandBits + 2 - (numerator.GetBitLength() - denominator.GetBitLength());
        if (shift > 0) numerator <<= (int)shift;
        else denominator <<= (int)-shift;
        BigInteger quotient = BigInteger.DivRem(numerator, denominator, out BigInteger remainder);

        long excess = quotient.GetBitLength() - SignificandBits;
        long exponent = exponent2 - shift + excess;
        if (exponent < MinExponent)
        {
            excess += MinExponent - exponent;
            exponent = MinExponent;
        }
        if (excess > quotient.GetBitLength() + 1) return new LongDouble(negative, 0, 0, infinite: false);

        BigInteger kept = quotient >> (int)excess;
        BigInteger dropped = quotient - (kept << (int)excess);
        int versusHalf = dropped.CompareTo(BigInteger.One << (int)(excess - 1));
        bool roundUp = versusHalf > 0 || (versusHalf == 0 && (!remainder.IsZero || !kept.IsEven));
        if (roundUp)
        {
            kept += 1;
            if (kept.GetBitLength() > SignificandBits)
            {
                kept >>= 1;
                exponent++;
            }
        }
        if (exponent > MaxExponent) return new LongDouble(negative, 0, 0, infinite: true);
        return new LongDouble(negative, (ulong)kept, (int)exponent, infinite: false);
    }

    /// <summary>digits · 10^scale rounded in 128-bit integers; false when it does not fit them.</summary>
    private static bool TryRoundDecimalSmall(bool negative, UInt128 digits, long scale, out LongDouble value)
    {
        value = default;
        if (scale >= 0)
        {
            if (scale > MaxSmallPowerOfTen) return false;
            UInt128 power = PowerOfTen((int)scale);
            return digits <= UInt128.MaxValue / power && TryRoundSmall(negative, digits * power, 1, 0, out value);
        }
        return scale >= -MaxSmallDecimals && TryRoundSmall(negative, digits, PowerOfTen((int)-scale), 0, out value);
    }

    private static UInt128 PowerOfTen(int exponent)
    {
        UInt128 power = 1;
        for (int i = 0; i < exponent; i++) power *= 10;
        return power;
    }

    /// <summary>
    /// <see cref="Round"/> in 128-bit integers: false (and the caller takes the BigInteger path)
    /// when a shifted operand would not fit, or the result is subnormal or not finite.
    /// </summary>
    private static bool TryRoundSmall(bool negative, UInt128 numerator, UInt128 denominator, int exponent2, out LongDouble value)
    {
        value = default;
        int numeratorBits = BitLength(numerator);
        int denominatorBits = BitLength(denominator);
        int shift = SignificandBits + 2 - (numeratorBits - denominatorBits);
        if (shift > 0)
        {
            if (numeratorBits + shift > 128) return false;
            numerator <<= shift;
        }
        else
        {
            if (denominatorBits - shift > 128) return false;
            denominator <<= -shift;
        }
        (UInt128 quotient, UInt128 remainder) = UInt128.DivRem(numerator, denominator);

        int excess = BitLength(quotient) - SignificandBits;
        long exponent = (long)exponent2 - shift + excess;
        if (exponent < MinExponent || exponent > MaxExponent) return false;

        UInt128 kept = quotient >> excess;
        UInt128 dropped = quotient - (kept << excess);
        UInt128 half = UInt128.One << (excess - 1);
        bool roundUp = dropped > half || (dropped == half && (remainder != 0 || (kept & 1) != 0));
        if (roundUp)
        {
            kept++;
            if (BitLength(kept) > SignificandBits)
            {
                kept >>= 1;
                exponent++;
            }
        }
        if (exponent > MaxExponent) return false;
        value = new LongDouble(negative, (ulong)kept, (int)exponent, infinite: false);
        return true;
    }

    /// <summary>The exact sum in 128 bits when the exponents are at most 62 apart.</summary>
    private static bool TryAddSmall(LongDouble left, LongDouble right, int exponent, out LongDouble sum)
    {
        sum = default;
        int leftShift = left.Exponent - exponent;
        int rightShift = right.Exponent - exponent;
        if (Math.Max(leftShift, rightShift) > 62) return false;

        UInt128 a = (UInt128)left.Significand << leftShift;
        UInt128 b = (UInt128)right.Significand << rightShift;
        bool negative;
        UInt128 magnitude;
        if (left.IsNegative == right.IsNegative)
        {
            negative = left.IsNegative;
            magnitude = a + b;
        }
        else if (a >= b)
        {
            negative = left.IsNegative;
            magnitude = a - b;
        }
        else
        {
            negative = right.IsNegative;
            magnitude = b - a;
        }
        // x + (-x) is +0 when rounding to nearest.
        if (magnitude == 0) return true;
        return TryRoundSmall(negative, magnitude, 1, exponent, out sum);
    }

    /// <summary><see cref="ToRedisText"/> into a stack buffer when the value fits 128-bit arithmetic.</summary>
    private bool TryFormatSmall(Span<byte> buffer, out int length)
    {
        length = 0;
        UInt128 integerPart;
        UInt128 fraction;
        UInt128 fractionScale = PowerOfTen(FractionDigits);
        if (Exponent >= 0)
        {
            if (Exponent > 63) return false;
            integerPart = (UInt128)Significand << Exponent;
            fraction = 0;
        }
        else
        {
            // Significand · 10^17 < 2^121, so any shift up to 127 bits is exact in 128 bits.
            int bits = -Exponent;
            if (bits > 127) return false;
            UInt128 scaled = (UInt128)Significand * fractionScale;
            UInt128 kept = scaled >> bits;
            UInt128 dropped = scaled - (kept << bits);
            UInt128 half = UInt128.One << (bits - 1);
            if (dropped > half || (dropped == half && (kept & 1) != 0)) kept++;
            (integerPart, fraction) = UInt128.DivRem(kept, fractionScale);
        }

        if (IsNegative && (integerPart != 0 || fraction != 0)) buffer[length++] = (byte)'-';
        integerPart.TryFormat(buffer[length..], out int written, default, CultureInfo.InvariantCulture);
        length += written;
        if (fraction != 0)
        {
            buffer[length++] = (byte)'.';
            Span<byte> digits = buffer.Slice(length, FractionDigits);
            ulong rest = (ulong)fraction;
            for (int i = FractionDigits - 1; i >= 0; i--)
            {
                digits[i] = (byte)('0' + (int)(rest % 10));
                rest /= 10;
            }
            int used = FractionDigits;
            while (digits[used - 1] == (byte)'0') used--;
            length += used;
        }
        return true;
    }

    private static int BitLength(UInt128 value) => 128 - (int)UInt128.LeadingZeroCount(value);

    /// <summary>value / 2^bits rounded to nearest, ties to even (glibc printf's rounding).</summary>
    private static BigInteger RoundShiftRight(BigInteger value, int bits)
    {
        BigInteger kept = value >> bits;
        BigInteger dropped = value - (kept << bits);
        int versusHalf = dropped.CompareTo(BigInteger.One << (bits - 1));
        return versusHalf > 0 || (versusHalf == 0 && !kept.IsEven) ? kept + 1 : kept;
    }
}
