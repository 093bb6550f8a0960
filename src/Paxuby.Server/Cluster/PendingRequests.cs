using Paxuby.Consensus;

namespace Paxuby.Server.Cluster;

/// <summary>A write waiting to be decided and applied; answered by the first replica that applies it.</summary>
internal sealed class PendingWrite(Command command, long deadlineTick)
{
    public Command Command { get; } = command;

    public long DeadlineTick { get; } = deadlineTick;

    /// <summary>Null for the loop's own commands (the expiry sweep), which nobody waits for.</summary>
    public ReplyPromise? Done { get; init; }

    /// <summary>True once any leader queued it: from then on a timeout cannot say it was not applied.</summary>
    public bool EverProposed { get; set; }

    /// <summary>Its place in the order this replica received writes; retries keep it.</summary>
    public long Order { get; set; }

    /// <summary>True when it was last sent to a leader elsewhere (rather than proposed here).</summary>
    public bool Forwarded { get; set; }

    /// <summary>True while it waits in the replica's proposal queue.</summary>
    public bool Queued { get; set; }

    /// <summary>The tick it was last handed to a leader; -1 while it waits for one.</summary>
    public long ProposedAtTick { get; set; } = -1;
}

/// <summary>
/// A read waiting for a leader that may serve it, then for that leader to apply far enough. A read
/// a follower forwarded has no <see cref="Done"/>: its reply goes back over the link.
/// </summary>
internal sealed class PendingRead(long id, byte[] command, long deadlineTick)
{
    public long Id { get; } = id;

    public byte[] Command { get; } = command;

    public long DeadlineTick { get; } = deadlineTick;

    public required ReplyPromise? Done { get; init; }

    /// <summary>For a forwarded read: the id the follower knows it by.</summary>
    public long OriginReadId { get; init; }

    public long RequestedAtTick { get; set; } = -1;

    /// <summary>Once known: the slot the leader must have applied before serving.</summary>
    public long? ServeAfterSlot { get; set; }
}
