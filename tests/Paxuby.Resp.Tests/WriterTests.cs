using System.Buffers;
using System.Text;

namespace Paxuby.Resp.Tests;

/// <summary>Exact wire bytes of every writer method, in RESP2 and RESP3, as Redis 7 sends them.</summary>
public class WriterTests
{
    private static string Written(int protocol, Action<RespWriter> write)
    {
        var output = new ArrayBufferWriter<byte>();
        write(new RespWriter(output, protocol));
        return Encoding.Latin1.GetString(output.WrittenSpan);
    }

    private static void AssertWire(string resp2, string resp3, Action<RespWriter> write)
    {
        Assert.Equal(resp2, Written(2, write));
        Assert.Equal(resp3, Written(3, write));
    }

    [Fact]
    public void Ok_and_simple_strings_are_the_same_in_both_protocols()
    {
        AssertWire("+OK\r\n", "+OK\r\n", w => w.WriteOk());
        AssertWire("+PONG\r\n", "+PONG\r\n", w => w.WriteSimpleString("PONG"u8));
        AssertWire("+caf\xc3\xa9\r\n", "+caf\xc3\xa9\r\n", w => w.WriteSimpleString("café"));
    }

    [Fact]
    public void Errors_have_CR_and_LF_replaced_by_spaces()
    {
        AssertWire("-ERR bad  input\r\n", "-ERR bad  input\r\n", w => w.WriteError("ERR bad\r\ninput"u8));
        AssertWire("-WRONGTYPE a b\r\n", "-WRONGTYPE a b\r\n", w => w.WriteError("WRONGTYPE a\nb"));
    }

    [Fact]
    public void Protocol_error_is_written_with_its_raw_byte_as_redis_does()
    {
        var error = new RespProtocolException("Protocol error: expected '$', got '\xe9'");
        AssertWire("-ERR Protocol error: expected '$', got '\xe9'\r\n", "-ERR Protocol error: expected '$', got '\xe9'\r\n", w => w.WriteError(error));
    }

    [Fact]
    public void Integers_cover_the_whole_64_bit_range()
    {
        AssertWire(":0\r\n", ":0\r\n", w => w.WriteInteger(0));
        AssertWire(":-42\r\n", ":-42\r\n", w => w.WriteInteger(-42));
        AssertWire(":-9223372036854775808\r\n", ":-9223372036854775808\r\n", w => w.WriteInteger(long.MinValue));
        AssertWire(":9223372036854775807\r\n", ":9223372036854775807\r\n", w => w.WriteInteger(long.MaxValue));
    }

    [Fact]
    public void Bulk_strings_carry_binary_empty_and_utf8_payloads()
    {
        AssertWire("$4\r\na\r\nb\r\n", "$4\r\na\r\nb\r\n", w => w.WriteBulkString("a\r\nb"u8));
        AssertWire("$0\r\n\r\n", "$0\r\n\r\n", w => w.WriteBulkString(ReadOnlySpan<byte>.Empty));
        AssertWire("$2\r\n\xc3\xa9\r\n", "$2\r\n\xc3\xa9\r\n", w => w.WriteBulkString("é"));
        AssertWire("$3\r\n-17\r\n", "$3\r\n-17\r\n", w => w.WriteBulkInteger(-17));
    }

    [Fact]
    public void Bulk_string_of_a_sequence_with_several_segments_is_written_whole()
    {
        ReadOnlySequence<byte> value = Sequences.Of("ab"u8.ToArray(), [], "c\r\n"u8.ToArray(), "d"u8.ToArray());
        AssertWire("$6\r\nabc\r\nd\r\n", "$6\r\nabc\r\nd\r\n", w => w.WriteBulkString(value));
    }

    [Fact]
    public void Nulls_are_null_bulk_and_null_array_in_resp2_and_underscore_in_resp3()
    {
        AssertWire("$-1\r\n", "_\r\n", w => w.WriteNull());
        AssertWire("*-1\r\n", "_\r\n", w => w.WriteNullArray());
    }

    [Fact]
    public void Aggregate_headers_fall_back_to_arrays_in_resp2()
    {
        AssertWire("*3\r\n", "*3\r\n", w => w.WriteArrayHeader(3));
        AssertWire("*0\r\n", "*0\r\n", w => w.WriteArrayHeader(0));
        AssertWire("*4\r\n", "%2\r\n", w => w.WriteMapHeader(2));
        AssertWire("*2\r\n", "~2\r\n", w => w.WriteSetHeader(2));
        AssertWire("*3\r\n", ">3\r\n", w => w.WritePushHeader(3));
    }

    [Fact]
    public void Booleans_are_integers_in_resp2()
    {
        AssertWire(":1\r\n", "#t\r\n", w => w.WriteBoolean(true));
        AssertWire(":0\r\n", "#f\r\n", w => w.WriteBoolean(false));
    }

    [Theory]
    [InlineData(0.1, "0.1")]
    [InlineData(double.PositiveInfinity, "inf")]
    [InlineData(double.NegativeInfinity, "-inf")]
    [InlineData(double.NaN, "nan")]
    [InlineData(1e8, "100000000")]
    [InlineData(-1.5e-7, "-1.5e-7")]
    public void Doubles_are_bulk_strings_in_resp2_and_comma_lines_in_resp3(double value, string text)
    {
        AssertWire($"${text.Length}\r\n{text}\r\n", $",{text}\r\n", w => w.WriteDouble(value));
    }

    [Fact]
    public void Verbatim_text_is_a_bulk_string_in_resp2()
    {
        AssertWire("$4\r\na\r\nb\r\n", "=8\r\ntxt:a\r\nb\r\n", w => w.WriteVerbatim("a\r\nb"u8));
    }

    [Fact]
    public void Raw_bytes_pass_through_unchanged()
    {
        AssertWire("+QUEUED\r\n", "+QUEUED\r\n", w => w.WriteRaw(RespStrings.Queued));
    }

    [Fact]
    public void Writing_replies_allocates_nothing()
    {
        var output = new ArrayBufferWriter<byte>(4096);
        var writer = new RespWriter(output, 3);
        WriteEveryKind(writer);
        output.ResetWrittenCount();

        long before = GC.GetAllocatedBytesForCurrentThread();
        WriteEveryKind(writer);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static void WriteEveryKind(RespWriter writer)
    {
        writer.WriteOk();
        writer.WriteSimpleString("PONG");
        writer.WriteError("ERR some\nerror");
        writer.WriteInteger(123456789);
        writer.WriteBulkString("value");
        writer.WriteBulkString("value"u8);
        writer.WriteBulkInteger(42);
        writer.WriteNull();
        writer.WriteMapHeader(1);
        writer.WriteDouble(3.14159);
        writer.WriteDouble(1e300);
        writer.WriteBoolean(true);
        writer.WriteVerbatim("text"u8);
    }
}
