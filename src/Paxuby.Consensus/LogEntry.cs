namespace Paxuby.Consensus;

/// <summary>An acceptor's accepted value for one slot and the ballot it was accepted under.</summary>
public sealed record LogEntry(long Slot, Ballot Ballot, Batch Batch);
