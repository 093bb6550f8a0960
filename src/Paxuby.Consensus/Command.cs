namespace Paxuby.Consensus;

/// <summary>
/// One client command as proposed. (ClientId, Sequence) identifies it across retries so that
/// <see cref="ExactlyOnceApplier"/> applies it once; <see cref="TimestampMs"/> is the proposing
/// driver's clock, from which the leader derives the batch timestamp.
/// </summary>
public sealed class Command
{
    /// <summary>Fixed per-command overhead counted against batch and queue byte limits.</summary>
    public const int OverheadBytes = 24;

    public Command(long clientId, long sequence, long timestampMs, ReadOnlyMemory<byte> payload)
    {
        ClientId = clientId;
        Sequence = sequence;
        TimestampMs = timestampMs;
        Payload = payload;
    }

    public long ClientId { get; }

    /// <summary>Increases by one per new request of a client; a retry reuses it.</summary>
    public long Sequence { get; }

    public long TimestampMs { get; }

    /// <summary>The state machine's command bytes; never mutated after proposing.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    public int SizeBytes => Payload.Length + OverheadBytes;

    public override string ToString() => $"cmd({ClientId}#{Sequence}, {Payload.Length}B)";
}
