using System.Buffers;
using BenchmarkDotNet.Attributes;
using Paxuby.Resp;

namespace Paxuby.Bench;

/// <summary>Writing the replies of GET and SET into a reused buffer.</summary>
[MemoryDiagnoser]
public class RespWriterBenchmarks
{
    private readonly ArrayBufferWriter<byte> _output = new(4096);
    private readonly byte[] _value = new byte[100];

    [Benchmark]
    public int WriteBulkReply()
    {
        _output.ResetWrittenCount();
        new RespWriter(_output).WriteBulkString(_value);
        return _output.WrittenCount;
    }

    [Benchmark]
    public int WriteOkAndInteger()
    {
        _output.ResetWrittenCount();
        var writer = new RespWriter(_output);
        writer.WriteOk();
        writer.WriteInteger(1234567);
        return _output.WrittenCount;
    }
}
