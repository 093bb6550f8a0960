using System.Buffers;
using System.Text;

namespace Paxuby.Resp.Tests;

/// <summary>
/// Every valid input gives the same commands however it is cut: whole, in two segments at every
/// byte boundary, and delivered piece by piece as a socket would.
/// </summary>
public class ReaderValidInputTests
{
    private static byte[] B(string latin1) => Encoding.Latin1.GetBytes(latin1);

    public static readonly TheoryData<string, byte[], ReadCommand[]> Cases = new()
    {
        { "multibulk PING", B("*1\r\n$4\r\nPING\r\n"), [ReadCommand.Multibulk("PING")] },
        {
            "multibulk with binary, empty and CRLF-containing arguments",
            B("*5\r\n$3\r\nSET\r\n$0\r\n\r\n$4\r\n\r\n\r\n\r\n$3\r\n\0\xff*\r\n$2\r\n$1\r\n"),
            [ReadCommand.Multibulk("SET", "", "\r\n\r\n", "\0\xff*", "$1")]
        },
        { "bytes after a payload are skipped unchecked", B("*1\r\n$4\r\nPINGxx"), [ReadCommand.Multibulk("PING")] },
        { "the byte after a count line's CR is skipped unchecked", B("*1\rX$4\rXPING\r\n"), [ReadCommand.Multibulk("PING")] },
        {
            "empty and null arrays are consumed as empty commands",
            B("*0\r\n*-1\r\n*-5\r\n*1\r\n$4\r\nPING\r\n"),
            [ReadCommand.Multibulk(), ReadCommand.Multibulk(), ReadCommand.Multibulk(), ReadCommand.Multibulk("PING")]
        },
        { "inline with CRLF", B("SET key value\r\n"), [ReadCommand.Inline("SET", "key", "value")] },
        { "inline with LF only and tabs", B("ECHO\ta\t\tb\n"), [ReadCommand.Inline("ECHO", "a", "b")] },
        {
            "empty inline lines are consumed as empty commands",
            B("\r\n\n   \r\n\t\n"),
            [ReadCommand.Inline(), ReadCommand.Inline(), ReadCommand.Inline(), ReadCommand.Inline()]
        },
        {
            "inline double and single quotes",
            B("SET \"a key\" 'a value' \"\" ''\r\n"),
            [ReadCommand.Inline("SET", "a key", "a value", "", "")]
        },
        {
            "inline double-quote escapes",
            B("ECHO \"\\x41\\x6a\\n\\r\\t\\b\\a\\\\\\\"\\q\\xZZ\\x4\"\r\n"),
            [ReadCommand.Inline("ECHO", "Aj\n\r\t\b\a\\\"qxZZx4")]
        },
        {
            "inline single quotes know only the escaped quote",
            B("ECHO 'it\\'s' 'a\\nb' 'c\\\\d'\r\n"),
            [ReadCommand.Inline("ECHO", "it's", "a\\nb", "c\\\\d")]
        },
        { "a quote opening mid-argument joins it", B("ECHO a\"b c\"\r\n"), [ReadCommand.Inline("ECHO", "ab c")] },
        {
            "vertical tab separates only between arguments",
            B("\vECHO a\vb \"c\"\v\r\n"),
            [ReadCommand.Inline("ECHO", "a\vb", "c")]
        },
        { "only the CR before LF is dropped", B("ECHO x\r\r\n"), [ReadCommand.Inline("ECHO", "x")] },
        { "a CR inside an inline line separates", B("ECHO a\rb\n"), [ReadCommand.Inline("ECHO", "a", "b")] },
        {
            "pipelined multibulk and inline commands",
            B("*2\r\n$3\r\nGET\r\n$1\r\nk\r\nPING\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\nINCR 'k'\n"),
            [ReadCommand.Multibulk("GET", "k"), ReadCommand.Inline("PING"), ReadCommand.Multibulk("SET", "k", "v"), ReadCommand.Inline("INCR", "k")]
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Whole_input_in_one_segment_gives_the_commands(string scenario, byte[] input, ReadCommand[] expected)
    {
        _ = scenario;
        Assert.Equal(expected, Feed.ReadWhole(new ReadOnlySequence<byte>(input)));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Input_split_in_two_segments_at_every_byte_gives_the_same_commands(string scenario, byte[] input, ReadCommand[] expected)
    {
        _ = scenario;
        for (int at = 0; at <= input.Length; at++)
            Assert.Equal(expected, Feed.ReadWhole(Sequences.SplitAt(input, at)));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Input_in_one_byte_segments_gives_the_same_commands(string scenario, byte[] input, ReadCommand[] expected)
    {
        _ = scenario;
        Assert.Equal(expected, Feed.ReadWhole(Sequences.Chunked(input, 1)));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Input_arriving_byte_by_byte_gives_the_same_commands(string scenario, byte[] input, ReadCommand[] expected)
    {
        _ = scenario;
        Assert.Equal(expected, Feed.Incrementally(input, chunk: 1));
        Assert.Equal(expected, Feed.Incrementally(input, chunk: 7));
    }

    [Fact]
    public void Four_megabyte_bulk_gives_the_same_command_whole_split_and_arriving_in_pieces()
    {
        byte[] value = new byte[4 * 1024 * 1024];
        new Random(42).NextBytes(value);
        byte[] input = [.. B($"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n${value.Length}\r\n"), .. value, .. B("\r\nPING\r\n")];
        ReadCommand[] expected = [new(false, [B("SET"), B("k"), value]), ReadCommand.Inline("PING")];

        var command = new RespCommand();
        Assert.Equal(expected, Feed.ReadWhole(new ReadOnlySequence<byte>(input), reused: command));
        // Every cut through the count lines and the end, and a few through the payload.
        var splits = Enumerable.Range(0, 40)
            .Concat(Enumerable.Range(input.Length - 12, 13))
            .Concat(Enumerable.Range(1, 8).Select(i => i * (input.Length / 9)));
        foreach (int at in splits) Assert.Equal(expected, Feed.ReadWhole(Sequences.SplitAt(input, at), reused: command));
        Assert.Equal(expected, Feed.Incrementally(input, chunk: 4096, reused: command));
        Assert.Equal(expected, Feed.Incrementally(input, chunk: 65537, reused: command));
    }

    [Fact]
    public void Incomplete_commands_consume_nothing_at_every_length()
    {
        byte[] input = B("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nvalue\r\n");
        var command = new RespCommand();
        for (int length = 0; length < input.Length - 1; length++)
        {
            var buffer = new ReadOnlySequence<byte>(input, 0, length);
            Assert.False(RespReader.TryReadCommand(ref buffer, command, RespLimits.Default));
            Assert.Equal(length, buffer.Length);
            Assert.Equal(0, command.Count);
        }
    }

    [Fact]
    public void Inline_line_of_exactly_the_limit_is_accepted()
    {
        var limits = new RespLimits { MaxInlineBytes = 16 };
        byte[] input = B("ECHO 12345678901\n");
        Assert.Equal([ReadCommand.Inline("ECHO", "12345678901")], Feed.Incrementally(input, 1, limits));
    }

    [Fact]
    public void Bulk_of_exactly_the_limit_is_accepted()
    {
        var limits = new RespLimits { MaxBulkBytes = 5 };
        Assert.Equal([ReadCommand.Multibulk("hello")], Feed.ReadWhole(new ReadOnlySequence<byte>(B("*1\r\n$5\r\nhello\r\n")), limits));
    }

    [Fact]
    public void Command_reused_after_a_large_one_holds_only_the_new_arguments()
    {
        var command = new RespCommand();
        var buffer = new ReadOnlySequence<byte>(B("*2\r\n$4\r\nECHO\r\n$300\r\n" + new string('x', 300) + "\r\nPING\r\n"));
        Assert.True(RespReader.TryReadCommand(ref buffer, command, RespLimits.Default));
        Assert.True(RespReader.TryReadCommand(ref buffer, command, RespLimits.Default));
        Assert.Equal(ReadCommand.Inline("PING"), ReadCommand.From(command));
        Assert.Equal(4, command.PayloadBytes);
    }
}
