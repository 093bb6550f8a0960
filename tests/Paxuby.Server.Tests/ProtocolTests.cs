using System.Text;

namespace Paxuby.Server.Tests;

/// <summary>What crosses the socket: pipelining, inline commands, big values, protocol errors.</summary>
public sealed class ProtocolTests : ServerTest
{
    [Fact]
    public void Deep_pipeline_in_one_write_gets_every_reply_in_order()
    {
        using RawClient client = Server.Connect();
        var batch = new List<byte>();
        for (int i = 0; i < 2000; i++)
        {
            batch.AddRange(RawClient.Encode("SET", "p" + i, "v" + i));
            batch.AddRange(RawClient.Encode("GET", "p" + i));
        }
        client.Send(batch.ToArray());
        for (int i = 0; i < 2000; i++)
        {
            Assert.Equal("+OK\r\n", client.ReadReply());
            string value = "v" + i;
            Assert.Equal($"${value.Length}\r\n{value}\r\n", client.ReadReply());
        }
    }

    [Fact]
    public void Inline_commands_work_like_telnet_users_type_them()
    {
        using RawClient client = Server.Connect();
        client.Send("SET greeting \"hello world\"\r\n");
        Assert.Equal("+OK\r\n", client.ReadReply());
        client.Send("GET greeting\n");
        Assert.Equal("$11\r\nhello world\r\n", client.ReadReply());
    }

    [Fact]
    public void Empty_inline_line_is_ignored_as_redis_cli_pipe_sends_it()
    {
        using RawClient client = Server.Connect();
        client.Send("\r\n");
        client.Send(RawClient.Encode("SET", "piped", "1"));
        client.Send(RawClient.Encode("ECHO", "0123456789abcdef0123456789abcdef01234567"));
        Assert.Equal("+OK\r\n", client.ReadReply());
        Assert.Equal("$40\r\n0123456789abcdef0123456789abcdef01234567\r\n", client.ReadReply());
    }

    [Fact]
    public void Value_of_five_megabytes_round_trips()
    {
        using RawClient client = Server.Connect();
        string big = new string('x', 5 * 1024 * 1024);
        Assert.Equal("+OK\r\n", client.Call("SET", "big", big));
        Assert.Equal($"${big.Length}\r\n{big}\r\n", client.Call("GET", "big"));
        Assert.Equal($":{big.Length}\r\n", client.Call("STRLEN", "big"));
    }

    [Theory]
    [InlineData("*abc\r\n", "-ERR Protocol error: invalid multibulk length\r\n")]
    [InlineData("*1\r\n+PING\r\n", "-ERR Protocol error: expected '$', got '+'\r\n")]
    [InlineData("*1\r\n$-5\r\n", "-ERR Protocol error: invalid bulk length\r\n")]
    [InlineData("*1\r\n$abc\r\n", "-ERR Protocol error: invalid bulk length\r\n")]
    [InlineData("SET \"unbalanced\r\n", "-ERR Protocol error: unbalanced quotes in request\r\n")]
    public void Malformed_input_gets_redis_error_then_the_connection_closes(string input, string expected)
    {
        using RawClient client = Server.Connect();
        client.Send(input);
        Assert.True(client.IsClosedByServer());
        Assert.Equal(expected, client.Unread);
    }

    [Fact]
    public async Task Bulk_longer_than_proto_max_bulk_len_is_refused()
    {
        await using var server = new TestServer(protoMaxBulkLen: 1024 * 1024);
        using RawClient client = server.Connect();
        client.Send("*2\r\n$3\r\nGET\r\n$2000000\r\n");
        Assert.True(client.IsClosedByServer());
        Assert.Equal("-ERR Protocol error: invalid bulk length\r\n", client.Unread);
    }

    [Fact]
    public void Replies_before_a_protocol_error_are_still_delivered()
    {
        using RawClient client = Server.Connect();
        client.Send(Encoding.UTF8.GetBytes("*1\r\n$4\r\nPING\r\n*x\r\n"));
        Assert.True(client.IsClosedByServer());
        Assert.Equal("+PONG\r\n-ERR Protocol error: invalid multibulk length\r\n", client.Unread);
    }

    [Fact]
    public void Pipelined_writes_answer_before_the_protocol_error_that_follows_them()
    {
        using RawClient client = Server.Connect();
        var input = new List<byte>();
        for (int i = 0; i < 50; i++) input.AddRange(RawClient.Encode("INCR", "before-error"));
        input.AddRange(Encoding.UTF8.GetBytes("*1\r\n$x\r\n"));
        client.Send(input.ToArray());
        Assert.True(client.IsClosedByServer());
        string expected = string.Concat(Enumerable.Range(1, 50).Select(i => $":{i}\r\n")) + "-ERR Protocol error: invalid bulk length\r\n";
        Assert.Equal(expected, client.Unread);
    }

    [Fact]
    public void Bad_client_does_not_disturb_another()
    {
        using RawClient good = Server.Connect();
        using RawClient bad = Server.Connect();
        good.Call("SET", "stable", "1");
        bad.Send("*1\r\n$99999999999\r\n");
        Assert.True(bad.IsClosedByServer());
        Assert.Equal("$1\r\n1\r\n", good.Call("GET", "stable"));
    }

    [Fact]
    public void Command_split_across_many_writes_is_assembled()
    {
        using RawClient client = Server.Connect();
        byte[] command = RawClient.Encode("SET", "split", "value-in-pieces");
        foreach (byte b in command) client.Send([b]);
        Assert.Equal("+OK\r\n", client.ReadReply());
        Assert.Equal("$15\r\nvalue-in-pieces\r\n", client.Call("GET", "split"));
    }
}
