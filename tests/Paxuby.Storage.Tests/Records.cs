using Paxuby.Consensus;

namespace Paxuby.Storage.Tests;

/// <summary>Seeded random records, and a field-by-field comparison of durable states.</summary>
internal static class Records
{
    public static LogEntry Entry(Random random, long slot)
    {
        var ballot = new Ballot(random.Next(1, 50), random.Next(0, 5));
        var commands = new Command[random.Next(0, 4)];
        for (var i = 0; i < commands.Length; i++)
        {
            var payload = new byte[random.Next(0, 40)];
            random.NextBytes(payload);
            commands[i] = new Command(random.NextInt64(), random.NextInt64(1, 1_000), random.NextInt64(0, long.MaxValue), payload);
        }
        return new LogEntry(slot, ballot, new Batch(new BatchId(ballot, slot), random.NextInt64(0, long.MaxValue), commands));
    }

    /// <summary>A mix of Readies: entries (slots may repeat), promises, commit indexes, one to three records each.</summary>
    public static List<PersistRecords> Readies(int seed, int count)
    {
        var random = new Random(seed);
        var readies = new List<PersistRecords>();
        long commitIndex = 0;
        long round = 1;
        for (var i = 0; i < count; i++)
        {
            var entries = new List<LogEntry>();
            for (var e = random.Next(0, 3); e > 0; e--)
            {
                entries.Add(Entry(random, random.Next(1, count)));
            }
            Ballot? promise = random.Next(4) == 0 ? new Ballot(round++, random.Next(0, 5)) : null;
            long? commit = random.Next(3) == 0 ? commitIndex += random.Next(1, 4) : null;
            if (entries.Count == 0 && promise is null && commit is null)
            {
                commit = ++commitIndex;
            }
            readies.Add(new PersistRecords(entries, promise, commit));
        }
        return readies;
    }

    /// <summary>Splits Readies into one Ready per record, in the order the log writes them.</summary>
    public static List<PersistRecords> OneRecordEach(IEnumerable<PersistRecords> readies)
    {
        var single = new List<PersistRecords>();
        foreach (var ready in readies)
        {
            single.AddRange(ready.Entries.Select(e => new PersistRecords([e], null, null)));
            if (ready.PromisedBallot is { } promise)
            {
                single.Add(new PersistRecords([], promise, null));
            }
            if (ready.CommitIndex is { } commit)
            {
                single.Add(new PersistRecords([], null, commit));
            }
        }
        return single;
    }

    public static DurableState StateOf(IEnumerable<PersistRecords> readies)
    {
        var state = new DurableState();
        foreach (var ready in readies)
        {
            state.Apply(ready);
        }
        return state;
    }

    public static void AssertEqual(DurableState expected, DurableState actual)
    {
        Assert.Equal(expected.PromisedBallot, actual.PromisedBallot);
        Assert.Equal(expected.CommitIndex, actual.CommitIndex);
        Assert.Equal(expected.Entries.Keys.Order(), actual.Entries.Keys.Order());
        foreach (var (slot, entry) in expected.Entries)
        {
            AssertEqual(entry, actual.Entries[slot]);
        }
    }

    public static void AssertEqual(LogEntry expected, LogEntry actual)
    {
        Assert.Equal(expected.Slot, actual.Slot);
        Assert.Equal(expected.Ballot, actual.Ballot);
        Assert.Equal(expected.Batch.Id, actual.Batch.Id);
        Assert.Equal(expected.Batch.TimestampMs, actual.Batch.TimestampMs);
        Assert.Equal(expected.Batch.Commands.Count, actual.Batch.Commands.Count);
        for (var i = 0; i < expected.Batch.Commands.Count; i++)
        {
            var (e, a) = (expected.Batch.Commands[i], actual.Batch.Commands[i]);
            Assert.Equal(e.ClientId, a.ClientId);
            Assert.Equal(e.Sequence, a.Sequence);
            Assert.Equal(e.TimestampMs, a.TimestampMs);
            Assert.Equal(e.Payload.ToArray(), a.Payload.ToArray());
        }
    }
}
