namespace Paxuby.Cache;

/// <summary>
/// Redis's glob matching (stringmatchlen) for KEYS, SCAN MATCH and PSUBSCRIBE: '*' any run,
/// '?' any byte, '[abc]', '[^abc]', '[a-z]' (reversed ranges allowed), '\x' a literal x.
/// Redis's quirks are kept: an unterminated '[' class ends at the pattern's end, and a trailing
/// lone '\' is a literal. Runs in O(pattern × key) at worst: a later '*' replaces the earlier
/// backtracking point instead of recursing.
/// </summary>
public static class GlobPattern
{
    public static bool IsMatch(ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> key, bool ignoreCase = false)
    {
        int p = 0, k = 0;
        int starPattern = -1, starKey = 0;
        while (k < key.Length)
        {
            if (p < pattern.Length && pattern[p] == (byte)'*')
            {
                while (p < pattern.Length && pattern[p] == (byte)'*') p++;
                if (p == pattern.Length) return true;
                starPattern = p;
                starKey = k;
                continue;
            }
            if (p < pattern.Length && MatchesOne(pattern, ref p, key[k], ignoreCase))
            {
                k++;
                continue;
            }
            if (starPattern < 0) return false;
            // Let the last '*' swallow one more byte and retry what follows it.
            p = starPattern;
            k = ++starKey;
        }
        while (p < pattern.Length && pattern[p] == (byte)'*') p++;
        return p == pattern.Length;
    }

    /// <summary>True when the pattern element at <paramref name="p"/> matches <paramref name="c"/>; advances past the element when it does.</summary>
    private static bool MatchesOne(ReadOnlySpan<byte> pattern, ref int p, byte c, bool ignoreCase)
    {
        byte head = pattern[p];
        switch (head)
        {
            case (byte)'?':
                p++;
                return true;
            case (byte)'[':
                return MatchesClass(pattern, ref p, c, ignoreCase);
            case (byte)'\\' when p + 1 < pattern.Length:
                if (!SameByte(pattern[p + 1], c, ignoreCase)) return false;
                p += 2;
                return true;
            default:
                if (!SameByte(head, c, ignoreCase)) return false;
                p++;
                return true;
        }
    }

    private static bool MatchesClass(ReadOnlySpan<byte> pattern, ref int p, byte c, bool ignoreCase)
    {
        int i = p + 1;
        bool negate = i < pattern.Length && pattern[i] == (byte)'^';
        if (negate) i++;
        bool match = false;
        while (true)
        {
            if (i >= pattern.Length)
            {
                // Unterminated: the class runs to the end of the pattern.
                break;
            }
            byte b = pattern[i];
            if (b == (byte)'\\' && pattern.Length - i >= 2)
            {
                i++;
                if (pattern[i] == c) match = true;
            }
            else if (b == (byte)']')
            {
                i++;
                break;
            }
            else if (pattern.Length - i >= 3 && pattern[i + 1] == (byte)'-')
            {
                int start = pattern[i], end = pattern[i + 2], value = c;
                if (start > end) (start, end) = (end, start);
                if (ignoreCase)
                {
                    start = ToLower(start);
                    end = ToLower(end);
                    value = ToLower(value);
                }
                i += 2;
                if (value >= start && value <= end) match = true;
            }
            else if (SameByte(b, c, ignoreCase))
            {
                match = true;
            }
            i++;
        }
        if (negate) match = !match;
        if (!match) return false;
        p = i;
        return true;
    }

    private static bool SameByte(byte a, byte b, bool ignoreCase) =>
        a == b || (ignoreCase && ToLower(a) == ToLower(b));

    private static int ToLower(int b) => b is >= 'A' and <= 'Z' ? b + 32 : b;

    /// <summary>True when <paramref name="pattern"/> has no special characters, so it can only match itself.</summary>
    public static bool IsLiteral(ReadOnlySpan<byte> pattern) => pattern.IndexOfAny("*?[\\"u8) < 0;
}
