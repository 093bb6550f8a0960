using System.Buffers;
using System.Text;

namespace Paxuby.Resp.Tests;

/// <summary>The reply reader reads back what the writer writes, however the bytes are cut.</summary>
public class ReplyReaderTests
{
    private static byte[] B(string latin1) => Encoding.Latin1.GetBytes(latin1);

    private static byte[] Written(int protocol, Action<RespWriter> write)
    {
        var output = new ArrayBufferWriter<byte>();
        write(new RespWriter(output, protocol));
        return output.WrittenSpan.ToArray();
    }

    /// <summary>One reply of every kind the writer makes: a map holding all the others.</summary>
    private static void WriteEveryKind(RespWriter w)
    {
        w.WriteMapHeader(12);
        w.WriteBulkString("ok"); w.WriteOk();
        w.WriteBulkString("error"); w.WriteError("ERR bad\nthing");
        w.WriteBulkString("integer"); w.WriteInteger(long.MinValue);
        w.WriteBulkString("bulk"); w.WriteBulkString("a\r\n\0b"u8);
        w.WriteBulkString("empty"); w.WriteBulkString(""u8);
        w.WriteBulkString("null"); w.WriteNull();
        w.WriteBulkString("null array"); w.WriteNullArray();
        w.WriteBulkString("double"); w.WriteDouble(-1.5e-7);
        w.WriteBulkString("boolean"); w.WriteBoolean(true);
        w.WriteBulkString("verbatim"); w.WriteVerbatim("some text"u8);
        w.WriteBulkString("set"); w.WriteSetHeader(2); w.WriteInteger(1); w.WriteInteger(2);
        w.WriteBulkString("push"); w.WritePushHeader(1); w.WriteArrayHeader(0);
    }

    private const string Resp3Rendering =
        """
         1# "ok" => OK
         2# "error" => (error) ERR bad thing
         3# "integer" => (integer) -9223372036854775808
         4# "bulk" => "a\r\n\x00b"
         5# "empty" => ""
         6# "null" => (nil)
         7# "null array" => (nil)
         8# "double" => (double) -1.5e-7
         9# "boolean" => (true)
        10# "verbatim" => some text
        11# "set" => 
            1~ (integer) 1
            2~ (integer) 2
        12# "push" => 1) (empty array)
        """;

    private const string Resp2Rendering =
        """
         1) "ok"
         2) OK
         3) "error"
         4) (error) ERR bad thing
         5) "integer"
         6) (integer) -9223372036854775808
         7) "bulk"
         8) "a\r\n\x00b"
         9) "empty"
        10) ""
        11) "null"
        12) (nil)
        13) "null array"
        14) (nil)
        15) "double"
        16) "-1.5e-7"
        17) "boolean"
        18) (integer) 1
        19) "verbatim"
        20) "some text"
        21) "set"
        22) 1) (integer) 1
            2) (integer) 2
        23) "push"
        24) 1) (empty array)
        """;

    [Theory]
    [InlineData(2, Resp2Rendering)]
    [InlineData(3, Resp3Rendering)]
    public void Every_kind_the_writer_makes_reads_back(int protocol, string rendering)
    {
        var buffer = new ReadOnlySequence<byte>(Written(protocol, WriteEveryKind));
        Assert.True(RespReplyReader.TryReadReply(ref buffer, out RespValue value));
        Assert.Equal(0, buffer.Length);
        Assert.Equal(rendering.ReplaceLineEndings("\n"), value.ToString());
    }

