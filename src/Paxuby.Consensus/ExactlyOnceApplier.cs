using System.Buffers;
using System.Buffers.Binary;

namespace Paxuby.Consensus;

public enum ApplyOutcome : byte
{
    /// <summary>First time: the state machine applied it.</summary>
    Applied = 1,

    /// <summary>A retry of the client's last command: not applied again; the first reply is returned.</summary>
    Duplicate = 2,

    /// <summary>Older than the client's last command: not applied; its reply is gone (the client moved on).</summary>
    Stale = 3,
}

/// <summary>The outcome of one decided command.</summary>
public readonly record struct AppliedCommand(long ClientId, long Sequence, ApplyOutcome Outcome, byte[]? Reply);

/// <summary>
/// Applies decided batches to an <see cref="IStateMachine"/> exactly once per (client id, sequence):
/// a command forwarded again after a leader change is decided twice but applied once, and the
/// retry gets the first reply. Deterministic: the table is a function of the applied prefix, and
/// it is written into the snapshot ahead of the inner state machine's. The table is bounded: past
/// <see cref="MaxClients"/> the client whose command was applied longest ago is forgotten (as
/// Raft's client sessions expire), so only a client silent through that many others loses
/// the guarantee for a retry.
/// </summary>
public sealed class ExactlyOnceApplier
{
    private const int SnapshotVersion = 2;

    public const int DefaultMaxClients = 100_000;

    private readonly IStateMachine inner;
    private readonly Dictionary<long, (long Sequence, byte[] Reply)> lastByClient = new();
    // Client ids from least to most recently applied: the eviction order, a function of the log.
    private readonly LinkedList<long> byRecency = new();
    private readonly Dictionary<long, LinkedListNode<long>> recencyNodes = new();
    private readonly ArrayBufferWriter<byte> replyBuffer = new();
    private byte[] lastReply = [];

