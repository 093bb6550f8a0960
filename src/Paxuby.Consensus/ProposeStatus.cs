namespace Paxuby.Consensus;

public enum ProposeStatus : byte
{
    /// <summary>Queued; it goes out in the next batch the window allows.</summary>
    Accepted = 1,

    /// <summary>This replica is not the leader: redirect to <see cref="Replica.LeaderId"/>.</summary>
    NotLeader = 2,

    /// <summary>The proposal queue is full: back off and retry.</summary>
    Busy = 3,

    /// <summary>The command alone exceeds the batch byte limit.</summary>
    TooLarge = 4,
}

public enum ReadStatus : byte
{
    /// <summary>The read appears in a later <see cref="Ready.Reads"/> or <see cref="Ready.FailedReads"/>.</summary>
    Pending = 1,

    NotLeader = 2,

    Busy = 3,
}
