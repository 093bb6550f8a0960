namespace Paxuby.Consensus;

/// <summary>
/// Message kinds. The numbers go on the wire and into logs: they are append-only, never reused.
/// </summary>
public enum MessageType : byte
{
    /// <summary>Phase 1a: a candidate asks for a promise on <see cref="Message.Ballot"/>.</summary>
    Prepare = 1,

    /// <summary>Phase 1b: the acceptor promised; carries its accepted entries above the candidate's commit index.</summary>
    Promise = 2,

    /// <summary>Phase 2a: the leader asks to accept <see cref="Message.Batch"/> in <see cref="Message.Slot"/>.</summary>
    Accept = 3,

    /// <summary>Phase 2b: the acceptor accepted (and persisted) the slot's value.</summary>
    Accepted = 4,

    /// <summary>The leader is alive; carries its commit index and renews leases.</summary>
    Heartbeat = 5,

    /// <summary>Reply to a heartbeat or a catch-up: renews the lease, reports the commit index.</summary>
    HeartbeatAck = 6,

    /// <summary>
    /// Refusal: the acceptor has promised the higher <see cref="Message.Ballot"/>. A Nack that carries
    /// the Prepare's own ballot instead says "my snapshot floor (<see cref="Message.Slot"/>) is above
    /// your commit index, I cannot promise you; my commit index is <see cref="Message.CommitIndex"/>".
    /// </summary>
    Nack = 7,

    /// <summary>Decided entries for a replica that is behind.</summary>
    CatchUp = 8,
}

/// <summary>
/// One protocol message, plain data like raftpb.Message: which fields matter depends on
/// <see cref="Type"/>. Requests from a leader or candidate carry <see cref="RequestTick"/>; a
/// reply echoes it, so the leader dates a lease from when it sent the request.
/// </summary>
public sealed class Message
{
    public MessageType Type { get; init; }

    public int From { get; init; }

    public int To { get; init; }

    /// <summary>The sender's ballot; in a Nack the ballot the acceptor has promised.</summary>
    public Ballot Ballot { get; init; }

    /// <summary>Accept/Accepted: the slot.</summary>
    public long Slot { get; init; }

    /// <summary>The sender's commit index: every slot up to it is decided.</summary>
    public long CommitIndex { get; init; }

    /// <summary>Replies: the commit index the request carried; a reply below it asks for catch-up.</summary>
    public long EchoCommitIndex { get; init; }

    /// <summary>Requests: the sender's tick at sending. Replies: the request's value, echoed.</summary>
    public long RequestTick { get; init; }

    /// <summary>Accept: the value.</summary>
    public Batch? Batch { get; init; }

    /// <summary>Promise: accepted entries; CatchUp: decided entries. Ascending slots.</summary>
    public IReadOnlyList<LogEntry> Entries { get; init; } = Array.Empty<LogEntry>();

    public override string ToString()
    {
        var text = $"{Type} {From}->{To} b={Ballot}";
        return Type switch
        {
            MessageType.Accept => $"{text} slot={Slot} c={CommitIndex} {Batch}",
            MessageType.Accepted => $"{text} slot={Slot} c={CommitIndex}",
            MessageType.Prepare or MessageType.Heartbeat => $"{text} c={CommitIndex}",
            MessageType.Promise or MessageType.CatchUp => $"{text} c={CommitIndex} entries={Entries.Count}",
            _ => $"{text} c={CommitIndex}",
        };
    }
}