    [Fact]
    public void Resp3_values_keep_their_kinds_and_payloads()
    {
        var buffer = new ReadOnlySequence<byte>(Written(3, WriteEveryKind));
        Assert.True(RespReplyReader.TryReadReply(ref buffer, out RespValue map));
        Assert.Equal(RespKind.Map, map.Kind);
        IReadOnlyList<RespValue> items = map.Items!;
        Assert.Equal(24, items.Count);
        Assert.Equal(RespKind.SimpleString, items[1].Kind);
        Assert.True(items[3].IsError);
        Assert.Equal("ERR bad thing", items[3].Text);
        Assert.Equal(long.MinValue, items[5].Integer);
        Assert.Equal(B("a\r\n\0b"), items[7].Bytes);
        Assert.True(items[11].IsNull);
        Assert.Equal(-1.5e-7, items[15].Double);
        Assert.True(items[17].Boolean);
        Assert.Equal("txt", items[19].Format);
        Assert.Equal("some text", items[19].Text);
        Assert.Equal(RespKind.Set, items[21].Kind);
        Assert.Equal(RespKind.Push, items[23].Kind);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Reply_cut_anywhere_is_incomplete_until_whole(int protocol)
    {
        byte[] bytes = Written(protocol, WriteEveryKind);
        string expected = Parse(bytes).ToString();
        for (int length = 0; length < bytes.Length; length++)
        {
            var prefix = new ReadOnlySequence<byte>(bytes, 0, length);
            Assert.False(RespReplyReader.TryReadReply(ref prefix, out _));
            Assert.Equal(length, prefix.Length);
        }
        for (int at = 0; at <= bytes.Length; at++)
        {
            ReadOnlySequence<byte> split = Sequences.SplitAt(bytes, at);
            Assert.True(RespReplyReader.TryReadReply(ref split, out RespValue value));
            Assert.Equal(expected, value.ToString());
        }
    }

    [Fact]
    public void Doubles_read_back_inf_and_nan()
    {
        Assert.Equal(double.PositiveInfinity, Parse(B(",inf\r\n")).Double);
        Assert.Equal(double.NegativeInfinity, Parse(B(",-inf\r\n")).Double);
        Assert.True(double.IsNaN(Parse(B(",nan\r\n")).Double));
        Assert.Equal(0.1, Parse(B("$3\r\n0.1\r\n")).Double);
    }

    [Fact]
    public void Attributes_are_skipped_and_other_resp3_types_read()
    {
        Assert.Equal("(integer) 7", Parse(B("|1\r\n+key-popularity\r\n%1\r\n$1\r\na\r\n,0.19\r\n:7\r\n")).ToString());
        Assert.Equal("(big number) 3492890328409238509324850943850943825024385", Parse(B("(3492890328409238509324850943850943825024385\r\n")).ToString());
        Assert.Equal("(error) SYNTAX invalid", Parse(B("!14\r\nSYNTAX invalid\r\n")).ToString());
        Assert.Equal("(false)", Parse(B("#f\r\n")).ToString());
    }

    [Fact]
    public void Pipelined_replies_are_read_one_at_a_time()
    {
        var buffer = new ReadOnlySequence<byte>(B("+OK\r\n:1\r\n$-1\r\n*0\r\n"));
        var rendered = new List<string>();
        while (RespReplyReader.TryReadReply(ref buffer, out RespValue value)) rendered.Add(value.ToString());
        Assert.Equal(["OK", "(integer) 1", "(nil)", "(empty array)"], rendered);
    }

    [Fact]
    public void Unknown_type_byte_is_a_protocol_error()
    {
        var buffer = new ReadOnlySequence<byte>(B("?x\r\n"));
        Assert.Throws<RespProtocolException>(() => RespReplyReader.TryReadReply(ref buffer, out _));
    }

    /// <summary>Replies and renderings taken from redis-server and redis-cli 7.0.</summary>
    [Theory]
    [InlineData("*4\r\n:1\r\n$1\r\na\r\n*2\r\n:2\r\n*0\r\n*2\r\n$1\r\nx\r\n*2\r\n$1\r\ny\r\n$1\r\nz\r\n",
        "1) (integer) 1\n2) \"a\"\n3) 1) (integer) 2\n   2) (empty array)\n4) 1) \"x\"\n   2) 1) \"y\"\n      2) \"z\"")]
    [InlineData("*11\r\n:1\r\n:2\r\n:3\r\n:4\r\n:5\r\n:6\r\n:7\r\n:8\r\n:9\r\n:10\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n",
        " 1) (integer) 1\n 2) (integer) 2\n 3) (integer) 3\n 4) (integer) 4\n 5) (integer) 5\n 6) (integer) 6\n 7) (integer) 7\n 8) (integer) 8\n 9) (integer) 9\n10) (integer) 10\n11) 1) \"a\"\n    2) \"b\"")]
    [InlineData("$13\r\n\0\u0001a\"\\\n\r\t\a\b~\x7f\xc3\r\n", "\"\\x00\\x01a\\\"\\\\\\n\\r\\t\\a\\b~\\x7f\\xc3\"")]
    [InlineData("%2\r\n$1\r\na\r\n:1\r\n$1\r\nb\r\n*2\r\n:1\r\n:2\r\n", "1# \"a\" => (integer) 1\n2# \"b\" => \n   1) (integer) 1\n   2) (integer) 2")]
    [InlineData("~1\r\n$1\r\nm\r\n", "1~ \"m\"")]
    [InlineData("%0\r\n", "(empty hash)")]
    [InlineData("~0\r\n", "(empty set)")]
    [InlineData(",0.10000000000000001\r\n", "(double) 0.10000000000000001")]
    [InlineData("*2\r\n:1\r\n-ERR x\r\n", "1) (integer) 1\n2) (error) ERR x")]
    [InlineData("=9\r\ntxt:hello\r\n", "hello")]
    [InlineData("_\r\n", "(nil)")]
    public void Renders_as_redis_cli_does(string reply, string rendering)
    {
        Assert.Equal(rendering, Parse(B(reply)).ToString());
    }

    private static RespValue Parse(byte[] bytes)
    {
        var buffer = new ReadOnlySequence<byte>(bytes);
        Assert.True(RespReplyReader.TryReadReply(ref buffer, out RespValue value));
        Assert.Equal(0, buffer.Length);
        return value;
    }
}
