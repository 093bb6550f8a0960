namespace Paxuby.Server.Tests;

/// <summary>Connection-level commands, checked byte for byte against Redis 7's replies.</summary>
public sealed class ConnectionCommandTests : ServerTest
{
    [Fact]
    public void Ping_without_and_with_message()
    {
        using RawClient client = Server.Connect();
        Assert.Equal("+PONG\r\n", client.Call("PING"));
        Assert.Equal("$5\r\nhello\r\n", client.Call("PING", "hello"));
        Assert.Equal("-ERR wrong number of arguments for 'ping' command\r\n", client.Call("PING", "a", "b"));
    }

    [Fact]
    public void Echo_returns_binary_argument_unchanged()
    {
        using RawClient client = Server.Connect();
        Assert.Equal("$4\r\na\r\nb\r\n", client.Call("ECHO", "a\r\nb"));
    }

    [Fact]
    public void Hello_3_switches_to_resp3_and_replies_with_a_map()
    {
        using RawClient client = Server.Connect();
        string reply = client.Call("HELLO", "3");
        Assert.StartsWith("%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n", reply);
        Assert.Contains("$5\r\nproto\r\n:3\r\n", reply);
        Assert.EndsWith("$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n", reply);
        Assert.Equal("_\r\n", client.Call("GET", "missing-key"));
    }

    [Fact]
    public void Hello_without_version_keeps_resp2_and_replies_with_a_flat_array()
    {
        using RawClient client = Server.Connect();
        Assert.StartsWith("*14\r\n$6\r\nserver\r\n", client.Call("HELLO"));
        Assert.Equal("$-1\r\n", client.Call("GET", "missing-key"));
    }

    [Theory]
    [InlineData("4", "-NOPROTO unsupported protocol version\r\n")]
    [InlineData("1", "-NOPROTO unsupported protocol version\r\n")]
    [InlineData("abc", "-ERR Protocol version is not an integer or out of range\r\n")]
    public void Hello_rejects_bad_protocol_versions(string version, string expected)
    {
        using RawClient client = Server.Connect();
        Assert.Equal(expected, client.Call("HELLO", version));
    }

    [Fact]
    public void Hello_rejects_unknown_option_and_sets_name()
    {
        using RawClient client = Server.Connect();
        Assert.Equal("-ERR Syntax error in HELLO option 'FOO'\r\n", client.Call("HELLO", "3", "FOO"));
        client.Call("HELLO", "3", "SETNAME", "worker-1");
        Assert.Equal("$8\r\nworker-1\r\n", client.Call("CLIENT", "GETNAME"));
    }

    [Fact]
    public void Auth_without_configured_password_matches_redis_defaults()
    {
        using RawClient client = Server.Connect();
        Assert.Equal("-ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?\r\n",
            client.Call("AUTH", "x"));
        Assert.Equal("+OK\r\n", client.Call("AUTH", "default", "anything"));
        Assert.Equal("-WRONGPASS invalid username-password pair or user is disabled.\r\n", client.Call("AUTH", "someone", "x"));
    }

    [Fact]
    public async Task Requirepass_refuses_commands_until_auth()
    {
        await using var server = new TestServer(requirepass: "s3cret");
        using RawClient client = server.Connect();
        Assert.Equal("-NOAUTH Authentication required.\r\n", client.Call("GET", "k"));
        Assert.Equal("-WRONGPASS invalid username-password pair or user is disabled.\r\n", client.Call("AUTH", "wrong"));
        Assert.Equal("+OK\r\n", client.Call("AUTH", "s3cret"));
        Assert.Equal("$-1\r\n", client.Call("GET", "k"));
    }

    [Fact]
    public async Task Unauthenticated_client_gets_redis_tighter_protocol_limits()
    {
        await using var server = new TestServer(requirepass: "s3cret");
        using RawClient client = server.Connect();
        client.Send("*11\r\n");
        Assert.True(client.IsClosedByServer());
        Assert.Equal("-ERR Protocol error: unauthenticated multibulk length\r\n", client.Unread);

        using RawClient authenticated = server.Connect();
        Assert.Equal("+OK\r\n", authenticated.Call("AUTH", "s3cret"));
        Assert.Equal("+OK\r\n", authenticated.Call("MSET", "a", "1", "b", "2", "c", "3", "d", "4", "e", "5"));
    }

    [Fact]
    public async Task Hello_with_auth_authenticates_in_one_step()
    {
        await using var server = new TestServer(requirepass: "s3cret");
        using RawClient client = server.Connect();
        Assert.StartsWith("%7\r\n", client.Call("HELLO", "3", "AUTH", "default", "s3cret"));
        Assert.Equal("_\r\n", client.Call("GET", "k"));
    }

