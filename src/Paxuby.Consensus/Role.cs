namespace Paxuby.Consensus;

public enum Role : byte
{
    Follower = 1,
    Candidate = 2,
    Leader = 3,
}

/// <summary>A replica's role, the leader it follows (-1 when unknown) and its promised ballot.</summary>
public readonly record struct RoleState(Role Role, int LeaderId, Ballot Ballot);
