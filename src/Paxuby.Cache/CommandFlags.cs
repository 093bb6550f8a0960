namespace Paxuby.Cache;

/// <summary>What a command does; the server routes by these (writes through the log, reads locally).</summary>
[Flags]
public enum CommandFlags
{
    None = 0,
    /// <summary>Changes data: goes through Apply (the log).</summary>
    Write = 1 << 0,
    /// <summary>Changes nothing: served through Read.</summary>
    ReadOnly = 1 << 1,
    /// <summary>Handled by the server itself (connection, pub/sub, admin), never by the state machine.</summary>
    Server = 1 << 2,
    Fast = 1 << 3,
    DenyOom = 1 << 4,
    Admin = 1 << 5,
    PubSub = 1 << 6,
    NoScript = 1 << 7,
    Loading = 1 << 8,
    Stale = 1 << 9,
    NoAuth = 1 << 10,
    /// <summary>Not allowed inside MULTI (Redis's "no-multi").</summary>
    NoMulti = 1 << 11,
    AllowBusy = 1 << 12,
    SkipSlowlog = 1 << 13,
    NoAsyncLoading = 1 << 14,
}
