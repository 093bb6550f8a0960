using Paxuby.Resp;

namespace Paxuby.Cache;

/// <summary>
/// Everything a command handler may use: its arguments, the reply writer, the keyspace, the
/// selected database and the time. On the write path <see cref="NowMs"/> is the log entry's
/// timestamp; on the read path it is the serving replica's clock and nothing may change.
/// </summary>
public ref struct CommandContext
{
    public CommandContext(RespCommand args, RespWriter reply, Keyspace keyspace, int db, long nowMs, bool isWrite)
    {
        Args = args;
        Reply = reply;
        Keyspace = keyspace;
        Db = db;
        NowMs = nowMs;
        IsWrite = isWrite;
    }

    public RespCommand Args { get; }

    public RespWriter Reply { get; }

    public Keyspace Keyspace { get; }

    /// <summary>The selected database; SELECT inside a transaction changes it for what follows.</summary>
    public int Db { get; set; }

    public long NowMs { get; }

    /// <summary>True on the write path (Apply), false on the read path.</summary>
    public bool IsWrite { get; }

    public readonly Database Database => Keyspace[Db];
}
