using System.Buffers;
using System.Text;

namespace Paxuby.Resp.Tests;

/// <summary>
/// Malformed input gives Redis 7's exact error text (checked against redis-server 7.0), whether it
/// arrives whole, in two segments, or piece by piece; commands before it are still read.
/// </summary>
public class ReaderErrorTests
{
    private static byte[] B(string latin1) => Encoding.Latin1.GetBytes(latin1);

    private const string InvalidMultibulk = "Protocol error: invalid multibulk length";
    private const string InvalidBulk = "Protocol error: invalid bulk length";
    private const string Unbalanced = "Protocol error: unbalanced quotes in request";

    /// <summary>A small inline limit keeps the "too big" cases short enough to cut at every byte.</summary>
    private static readonly RespLimits SmallLimits = new() { MaxInlineBytes = 24, MaxBulkBytes = 1000 };

    public static readonly TheoryData<string, byte[], string> Cases = new()
    {
        { "count not a number", B("*x\r\n"), InvalidMultibulk },
        { "count empty", B("*\r\n"), InvalidMultibulk },
        { "count with a leading zero", B("*01\r\n"), InvalidMultibulk },
        { "count minus zero", B("*-0\r\n"), InvalidMultibulk },
        { "count with a plus sign", B("*+1\r\n"), InvalidMultibulk },
        { "count with a space", B("*1 \r\n"), InvalidMultibulk },
        { "count above INT_MAX", B("*2147483648\r\n"), InvalidMultibulk },
        { "count beyond 64 bits", B("*99999999999999999999\r\n"), InvalidMultibulk },
        { "bulk length negative", B("*1\r\n$-1\r\n"), InvalidBulk },
        { "bulk length empty", B("*1\r\n$\r\n"), InvalidBulk },
        { "bulk length not a number", B("*1\r\n$abc\r\n"), InvalidBulk },
        { "bulk length with a leading zero", B("*1\r\n$04\r\nPING\r\n"), InvalidBulk },
        { "bulk length above the limit", B("*1\r\n$1001\r\n"), InvalidBulk },
        { "bulk length far too long to be a number", B("*1\r\n$" + new string('1', 15) + "\r\n"), InvalidBulk },
        { "a bulk expected, an integer found", B("*2\r\n$1\r\na\r\n:1\r\n"), "Protocol error: expected '$', got ':'" },
        { "a bulk expected, an empty line found", B("*1\r\n\r\n"), "Protocol error: expected '$', got ' '" },
        { "a bulk expected, a high byte found", B("*1\r\n\xe9\r\n"), "Protocol error: expected '$', got '\xe9'" },
        { "count line without CR beyond the limit", B("*1" + new string('x', 23)), "Protocol error: too big mbulk count string" },
        { "count line with a NUL never ends", B("*1\0\r\n" + new string('x', 21)), "Protocol error: too big mbulk count string" },
        { "bulk line without CR beyond the limit", B("*1\r\n$1" + new string('1', 23)), "Protocol error: too big bulk count string" },
        { "bulk line with a NUL never ends", B("*1\r\n$\0\r\n" + new string('x', 21)), "Protocol error: too big bulk count string" },
        { "inline without LF beyond the limit", B("PING" + new string('x', 21)), "Protocol error: too big inline request" },
        { "inline line one byte over the limit", B("ECHO 12345678901234567890\n"), "Protocol error: too big inline request" },
        { "inline with a NUL never ends", B("ECHO a\0b\r\nPING\r\n" + new string('x', 9)), "Protocol error: too big inline request" },
        { "unterminated double quote", B("ECHO \"abc\r\n"), Unbalanced },
        { "unterminated single quote", B("ECHO 'abc\r\n"), Unbalanced },
        { "escaped closing double quote", B("ECHO \"abc\\\"\r\n"), Unbalanced },
        { "escaped closing single quote", B("ECHO 'abc\\'\r\n"), Unbalanced },
        { "backslash ending a double-quoted line", B("ECHO \"abc\\\r\n"), Unbalanced },
        { "text right after a closing double quote", B("ECHO \"a\"b\r\n"), Unbalanced },
        { "text right after a closing single quote", B("ECHO 'a'b\r\n"), Unbalanced },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Whole_input_gives_the_redis_error(string scenario, byte[] input, string message)
    {
        _ = scenario;
        Assert.Equal(message, ReadUntilError(new ReadOnlySequence<byte>(input)));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Input_split_at_every_byte_gives_the_same_error(string scenario, byte[] input, string message)
    {
        _ = scenario;
        for (int at = 0; at <= input.Length; at++)
            Assert.Equal(message, ReadUntilError(Sequences.SplitAt(input, at)));
        Assert.Equal(message, ReadUntilError(Sequences.Chunked(input, 1)));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Input_arriving_byte_by_byte_gives_the_same_error(string scenario, byte[] input, string message)
    {
        _ = scenario;
        var pending = new List<ReadOnlyMemory<byte>>();
        for (int at = 0; at < input.Length; at++)
        {
            pending.Add(input.AsMemory(at, 1));
            ReadOnlySequence<byte> buffer = Sequences.Of(pending);
            try
            {
                Assert.Empty(Feed.ReadAll(ref buffer, SmallLimits));
            }
            catch (RespProtocolException error)
            {
                Assert.Equal(message, error.Message);
                return;
            }
        }
        Assert.Fail("no error once the whole input had arrived");
    }

    [Fact]
    public void Commands_before_a_malformed_one_are_read_then_the_error_comes()
    {
        var buffer = new ReadOnlySequence<byte>(B("*1\r\n$4\r\nPING\r\nPING\r\n*1\r\nX\r\n"));
        var command = new RespCommand();
        Assert.True(RespReader.TryReadCommand(ref buffer, command, RespLimits.Default));
        Assert.True(RespReader.TryReadCommand(ref buffer, command, RespLimits.Default));
        var error = Assert.Throws<RespProtocolException>(() => RespReader.TryReadCommand(ref buffer, command, RespLimits.Default));
        Assert.Equal("Protocol error: expected '$', got 'X'", error.Message);
    }

    [Fact]
    public void Inline_line_with_a_NUL_waits_for_more_until_it_is_too_long()
    {
        var buffer = new ReadOnlySequence<byte>(B("ECHO a\0b\r\nPING\r\n"));
        Assert.Empty(Feed.ReadAll(ref buffer));
    }

    [Fact]
    public void Default_limits_refuse_a_65537_byte_inline_line_and_a_bulk_over_512_megabytes()
    {
        Assert.Equal("Protocol error: too big inline request",
            ReadUntilError(new ReadOnlySequence<byte>(B(new string('x', 65537))), RespLimits.Default));
        Assert.Equal("Protocol error: too big mbulk count string",
            ReadUntilError(new ReadOnlySequence<byte>(B("*" + new string('1', 65536))), RespLimits.Default));
        Assert.Equal(InvalidBulk,
            ReadUntilError(new ReadOnlySequence<byte>(B("*1\r\n$536870913\r\n")), RespLimits.Default));
    }

    [Theory]
    [InlineData("*11\r\n", "Protocol error: unauthenticated multibulk length")]
    [InlineData("*1\r\n$16385\r\n", "Protocol error: unauthenticated bulk length")]
    [InlineData("*1\r\n$536870913\r\n", InvalidBulk)]
    [InlineData("*x\r\n", InvalidMultibulk)]
    public void Before_authentication_large_commands_are_refused_as_redis_does(string input, string message)
    {
        var limits = new RespLimits { AuthenticationRequired = true };
        Assert.Equal(message, ReadUntilError(new ReadOnlySequence<byte>(B(input)), limits));
        Assert.Equal(message, ReadUntilError(Sequences.Chunked(B(input), 1), limits));
    }

    [Fact]
    public void Before_authentication_ten_arguments_of_16_kilobytes_are_still_accepted()
    {
        var limits = new RespLimits { AuthenticationRequired = true };
        string bulk = "$16384\r\n" + new string('v', 16384) + "\r\n";
        byte[] input = B("*10\r\n" + string.Concat(Enumerable.Repeat(bulk, 10)));
        Assert.Single(Feed.ReadWhole(new ReadOnlySequence<byte>(input), limits));
    }

    [Fact]
    public void Command_announcing_more_than_2_gigabytes_is_refused_before_its_data_arrives()
    {
        var limits = new RespLimits { MaxBulkBytes = long.MaxValue };
        Assert.Equal("Protocol error: command too large",
            ReadUntilError(new ReadOnlySequence<byte>(B("*1\r\n$3000000000\r\n")), limits));
    }

    [Fact]
    public void Message_bytes_carry_the_raw_byte_that_was_found()
    {
        string message = ReadUntilError(new ReadOnlySequence<byte>(B("*1\r\n\xe9\r\n")));
        Assert.Equal(B("Protocol error: expected '$', got '\xe9'"), new RespProtocolException(message).MessageBytes);
    }

    private static string ReadUntilError(ReadOnlySequence<byte> buffer, RespLimits? limits = null)
    {
        var command = new RespCommand();
        try
        {
            while (RespReader.TryReadCommand(ref buffer, command, limits ?? SmallLimits))
            {
            }
        }
        catch (RespProtocolException error)
        {
            return error.Message;
        }
        Assert.Fail("no error; still unread: " + buffer.Length + " bytes");
        return "";
    }
}
