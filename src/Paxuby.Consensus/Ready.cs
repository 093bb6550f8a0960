namespace Paxuby.Consensus;

/// <summary>
/// Everything a <see cref="Replica"/> asks its driver to do, taken with <see cref="Replica.GetReady"/>
/// and acknowledged with <see cref="Replica.Advance"/>. The driver's loop:
/// <list type="number">
/// <item>send <see cref="EagerMessages"/> (at once, or while writing);</item>
/// <item>apply <see cref="Decided"/> in order and serve each of <see cref="Reads"/> once the state
///   machine has applied its slot (before, while or after Persist is written);</item>
/// <item>write <see cref="Persist"/> and make it durable (fsync);</item>
/// <item>send <see cref="Messages"/>; answer <see cref="FailedReads"/> with a retry/redirect;</item>
/// <item>call <see cref="Replica.Advance"/> with this Ready.</item>
/// </list>
/// The rules: everything in <see cref="Persist"/> must be durable before any message in
/// <see cref="Messages"/> is sent (a promise or an accepted value is on disk before the message that
/// reveals it); decided slots are applied once each, in slot order, with no gaps. A decided slot
/// needs nothing of this Ready's Persist: it is durable on a majority already, since no replica's
/// vote counts before its own write of it is durable (the leader's only after Advance). Step, Tick,
/// Propose and Read may be called between GetReady and Advance; GetReady may not.
/// </summary>
public sealed class Ready
{
    internal Ready(
        PersistRecords persist,
        IReadOnlyList<Message> eagerMessages,
        IReadOnlyList<Message> messages,
        IReadOnlyList<DecidedSlot> decided,
        IReadOnlyList<ReadState> reads,
        IReadOnlyList<long> failedReads,
        IReadOnlyList<Command> droppedProposals,
        RoleState? roleChange,
        IReadOnlyList<int> snapshotsToSend)
    {
        SnapshotsToSend = snapshotsToSend;
        Persist = persist;
        EagerMessages = eagerMessages;
        Messages = messages;
        Decided = decided;
        Reads = reads;
        FailedReads = failedReads;
        DroppedProposals = droppedProposals;
        RoleChange = roleChange;
    }

    /// <summary>Durable changes: promised ballot, accepted entries, commit index.</summary>
    public PersistRecords Persist { get; }

    /// <summary>
    /// Messages that reveal nothing in <see cref="Persist"/> (the leader's Accepts, Prepares,
    /// heartbeats, catch-up): they may go before or while Persist is written, which is how the
    /// leader's own log write overlaps the Accept round trip. The leader counts its own vote only
    /// after <see cref="Replica.Advance"/>, i.e. once its write is durable.
    /// </summary>
    public IReadOnlyList<Message> EagerMessages { get; }

    /// <summary>Messages to send only after <see cref="Persist"/> is durable (Promise, Accepted, acks).</summary>
    public IReadOnlyList<Message> Messages { get; }

    /// <summary>Decided slots to apply, consecutive, starting right after the last applied slot.</summary>
    public IReadOnlyList<DecidedSlot> Decided { get; }

    /// <summary>Reads that may be served once the state machine has applied <see cref="ReadState.Slot"/>.</summary>
    public IReadOnlyList<ReadState> Reads { get; }

    /// <summary>Reads that this replica cannot serve (it lost leadership): retry or redirect them.</summary>
    public IReadOnlyList<long> FailedReads { get; }

    /// <summary>
    /// Queued commands that will never be proposed here (leadership was lost before they left the
    /// queue): answer them with a redirect. Commands already in a batch are not listed: they may still be decided.
    /// </summary>
    public IReadOnlyList<Command> DroppedProposals { get; }

    /// <summary>
    /// Peers (replica ids, each at most once) that need slots this leader has compacted away: send
    /// each the newest durable snapshot of the state machine, out of band (in chunks, not as a
    /// <see cref="Message"/>), together with the slot it covers (at least <see cref="Replica.SnapshotSlot"/>,
    /// since <see cref="Replica.Compact"/> follows a durable snapshot). Nothing in <see cref="Persist"/>
    /// needs to be durable first (a snapshot holds only decided slots). The receiving driver, between
    /// Advance and GetReady, checks that the slot is above its <see cref="Replica.AppliedIndex"/>,
    /// restores its state machine, makes the snapshot durable (<see cref="DurableState.CompactThrough"/>)
    /// and calls <see cref="Replica.InstallSnapshot"/>. A lost transfer is asked for again later.
    /// </summary>
    public IReadOnlyList<int> SnapshotsToSend { get; }

    /// <summary>The new role/leader when it changed since the previous Ready.</summary>
    public RoleState? RoleChange { get; }

    public bool IsEmpty =>
        Persist.IsEmpty && EagerMessages.Count == 0 && Messages.Count == 0 && Decided.Count == 0
        && Reads.Count == 0 && FailedReads.Count == 0 && DroppedProposals.Count == 0 && RoleChange is null
        && SnapshotsToSend.Count == 0;
}

/// <summary>A decided slot and its value.</summary>
public readonly record struct DecidedSlot(long Slot, Batch Batch);

/// <summary>A read that may be served after the state machine has applied <paramref name="Slot"/>.</summary>
public readonly record struct ReadState(long ReadId, long Slot);