    [Fact]
    public void Select_changes_database_and_checks_range()
    {
        using RawClient client = Server.Connect();
        Assert.Equal("+OK\r\n", client.Call("SET", "k", "in-db-0"));
        Assert.Equal("+OK\r\n", client.Call("SELECT", "15"));
        Assert.Equal("$-1\r\n", client.Call("GET", "k"));
        Assert.Equal("-ERR DB index is out of range\r\n", client.Call("SELECT", "16"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", client.Call("SELECT", "x"));
        Assert.Equal("+OK\r\n", client.Call("SELECT", "0"));
        Assert.Equal("$7\r\nin-db-0\r\n", client.Call("GET", "k"));
    }

    [Fact]
    public void Unknown_command_and_wrong_arity_use_redis_texts()
    {
        using RawClient client = Server.Connect();
        Assert.Equal("-ERR unknown command 'FOO', with args beginning with: 'a' 'b' \r\n", client.Call("FOO", "a", "b"));
        Assert.Equal("-ERR wrong number of arguments for 'get' command\r\n", client.Call("GET"));
        client.Send("FOO\r\n");
        Assert.Equal("-ERR unknown command 'FOO', with args beginning with: \r\n", client.ReadReply());
    }

    [Fact]
    public void Client_subcommands_id_name_list_and_errors()
    {
        using RawClient client = Server.Connect();
        string id = client.Call("CLIENT", "ID");
        Assert.Matches(@"^:\d+\r\n$", id);
        Assert.Equal("$-1\r\n", client.Call("CLIENT", "GETNAME"));
        Assert.Equal("+OK\r\n", client.Call("CLIENT", "SETNAME", "app"));
        Assert.Equal("+OK\r\n", client.Call("CLIENT", "SETINFO", "LIB-NAME", "mylib"));
        Assert.Contains("name=app", client.Call("CLIENT", "LIST"));
        Assert.Contains($"id={id[1..^2]} ", client.Call("CLIENT", "INFO"));
        Assert.Contains("lib-name=mylib", client.Call("CLIENT", "INFO"));
        Assert.Equal("-ERR Client names cannot contain spaces, newlines or special characters.\r\n", client.Call("CLIENT", "SETNAME", "a b"));
        Assert.Equal("-ERR unknown subcommand 'FOO'. Try CLIENT HELP.\r\n", client.Call("CLIENT", "FOO"));
        Assert.Equal("-ERR No such client\r\n", client.Call("CLIENT", "KILL", "1.2.3.4:5"));
    }

    [Fact]
    public void Client_kill_by_id_closes_the_other_connection()
    {
        using RawClient victim = Server.Connect();
        using RawClient killer = Server.Connect();
        string id = victim.Call("CLIENT", "ID")[1..^2];
        Assert.Equal(":1\r\n", killer.Call("CLIENT", "KILL", "ID", id));
        Assert.True(victim.IsClosedByServer());
    }

    [Fact]
    public void Quit_replies_ok_then_closes()
    {
        using RawClient client = Server.Connect();
        Assert.Equal("+OK\r\n", client.Call("QUIT"));
        Assert.True(client.IsClosedByServer());
    }

    [Fact]
    public void Reset_returns_to_a_fresh_connection_state()
    {
        using RawClient client = Server.Connect();
        client.Call("HELLO", "3");
        client.Call("SELECT", "3");
        client.Call("MULTI");
        Assert.Equal("+RESET\r\n", client.Call("RESET"));
        Assert.Equal("$-1\r\n", client.Call("GET", "nothing"));
        Assert.Equal("-ERR EXEC without MULTI\r\n", client.Call("EXEC"));
    }

    [Fact]
    public void Time_role_lastsave_and_wait_have_redis_shapes()
    {
        using RawClient client = Server.Connect();
        Assert.Matches(@"^\*2\r\n\$10\r\n\d{10}\r\n\$\d\r\n\d{1,6}\r\n$", client.Call("TIME"));
        Assert.Matches(@"^\*3\r\n\$6\r\nmaster\r\n:\d+\r\n\*0\r\n$", client.Call("ROLE"));
        Assert.Matches(@"^:\d{10}\r\n$", client.Call("LASTSAVE"));
        Assert.Equal(":0\r\n", client.Call("WAIT", "0", "0"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", client.Call("WAIT", "x", "0"));
        Assert.Equal("-ERR timeout is negative\r\n", client.Call("WAIT", "1", "-1"));
    }
}
