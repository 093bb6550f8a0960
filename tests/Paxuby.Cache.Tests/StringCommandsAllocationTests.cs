using System.Buffers;
using Paxuby.Resp;

namespace Paxuby.Cache.Tests;

/// <summary>
/// The hot string commands allocate nothing but the stored value: handlers are called directly
/// (as the state machine does) with a reused argument buffer and reply buffer.
/// </summary>
public sealed class StringCommandsAllocationTests
{
    private const int Rounds = 100;
    private const long NowMs = 1_700_000_000_000;

    private readonly Keyspace _keyspace = new();
    private readonly ArrayBufferWriter<byte> _output = new(1 << 16);

    [Theory]
    [InlineData("GET", "key")]
    [InlineData("GET", "missing")]
    [InlineData("MGET", "key", "missing", "key")]
    [InlineData("STRLEN", "key")]
    [InlineData("GETRANGE", "key", "1", "-2")]
    [InlineData("GETEX", "key")]
    [InlineData("SETNX", "key", "other")]
    public void Reading_commands_allocate_nothing(params string[] command)
    {
        Run(isWrite: true, "SET", "key", "some value");
        Assert.Equal(0, AllocatedBytes(command));
    }

    [Theory]
    [InlineData("INCR")]
    [InlineData("DECR")]
    public void Incr_of_a_counter_whose_length_stays_allocates_nothing(string command)
    {
        Run(isWrite: true, "SET", "counter", "5000");
        Assert.Equal(0, AllocatedBytes(command, "counter"));
    }

    [Theory]
    [InlineData("10.5", "0.1")]
    [InlineData("1000.19999999999999996", "-0.3")]
    [InlineData("5000", "1e2")]
    public void Incrbyfloat_of_ordinary_numbers_allocates_only_the_new_value(string start, string increment)
    {
        Run(isWrite: true, "SET", "f", start);
        long perValue = 48; // the new text: at most 22 bytes here, plus 24 bytes of array header
        Assert.InRange(AllocatedBytes("INCRBYFLOAT", "f", increment), 1, Rounds * perValue);
    }

    [Fact]
    public void Set_of_an_existing_key_with_a_value_of_the_same_length_allocates_nothing()
    {
        Run(isWrite: true, "SET", "key", "some value");
        Assert.Equal(0, AllocatedBytes("SET", "key", "0123456789"));
    }

    [Fact]
    public void Set_that_changes_a_values_length_allocates_only_the_value()
    {
        RespCommand longer = RespCommand.Of("SET", "key", "0123456789");
        RespCommand shorter = RespCommand.Of("SET", "key", "012345678");
        CommandInfo set = CommandTable.Find("SET"u8)!;
        Run(set, longer);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Rounds; i++) Run(set, i % 2 == 0 ? shorter : longer);
        long perValue = 40; // a byte[] of 9 or 10 bytes on 64-bit: 24 bytes of header and length, rounded up to 8
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 1, Rounds * perValue);
    }

    private long AllocatedBytes(params string[] command)
    {
        RespCommand args = RespCommand.Of(command);
        CommandInfo info = CommandTable.Find(args[0])!;
        for (int i = 0; i < 3; i++) Run(info, args);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Rounds; i++) Run(info, args);
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    private void Run(bool isWrite, params string[] command)
    {
        RespCommand args = RespCommand.Of(command);
        Run(CommandTable.Find(args[0])!, args, isWrite);
    }

    private void Run(CommandInfo info, RespCommand args, bool isWrite = true)
    {
        _output.ResetWrittenCount();
        var context = new CommandContext(args, new RespWriter(_output), _keyspace, 0, NowMs, isWrite);
        info.Handler!(ref context);
    }
}
