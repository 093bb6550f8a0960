using Paxuby.Consensus;

namespace Paxuby.Transport.Tests;

/// <summary>Sample messages, one per type, with every field set to something distinct.</summary>
internal static class Messages
{
    public static Batch Batch(long slot, Ballot ballot, int commands, int payloadBytes = 5) =>
        new(new BatchId(ballot, slot), 1_700_000_000_000 + slot,
            Enumerable.Range(0, commands)
                .Select(i => new Command(100 + i, 7 + i, 1_700_000_000_000 + i, Enumerable.Range(0, payloadBytes).Select(b => (byte)(b + i)).ToArray()))
                .ToArray());

    public static LogEntry Entry(long slot, Ballot ballot, int commands) => new(slot, ballot, Batch(slot, ballot, commands));

    public static Message Of(MessageType type)
    {
        var ballot = new Ballot(42, 3);
        return type switch
        {
            MessageType.Accept => Make(type, ballot, Batch(9, ballot, 3)),
            MessageType.Promise or MessageType.CatchUp =>
                Make(type, ballot, entries: [Entry(5, new Ballot(41, 1), 2), Entry(6, ballot, 0), Entry(7, new Ballot(40, 2), 1)]),
            _ => Make(type, ballot),
        };
    }

    public static Message Make(MessageType type, Ballot ballot, Batch? batch = null, IReadOnlyList<LogEntry>? entries = null, long slot = 9) => new()
    {
        Type = type,
        From = 2,
        To = 3,
        Ballot = ballot,
        Slot = slot,
        CommitIndex = 8,
        EchoCommitIndex = -4,
        RequestTick = long.MaxValue - 1,
        Batch = batch,
        Entries = entries ?? [],
    };

    public static IEnumerable<object[]> AllTypes() => Enum.GetValues<MessageType>().Select(t => new object[] { t });

    public static void AssertEqual(Message expected, Message actual)
    {
        Assert.Equal(expected.Type, actual.Type);
        Assert.Equal(expected.From, actual.From);
        Assert.Equal(expected.To, actual.To);
        Assert.Equal(expected.Ballot, actual.Ballot);
        Assert.Equal(expected.Slot, actual.Slot);
        Assert.Equal(expected.CommitIndex, actual.CommitIndex);
        Assert.Equal(expected.EchoCommitIndex, actual.EchoCommitIndex);
        Assert.Equal(expected.RequestTick, actual.RequestTick);
        AssertEqual(expected.Batch, actual.Batch);
        Assert.Equal(expected.Entries.Count, actual.Entries.Count);
        for (var i = 0; i < expected.Entries.Count; i++)
        {
            Assert.Equal(expected.Entries[i].Slot, actual.Entries[i].Slot);
            Assert.Equal(expected.Entries[i].Ballot, actual.Entries[i].Ballot);
            AssertEqual(expected.Entries[i].Batch, actual.Entries[i].Batch);
        }
    }

    private static void AssertEqual(Batch? expected, Batch? actual)
    {
        if (expected is null)
        {
            Assert.Null(actual);
            return;
        }
        Assert.NotNull(actual);
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.TimestampMs, actual.TimestampMs);
        Assert.Equal(expected.Commands.Count, actual.Commands.Count);
        for (var i = 0; i < expected.Commands.Count; i++)
        {
            Assert.Equal(expected.Commands[i].ClientId, actual.Commands[i].ClientId);
            Assert.Equal(expected.Commands[i].Sequence, actual.Commands[i].Sequence);
            Assert.Equal(expected.Commands[i].TimestampMs, actual.Commands[i].TimestampMs);
            Assert.Equal(expected.Commands[i].Payload.ToArray(), actual.Commands[i].Payload.ToArray());
        }
    }
}