    public ExactlyOnceApplier(IStateMachine inner, int maxClients = DefaultMaxClients)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxClients, 1);
        this.inner = inner;
        MaxClients = maxClients;
    }

    public int MaxClients { get; }

    public long AppliedSlot { get; private set; }

    /// <summary>The state machine's clock: the newest batch timestamp applied (never goes back).</summary>
    public long LastTimestampMs { get; private set; }

    public int ClientCount => lastByClient.Count;

    /// <summary>Applies the next decided slot; <paramref name="results"/> receives one outcome per command.</summary>
    public void Apply(DecidedSlot decided, List<AppliedCommand>? results = null)
    {
        Invariant.Require(decided.Slot == AppliedSlot + 1, "slots are applied once each, in order");
        // The leader already keeps batch timestamps monotonic; clamping keeps the contract even so.
        LastTimestampMs = Math.Max(LastTimestampMs, decided.Batch.TimestampMs);
        var commands = decided.Batch.Commands;
        for (var i = 0; i < commands.Count; i++)
        {
            var payload = commands.Read(i, out var clientId, out var sequence);
            var result = ApplyCommand(clientId, sequence, payload);
            results?.Add(result);
        }
        AppliedSlot = decided.Slot;
    }

    /// <summary>Serves a read against the applied state, never with a clock behind the applied one.</summary>
    public void Read(long nowMs, ReadOnlySpan<byte> command, IBufferWriter<byte> reply) =>
        inner.Read(Math.Max(nowMs, LastTimestampMs), command, reply);

    private AppliedCommand ApplyCommand(long clientId, long sequence, ReadOnlySpan<byte> payload)
    {
        if (lastByClient.TryGetValue(clientId, out var last))
        {
            if (sequence == last.Sequence)
            {
                return new AppliedCommand(clientId, sequence, ApplyOutcome.Duplicate, last.Reply);
            }
            if (sequence < last.Sequence)
            {
                return new AppliedCommand(clientId, sequence, ApplyOutcome.Stale, null);
            }
        }
        replyBuffer.Clear();
        inner.Apply(LastTimestampMs, payload, replyBuffer);
        // Replies are never changed once made, so a run of equal ones (a stream of SETs' OKs) shares one array.
        var reply = replyBuffer.WrittenSpan.SequenceEqual(lastReply) ? lastReply : replyBuffer.WrittenSpan.ToArray();
        lastReply = reply;
        Remember(clientId, sequence, reply);
        return new AppliedCommand(clientId, sequence, ApplyOutcome.Applied, reply);
    }

    private void Remember(long clientId, long sequence, byte[] reply)
    {
        lastByClient[clientId] = (sequence, reply);
        if (recencyNodes.TryGetValue(clientId, out var node))
        {
            // The client's node moves to the end rather than being replaced: no allocation per command.
            byRecency.Remove(node);
            byRecency.AddLast(node);
        }
        else
        {
            recencyNodes[clientId] = byRecency.AddLast(clientId);
        }
        if (lastByClient.Count > MaxClients)
        {
            var oldest = byRecency.First!.Value;
            byRecency.RemoveFirst();
            recencyNodes.Remove(oldest);
            lastByClient.Remove(oldest);
        }
    }

    /// <summary>Writes slot, clock and the client table (least recently applied first), then the inner snapshot.</summary>
    public void Snapshot(Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        CaptureSnapshot()(destination);
    }

    /// <summary>
    /// The table and the inner state as of now (see <see cref="IStateMachine.CaptureSnapshot"/>):
    /// replies are never changed once stored, so the table is captured by reference.
    /// </summary>
    public Action<Stream> CaptureSnapshot()
    {
        var appliedSlot = AppliedSlot;
        var lastTimestampMs = LastTimestampMs;
        var rows = new (long ClientId, long Sequence, byte[] Reply)[lastByClient.Count];
        var i = 0;
        foreach (var clientId in byRecency)
        {
            var (sequence, reply) = lastByClient[clientId];
            rows[i++] = (clientId, sequence, reply);
        }
        var inner = this.inner.CaptureSnapshot();
        return destination =>
        {
            Span<byte> header = stackalloc byte[4 + 8 + 8 + 4];
            BinaryPrimitives.WriteInt32LittleEndian(header, SnapshotVersion);
            BinaryPrimitives.WriteInt64LittleEndian(header[4..], appliedSlot);
            BinaryPrimitives.WriteInt64LittleEndian(header[12..], lastTimestampMs);
            BinaryPrimitives.WriteInt32LittleEndian(header[20..], rows.Length);
            destination.Write(header);
            Span<byte> row = stackalloc byte[8 + 8 + 4];
            foreach (var (clientId, sequence, reply) in rows)
            {
                BinaryPrimitives.WriteInt64LittleEndian(row, clientId);
                BinaryPrimitives.WriteInt64LittleEndian(row[8..], sequence);
                BinaryPrimitives.WriteInt32LittleEndian(row[16..], reply.Length);
                destination.Write(row);
                destination.Write(reply);
            }
            inner(destination);
        };
    }

    public void Restore(Stream source)
    {
        ArgumentNullException.ThrowIfNull(source);
        Span<byte> header = stackalloc byte[4 + 8 + 8 + 4];
        source.ReadExactly(header);
        if (BinaryPrimitives.ReadInt32LittleEndian(header) != SnapshotVersion)
        {
            throw new InvalidDataException("unknown exactly-once snapshot version");
        }
        var appliedSlot = BinaryPrimitives.ReadInt64LittleEndian(header[4..]);
        var lastTimestampMs = BinaryPrimitives.ReadInt64LittleEndian(header[12..]);
        var count = BinaryPrimitives.ReadInt32LittleEndian(header[20..]);
        if (count < 0)
        {
            throw new InvalidDataException("negative client count in snapshot");
        }
        var table = new List<(long ClientId, long Sequence, byte[] Reply)>(Math.Min(count, 4096));
        Span<byte> row = stackalloc byte[8 + 8 + 4];
        for (var i = 0; i < count; i++)
        {
            source.ReadExactly(row);
            var length = BinaryPrimitives.ReadInt32LittleEndian(row[16..]);
            if (length < 0)
            {
                throw new InvalidDataException("negative reply length in snapshot");
            }
            var reply = new byte[length];
            source.ReadExactly(reply);
            table.Add((BinaryPrimitives.ReadInt64LittleEndian(row), BinaryPrimitives.ReadInt64LittleEndian(row[8..]), reply));
        }
        inner.Restore(source);
        lastByClient.Clear();
        byRecency.Clear();
        recencyNodes.Clear();
        foreach (var (clientId, sequence, reply) in table)
        {
            Remember(clientId, sequence, reply);
        }
        AppliedSlot = appliedSlot;
        LastTimestampMs = lastTimestampMs;
    }
}
