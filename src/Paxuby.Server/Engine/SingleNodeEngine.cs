using System.Buffers;
using Paxuby.Cache;

namespace Paxuby.Server.Engine;

/// <summary>
/// A node whose log is itself: every write is applied at once, in the order the lock admits it,
/// with a timestamp that never goes backwards. It is linearizable for every listener that shares
/// it, but keeps nothing across a restart; replication replaces it, not the commands.
/// </summary>
public sealed class SingleNodeEngine : ICommandEngine, IDisposable
{
    private readonly CacheStateMachine _stateMachine = new();
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly ArrayBufferWriter<byte> _reply = new(256);
    private readonly ITimer _sweepTimer;
    private long _lastTimestampMs;
    private long _appliedCommands;

    public SingleNodeEngine(TimeProvider time, TimeSpan sweepInterval)
    {
        _time = time;
        _sweepTimer = time.CreateTimer(_ => SweepExpired(), null, sweepInterval, sweepInterval);
    }

    public ValueTask<byte[]> SubmitWriteAsync(long clientId, long sequence, ReadOnlyMemory<byte> command, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _reply.ResetWrittenCount();
            _stateMachine.Apply(NextTimestampMs(), command.Span, _reply);
            _appliedCommands++;
            return ValueTask.FromResult(_reply.WrittenSpan.ToArray());
        }
    }

    public ValueTask ReadAsync(ReadOnlyMemory<byte> command, IBufferWriter<byte> reply, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _stateMachine.Read(Math.Max(_lastTimestampMs, _time.GetUtcNow().ToUnixTimeMilliseconds()), command.Span, reply);
        }
        return ValueTask.CompletedTask;
    }

    public long GetWatchVersion(int db, ReadOnlySpan<byte> key)
    {
        lock (_gate)
        {
            return _stateMachine.GetWatchVersion(db, key, Math.Max(_lastTimestampMs, _time.GetUtcNow().ToUnixTimeMilliseconds()));
        }
    }

    public EngineStats GetStats()
    {
        lock (_gate)
        {
            var databases = new List<(int, long, long)>();
            foreach (Database db in _stateMachine.Keyspace.Databases)
            {
                if (db.Count > 0) databases.Add((db.Index, db.Count, db.ExpiresCount));
            }
            return new EngineStats(databases, GC.GetTotalMemory(false), _appliedCommands, "master");
        }
    }

    /// <summary>Removes expired keys through the same path as any write, so replicas agree on it.</summary>
    private void SweepExpired()
    {
        lock (_gate)
        {
            bool anyExpiry = false;
            foreach (Database db in _stateMachine.Keyspace.Databases) anyExpiry |= db.ExpiresCount > 0;
            if (!anyExpiry) return;
            _stateMachine.Apply(NextTimestampMs(), CacheCommandCodec.EncodeExpireSweep(), NullBufferWriter.Instance);
        }
    }

    private long NextTimestampMs()
    {
        _lastTimestampMs = Math.Max(_lastTimestampMs, _time.GetUtcNow().ToUnixTimeMilliseconds());
        return _lastTimestampMs;
    }

    public void Dispose() => _sweepTimer.Dispose();
}
