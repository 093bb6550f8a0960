namespace Paxuby.Server.Tests;

/// <summary>MULTI/EXEC/DISCARD/WATCH with Redis 7's EXECABORT rules.</summary>
public sealed class TransactionTests : ServerTest
{
    [Fact]
    public void Exec_runs_queued_commands_and_returns_every_reply()
    {
        using RawClient client = Server.Connect();
        Assert.Equal("+OK\r\n", client.Call("MULTI"));
        Assert.Equal("+QUEUED\r\n", client.Call("SET", "counter", "10"));
        Assert.Equal("+QUEUED\r\n", client.Call("INCR", "counter"));
        Assert.Equal("+QUEUED\r\n", client.Call("PING"));
        Assert.Equal("+QUEUED\r\n", client.Call("GET", "counter"));
        Assert.Equal("*4\r\n+OK\r\n:11\r\n+PONG\r\n$2\r\n11\r\n", client.Call("EXEC"));
    }

    [Fact]
    public void Runtime_error_inside_exec_does_not_stop_the_others()
    {
        using RawClient client = Server.Connect();
        client.Call("SET", "text", "abc");
        client.Call("MULTI");
        client.Call("INCR", "text");
        client.Call("SET", "after", "1");
        Assert.Equal("*2\r\n-ERR value is not an integer or out of range\r\n+OK\r\n", client.Call("EXEC"));
        Assert.Equal("$1\r\n1\r\n", client.Call("GET", "after"));
    }

    [Fact]
    public void Queue_time_error_aborts_the_whole_transaction()
    {
        using RawClient client = Server.Connect();
        client.Call("MULTI");
        client.Call("SET", "never", "1");
        Assert.Equal("-ERR wrong number of arguments for 'get' command\r\n", client.Call("GET"));
        Assert.Equal("-ERR unknown command 'NOPE', with args beginning with: \r\n", client.Call("NOPE"));
        Assert.Equal("-EXECABORT Transaction discarded because of previous errors.\r\n", client.Call("EXEC"));
        Assert.Equal("$-1\r\n", client.Call("GET", "never"));
    }

    [Fact]
    public void Nested_multi_and_watch_inside_multi_are_refused_without_aborting()
    {
        using RawClient client = Server.Connect();
        client.Call("MULTI");
        Assert.Equal("-ERR MULTI calls can not be nested\r\n", client.Call("MULTI"));
        Assert.Equal("-ERR WATCH inside MULTI is not allowed\r\n", client.Call("WATCH", "x"));
        Assert.Equal("*0\r\n", client.Call("EXEC"));
    }

    [Fact]
    public void Exec_and_discard_without_multi_are_errors()
    {
        using RawClient client = Server.Connect();
        Assert.Equal("-ERR EXEC without MULTI\r\n", client.Call("EXEC"));
        Assert.Equal("-ERR DISCARD without MULTI\r\n", client.Call("DISCARD"));
    }

    [Fact]
    public void Discard_drops_the_queue()
    {
        using RawClient client = Server.Connect();
        client.Call("MULTI");
        client.Call("SET", "dropped", "1");
        Assert.Equal("+OK\r\n", client.Call("DISCARD"));
        Assert.Equal("$-1\r\n", client.Call("GET", "dropped"));
    }

    [Fact]
    public void Watched_key_changed_by_another_client_aborts_exec_with_null()
    {
        using RawClient client = Server.Connect();
        using RawClient other = Server.Connect();
        client.Call("SET", "balance", "100");
        Assert.Equal("+OK\r\n", client.Call("WATCH", "balance"));
        other.Call("SET", "balance", "50");
        client.Call("MULTI");
        client.Call("SET", "balance", "200");
        Assert.Equal("*-1\r\n", client.Call("EXEC"));
        Assert.Equal("$2\r\n50\r\n", client.Call("GET", "balance"));
    }

    [Fact]
    public void Watched_key_unchanged_lets_exec_run()
    {
        using RawClient client = Server.Connect();
        client.Call("SET", "balance", "100");
        client.Call("WATCH", "balance");
        client.Call("MULTI");
        client.Call("INCRBY", "balance", "5");
        Assert.Equal("*1\r\n:105\r\n", client.Call("EXEC"));
    }

    [Fact]
    public void Watched_missing_key_created_by_another_client_aborts_exec()
    {
        using RawClient client = Server.Connect();
        using RawClient other = Server.Connect();
        client.Call("WATCH", "fresh");
        other.Call("SET", "fresh", "1");
        client.Call("MULTI");
        client.Call("SET", "fresh", "2");
        Assert.Equal("*-1\r\n", client.Call("EXEC"));
    }

    [Fact]
    public void Unwatch_forgets_watched_keys()
    {
        using RawClient client = Server.Connect();
        using RawClient other = Server.Connect();
        client.Call("WATCH", "k");
        other.Call("SET", "k", "1");
        Assert.Equal("+OK\r\n", client.Call("UNWATCH"));
        client.Call("MULTI");
        client.Call("SET", "k", "2");
        Assert.Equal("*1\r\n+OK\r\n", client.Call("EXEC"));
    }

    [Fact]
    public void Select_inside_exec_takes_effect_for_what_follows_and_after()
    {
        using RawClient client = Server.Connect();
        client.Call("MULTI");
        client.Call("SELECT", "2");
        client.Call("SET", "in-two", "yes");
        Assert.Equal("*2\r\n+OK\r\n+OK\r\n", client.Call("EXEC"));
        Assert.Equal("$3\r\nyes\r\n", client.Call("GET", "in-two"));
        client.Call("SELECT", "0");
        Assert.Equal("$-1\r\n", client.Call("GET", "in-two"));
    }

    [Fact]
    public void Exec_reply_is_null_in_resp3_when_watch_fails()
    {
        using RawClient client = Server.Connect();
        using RawClient other = Server.Connect();
        client.Call("HELLO", "3");
        client.Call("WATCH", "k3");
        other.Call("SET", "k3", "x");
        client.Call("MULTI");
        client.Call("GET", "k3");
        Assert.Equal("_\r\n", client.Call("EXEC"));
    }
}
