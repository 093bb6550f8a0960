using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Paxuby.Resp;

namespace Paxuby.Bench;

/// <summary>Parsing commands as they arrive from clients: one SET/GET, and a pipelined batch of 16.</summary>
[MemoryDiagnoser]
public class RespParserBenchmarks
{
    private readonly RespCommand _command = new();
    private ReadOnlySequence<byte> _set;
    private ReadOnlySequence<byte> _get;
    private ReadOnlySequence<byte> _pipeline;
    private ReadOnlySequence<byte> _inline;

    [GlobalSetup]
    public void Setup()
    {
        string value = new('v', 100);
        _set = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes($"*3\r\n$3\r\nSET\r\n$12\r\nkey:00012345\r\n$100\r\n{value}\r\n"));
        _get = new ReadOnlySequence<byte>("*2\r\n$3\r\nGET\r\n$12\r\nkey:00012345\r\n"u8.ToArray());
        _pipeline = new ReadOnlySequence<byte>(Enumerable.Repeat(_set.ToArray(), 16).SelectMany(b => b).ToArray());
        _inline = new ReadOnlySequence<byte>("SET key:00012345 \"some value\"\r\n"u8.ToArray());
    }

    [Benchmark]
    public int ParseSet()
    {
        ReadOnlySequence<byte> buffer = _set;
        RespReader.TryReadCommand(ref buffer, _command, RespLimits.Default);
        return _command.Count;
    }

    [Benchmark]
    public int ParseGet()
    {
        ReadOnlySequence<byte> buffer = _get;
        RespReader.TryReadCommand(ref buffer, _command, RespLimits.Default);
        return _command.Count;
    }

    [Benchmark(OperationsPerInvoke = 16)]
    public int ParsePipelinedSets()
    {
        ReadOnlySequence<byte> buffer = _pipeline;
        int parsed = 0;
        while (RespReader.TryReadCommand(ref buffer, _command, RespLimits.Default)) parsed++;
        return parsed;
    }

    [Benchmark]
    public int ParseInline()
    {
        ReadOnlySequence<byte> buffer = _inline;
        RespReader.TryReadCommand(ref buffer, _command, RespLimits.Default);
        return _command.Count;
    }
}
