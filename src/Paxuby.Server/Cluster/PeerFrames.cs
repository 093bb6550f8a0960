using Paxuby.Consensus;

namespace Paxuby.Server.Cluster;

/// <summary>What one replica sends another besides Paxos messages: client work forwarded to the leader, and its answers.</summary>
internal abstract record PeerFrame(int From, int To);

/// <summary>A client's write, entered at replica <c>From</c>, for the leader to propose.</summary>
internal sealed record ForwardedWrite(int From, int To, Command Command) : PeerFrame(From, To);

/// <summary>A client's read, entered at replica <c>From</c>, for the leader to serve linearizably.</summary>
internal sealed record ForwardedRead(int From, int To, long ReadId, byte[] Command) : PeerFrame(From, To);

/// <summary>The leader's reply to a forwarded write (keyed by client and sequence) or read (keyed by read id).</summary>
internal sealed record ForwardedReply(int From, int To, ForwardedReplyKind Kind, long ClientOrReadId, long Sequence, byte[] Reply) : PeerFrame(From, To);

/// <summary>Bytes of a snapshot file for a replica too far behind for the log: <c>Offset</c> into a file of <c>TotalLength</c>.</summary>
internal sealed record SnapshotChunk(int From, int To, long Slot, long TotalLength, long Offset, byte[] Data) : PeerFrame(From, To);

/// <summary>The receiver holds the first <c>Received</c> bytes of the snapshot of <c>Slot</c>; <c>Rejected</c>: the last chunk was not where it expected.</summary>
internal sealed record SnapshotAck(int From, int To, long Slot, long Received, bool Rejected) : PeerFrame(From, To);

internal enum ForwardedReplyKind : byte
{
    Write = 1,
    Read = 2,
}

/// <summary>
/// Where a replica's outgoing traffic goes: in-memory links between replicas of one process, or
/// TCP links between processes. Delivery is best effort, as on any network: Paxos retransmits and
/// forwarded work is retried with the same (client, sequence), so a lost frame costs time, not safety.
/// </summary>
internal interface IPeerChannel
{
    void Send(Message message);

    void Send(PeerFrame frame);
}
