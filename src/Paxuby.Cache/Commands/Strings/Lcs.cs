namespace Paxuby.Cache.Commands.Strings;

/// <summary>One run of the LCS that is contiguous in both strings: inclusive byte ranges.</summary>
internal readonly record struct LcsMatch(int FirstStart, int FirstEnd, int SecondStart, int SecondEnd)
{
    public int Length => FirstEnd - FirstStart + 1;
}

/// <summary>
/// The longest common subsequence as Redis 7 computes it: the textbook dynamic-programming table
/// of (|a|+1)·(|b|+1) 32-bit lengths, then one walk back from the end that yields the sequence
/// and its matching ranges, last range first. Ties in the walk go the way Redis's go, so the
/// ranges are Redis's ranges.
/// </summary>
internal static class Lcs
{
    /// <summary>Redis refuses a table larger than proto-max-bulk-len (512 MB) rather than allocate it.</summary>
    public const long MaxTableBytes = 512L * 1024 * 1024;

    public static bool TableFits(int firstLength, int secondLength) =>
        (long)(firstLength + 1) * (secondLength + 1) * sizeof(uint) <= MaxTableBytes;

    /// <summary>table[i·(|b|+1) + j] = length of the LCS of a[..i] and b[..j].</summary>
    public static uint[] BuildTable(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        int width = b.Length + 1;
        uint[] table = GC.AllocateUninitializedArray<uint>((a.Length + 1) * width);
        table.AsSpan(0, width).Clear();
        for (int i = 1; i <= a.Length; i++)
        {
            Span<uint> previous = table.AsSpan((i - 1) * width, width);
            Span<uint> row = table.AsSpan(i * width, width);
            row[0] = 0;
            byte fromA = a[i - 1];
            for (int j = 1; j < width; j++)
            {
                row[j] = fromA == b[j - 1] ? previous[j - 1] + 1 : Math.Max(previous[j], row[j - 1]);
            }
        }
        return table;
    }

    public static uint Length(uint[] table) => table[^1];

    /// <summary>
    /// Walks the table back from the end: returns the subsequence and, when
    /// <paramref name="matches"/> is given, adds each contiguous run of at least
    /// <paramref name="minMatchLength"/> bytes (0 means any).
    /// </summary>
    public static byte[] Walk(uint[] table, ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, long minMatchLength, List<LcsMatch>? matches)
    {
        int width = b.Length + 1;
        uint remaining = Length(table);
        byte[] sequence = new byte[remaining];

        // A run is open when firstStart != a.Length; a run can never start there.
        int noRun = a.Length;
        int firstStart = noRun, firstEnd = 0, secondStart = 0, secondEnd = 0;
        int i = a.Length, j = b.Length;
        while (i > 0 && j > 0)
        {
            bool closeRun = false;
            if (a[i - 1] == b[j - 1])
            {
                sequence[remaining - 1] = a[i - 1];
                if (firstStart == noRun)
                {
                    firstStart = firstEnd = i - 1;
                    secondStart = secondEnd = j - 1;
                }
                else if (firstStart == i && secondStart == j)
                {
                    firstStart--;
                    secondStart--;
                }
                else
                {
                    closeRun = true;
                }
                // A run that reached the first byte of either string cannot grow further.
                if (firstStart == 0 || secondStart == 0) closeRun = true;
                remaining--;
                i--;
                j--;
            }
            else
            {
                if (table[(i - 1) * width + j] > table[i * width + j - 1]) i--;
                else j--;
                if (firstStart != noRun) closeRun = true;
            }

            if (closeRun)
            {
                var match = new LcsMatch(firstStart, firstEnd, secondStart, secondEnd);
                if (matches is not null && (minMatchLength == 0 || match.Length >= minMatchLength)) matches.Add(match);
                firstStart = noRun;
            }
        }
        return sequence;
    }
}
