using Paxuby.Consensus;

namespace Paxuby.Storage;

/// <summary>Reads the records of one segment's bytes up to the first one that does not check out.</summary>
internal static class SegmentScan
{
    public readonly record struct Result(long RecordCount, long ValidBytes, string? Problem)
    {
        public bool IsClean => Problem is null;
    }

    /// <summary>
    /// Replays valid records into <paramref name="state"/> (when given) and stops at the first bad
    /// one. Zeros to the end are the unused, preallocated end of the segment, not a bad record: no
    /// frame starts with a zero header (type 0 does not exist).
    /// </summary>
    public static Result Replay(ReadOnlySpan<byte> data, DurableState? state)
    {
        long count = 0;
        var offset = 0;
        var end = WrittenLength(data);
        while (offset < end)
        {
            if (!TryDecode(data[offset..], out var record, out var frameBytes, out var problem))
            {
                return new Result(count, offset, problem);
            }
            if (state is not null)
            {
                if (record.Type == RecordType.SnapshotBase)
                {
                    state.CompactThrough(record.SnapshotSlot);
                }
                else
                {
                    state.Apply(record.Records);
                }
            }
            count++;
            offset += frameBytes;
        }
        return new Result(count, offset, null);
    }

    /// <summary>
    /// Whether the segment starts with a <see cref="RecordType.SnapshotBase"/> record and holds every
    /// record it announces: then it alone holds the durable state and every earlier segment is stale.
    /// </summary>
    public static bool IsCompleteBase(ReadOnlySpan<byte> data)
    {
        if (!TryDecode(data, out var first, out _, out _) || first.Type != RecordType.SnapshotBase)
        {
            return false;
        }
        return Replay(data, state: null).RecordCount >= 1 + first.RecordsAfter;
    }

    /// <summary>The bytes up to the last one that is not zero: what was written, without a preallocated end.</summary>
    public static int WrittenLength(ReadOnlySpan<byte> data) => data.LastIndexOfAnyExcept((byte)0) + 1;

    /// <summary>
    /// Whether any valid record starts after <paramref name="badOffset"/>: then the bad record is
    /// damage in the middle of the log, not a write cut short at its end. A payload that happens to
    /// hold a whole valid frame makes this answer yes, which errs on the side of caution.
    /// </summary>
    public static bool HasValidRecordAfter(ReadOnlySpan<byte> data, long badOffset)
    {
        // A frame's type byte is never zero, so none starts in the zeros of a preallocated end.
        var lastStart = Math.Min(data.Length - RecordFrame.HeaderBytes, WrittenLength(data) - 1 - RecordFrame.TypeOffset);
        for (var offset = (int)badOffset + 1; offset <= lastStart; offset++)
        {
            if (TryDecode(data[offset..], out _, out _, out _))
            {
                return true;
            }
        }
        return false;
    }

    private readonly record struct Decoded(RecordType Type, PersistRecords Records, long SnapshotSlot, long RecordsAfter);

    private static bool TryDecode(ReadOnlySpan<byte> data, out Decoded record, out int frameBytes, out string problem)
    {
        record = default;
        if (!RecordFrame.TryRead(data, out var type, out var payload, out frameBytes, out problem))
        {
            return false;
        }
        try
        {
            record = type switch
            {
                RecordType.Entry => new Decoded(type, new PersistRecords([LogRecordCodec.ReadEntry(payload)], null, null), 0, 0),
                RecordType.Promise => new Decoded(type, new PersistRecords([], LogRecordCodec.ReadPromise(payload), null), 0, 0),
                RecordType.Commit => new Decoded(type, new PersistRecords([], null, LogRecordCodec.ReadCommit(payload)), 0, 0),
                RecordType.SnapshotBase => Base(LogRecordCodec.ReadSnapshotBase(payload)),
                _ => throw new CorruptRecordException($"unknown record type {type}"),
            };
            return true;
        }
        catch (CorruptRecordException e)
        {
            // The checksum matched, so this was written so: a bug or a different format version.
            problem = $"{type} record does not decode: {e.Message}";
            return false;
        }
    }

    private static Decoded Base((long SnapshotSlot, long RecordsAfter) b) =>
        new(RecordType.SnapshotBase, PersistRecords.Empty, b.SnapshotSlot, b.RecordsAfter);
}
