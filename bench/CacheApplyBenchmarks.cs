using System.Buffers;
using BenchmarkDotNet.Attributes;
using Paxuby.Cache;
using Paxuby.Resp;

namespace Paxuby.Bench;

/// <summary>
/// The state machine's cost per command: Apply of SET and INCR (the write path, as every replica
/// runs it) and Read of GET, over 100,000 keys with 100-byte values.
/// </summary>
[MemoryDiagnoser]
public class CacheApplyBenchmarks
{
    private const int KeyCount = 100_000;
    private readonly CacheStateMachine _cache = new();
    private readonly ArrayBufferWriter<byte> _reply = new(4096);
    private byte[][] _sets = [];
    private byte[][] _gets = [];
    private byte[] _incr = [];
    private int _next;
    private long _timestampMs = 1_800_000_000_000;

    [GlobalSetup]
    public void Setup()
    {
        var commands = new EncodedCommands(KeyCount);
        _sets = commands.Sets;
        _gets = commands.Gets;
        for (int i = 0; i < KeyCount; i++)
        {
            _cache.Apply(_timestampMs, _sets[i], _reply);
            _reply.ResetWrittenCount();
        }
        _incr = CacheCommandCodec.EncodeSingle(0, 2, RespCommand.Of("INCR", "counter"));
    }

    [Benchmark]
    public int ApplySet()
    {
        _reply.ResetWrittenCount();
        _cache.Apply(++_timestampMs, _sets[_next++ % KeyCount], _reply);
        return _reply.WrittenCount;
    }

    [Benchmark]
    public int ApplyIncr()
    {
        _reply.ResetWrittenCount();
        _cache.Apply(++_timestampMs, _incr, _reply);
        return _reply.WrittenCount;
    }

    [Benchmark]
    public int ReadGet()
    {
        _reply.ResetWrittenCount();
        _cache.Read(_timestampMs, _gets[_next++ % KeyCount], _reply);
        return _reply.WrittenCount;
    }
}
