namespace Paxuby.Consensus;

/// <summary>
/// Identifies a batch by the ballot and slot it was first proposed under. A leader proposes one
/// batch per slot per ballot, so the id is unique; re-proposals keep it, which lets a leader tell
/// whether the value decided in a slot is the one it proposed (reads through the log rely on it).
/// </summary>
public readonly record struct BatchId(Ballot Ballot, long Slot)
{
    public override string ToString() => $"{Ballot}@{Slot}";
}

/// <summary>
/// The value decided in one slot: the commands that arrived while earlier slots were in flight,
/// and the leader's timestamp. A leader keeps its own batches' timestamps monotonic, but a value
/// re-proposed from an older leader may sit above a newer one with a lower timestamp, so the
/// applier's clock is the maximum over the applied prefix. An empty batch is a no-op
/// (gap fill, the new leader's first own-ballot entry, or a read marker).
/// </summary>
public sealed class Batch
{
    public Batch(BatchId id, long timestampMs, IReadOnlyList<Command> commands)
    {
        Id = id;
        TimestampMs = timestampMs;
        Commands = PackedCommands.Pack(commands);
    }

    public static Batch NoOp(BatchId id, long timestampMs) => new(id, timestampMs, PackedCommands.Empty);

    public BatchId Id { get; }

    /// <summary>max(leader's previous batch timestamp, newest command timestamp).</summary>
    public long TimestampMs { get; }

    public PackedCommands Commands { get; }

    public bool IsNoOp => Commands.Count == 0;

    public int SizeBytes => Commands.SizeBytes;

    public override string ToString() => $"batch({Id}, {Commands.Count} cmds, t={TimestampMs})";
}
