using System.Buffers.Text;

namespace Paxuby.Cache.Commands;

/// <summary>
/// SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]. The cursor is a slot number of the
/// database's slot table: a key keeps its slot for its whole life, so a key present from the
/// first call to the last is returned at least once whatever is added or removed meanwhile.
/// </summary>
internal static class KeyScan
{
    private const int DefaultCount = 10;

    /// <summary>Empty slots visited per returned element at most, as Redis bounds a call's work.</summary>
    private const int EmptySlotsPerElement = 10;

    public static void Scan(ref CommandContext c)
    {
        if (!TryParseCursor(c.Args[1], out ulong cursor))
        {
            c.Reply.WriteError(CacheErrors.InvalidCursor);
            return;
        }
        long count = DefaultCount;
        int patternIndex = -1;
        bool stringsOnly = true;
        for (int i = 2; i < c.Args.Count; i += 2)
        {
            bool hasValue = i + 1 < c.Args.Count;
            if (c.Args.Is(i, "COUNT"u8) && hasValue)
            {
                if (!CommandArguments.TryGetInt64(c.Reply, c.Args[i + 1], out count)) return;
                if (count < 1)
                {
                    c.Reply.WriteError(CacheErrors.Syntax);
                    return;
                }
            }
            else if (c.Args.Is(i, "MATCH"u8) && hasValue)
            {
                patternIndex = i + 1;
            }
            else if (c.Args.Is(i, "TYPE"u8) && hasValue)
            {
                // Every value is a string; another type name matches nothing (Redis 7.0 does not reject it).
                stringsOnly = c.Args.Is(i + 1, "STRING"u8);
            }
            else
            {
                c.Reply.WriteError(CacheErrors.Syntax);
                return;
            }
        }

        KeySlots slots = c.Database.Slots;
        ReadOnlySpan<byte> pattern = patternIndex > 0 ? c.Args[patternIndex] : default;
        bool matchAll = patternIndex < 0 || pattern.SequenceEqual("*"u8);
        var found = new List<byte[]>((int)Math.Min(count, 1024));
        ulong next = 0;
        if (cursor < (ulong)slots.Length)
        {
            int slot = (int)cursor;
            long visited = 0, budget = count * EmptySlotsPerElement;
            while (slot < slots.Length && visited < count && budget-- > 0)
            {
                byte[]? key = slots.KeyAt(slot);
                if (key is not null)
                {
                    visited++;
                    bool live = !slots.EntryAt(slot)!.IsExpiredAt(c.NowMs);
                    if (live && stringsOnly && (matchAll || GlobPattern.IsMatch(pattern, key))) found.Add(key);
                }
                slot++;
            }
            next = slot < slots.Length ? (ulong)slot : 0;
        }

        c.Reply.WriteArrayHeader(2);
        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(next, digits, out int written);
        c.Reply.WriteBulkString(digits[..written]);
        c.Reply.WriteArrayHeader(found.Count);
        foreach (byte[] key in found) c.Reply.WriteBulkString(key);
    }

    /// <summary>
    /// Reads a cursor as Redis does with strtoul: optional sign, decimal digits, nothing else; a
    /// leading space or an overflow is invalid; "-n" wraps around (and so ends the scan).
    /// </summary>
    internal static bool TryParseCursor(ReadOnlySpan<byte> text, out ulong cursor)
    {
        cursor = 0;
        if (text.IsEmpty) return true;
        bool negative = false;
        int i = 0;
        if (text[0] is (byte)'+' or (byte)'-')
        {
            negative = text[0] == (byte)'-';
            i = 1;
        }
        if (i == text.Length) return false;
        for (; i < text.Length; i++)
        {
            uint digit = (uint)(text[i] - '0');
            if (digit > 9) return false;
            if (cursor > (ulong.MaxValue - digit) / 10) return false;
            cursor = cursor * 10 + digit;
        }
        if (negative) cursor = unchecked(0UL - cursor);
        return true;
    }
}
