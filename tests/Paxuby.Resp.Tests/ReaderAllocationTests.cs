using System.Buffers;
using System.Text;

namespace Paxuby.Resp.Tests;

/// <summary>The reader allocates nothing per command and never what a client merely claims.</summary>
public class ReaderAllocationTests
{
    private static byte[] B(string latin1) => Encoding.Latin1.GetBytes(latin1);

    [Fact]
    public void Claimed_500_megabyte_bulk_with_10_bytes_present_allocates_almost_nothing()
    {
        var buffer = new ReadOnlySequence<byte>(B("*2\r\n$3\r\nSET\r\n$524288000\r\n0123456789"));
        var command = new RespCommand();
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.False(RespReader.TryReadCommand(ref buffer, command, RespLimits.Default));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 * 1024);
    }

    [Fact]
    public void Claimed_two_billion_arguments_with_one_present_allocates_almost_nothing()
    {
        var buffer = new ReadOnlySequence<byte>(B("*2147483647\r\n$4\r\nPING\r\n"));
        var command = new RespCommand();
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.False(RespReader.TryReadCommand(ref buffer, command, RespLimits.Default));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 * 1024);
    }

    [Theory]
    [InlineData("*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n")]
    [InlineData("SET \"key\" 'value'\r\n")]
    public void Reading_a_command_once_the_buffers_have_grown_allocates_nothing(string text)
    {
        byte[] input = B(text);
        var command = new RespCommand();
        ReadOnlySequence<byte> whole = new(input);
        ReadOnlySequence<byte> pieces = Sequences.Chunked(input, 3);
        ReadTwice(whole, command);
        ReadTwice(pieces, command);

        long before = GC.GetAllocatedBytesForCurrentThread();
        ReadTwice(whole, command);
        ReadTwice(pieces, command);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static void ReadTwice(ReadOnlySequence<byte> buffer, RespCommand command)
    {
        for (int i = 0; i < 2; i++)
        {
            ReadOnlySequence<byte> copy = buffer;
            if (!RespReader.TryReadCommand(ref copy, command, RespLimits.Default)) throw new InvalidOperationException("incomplete");
        }
    }
}
