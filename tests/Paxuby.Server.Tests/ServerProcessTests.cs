namespace Paxuby.Server.Tests;

/// <summary>The executable as a user starts it: config.yaml, every local replica, clean stop on SIGTERM.</summary>
public sealed class ServerProcessTests
{
    [Fact]
    public void Default_start_serves_every_replica_of_config_yaml_with_one_view_of_the_data()
    {
        using var server = new ServerProcess(replicas: 3);
        server.WaitUntilReady();
        using RawClient first = server.Connect(0);
        using RawClient second = server.Connect(1);
        using RawClient third = server.Connect(2);
        Assert.Equal("+OK\r\n", first.Call("SET", "shared", "one"));
        Assert.Equal("$3\r\none\r\n", second.Call("GET", "shared"));
        Assert.Equal(":1\r\n", third.Call("INCR", "visits"));
        Assert.Equal(":2\r\n", first.Call("INCR", "visits"));

        // A message published on one port reaches a subscriber on another.
        using RawClient subscriber = server.Connect(2);
        subscriber.Call("SUBSCRIBE", "everywhere");
        Assert.Equal(":1\r\n", first.Call("PUBLISH", "everywhere", "hi"));
        Assert.Equal("*3\r\n$7\r\nmessage\r\n$10\r\neverywhere\r\n$2\r\nhi\r\n", subscriber.ReadReply());
    }

    [Fact]
    public void Second_process_on_the_same_ports_refuses_to_start_and_leaves_the_first_serving()
    {
        using var first = new ServerProcess(replicas: 3);
        first.WaitUntilReady();
        using var second = new ServerProcess(first.Directory, first.Ports, first.ConfigPath, "");
        second.KeepDirectory();
        Assert.Equal(1, second.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Contains("cannot listen", second.Output);
        using RawClient client = first.Connect(0);
        Assert.Equal("+OK\r\n", client.Call("SET", "still", "here"));
    }

    [Fact]
    public void Acknowledged_writes_survive_kill_9_of_all_replicas()
    {
        using var first = new ServerProcess(replicas: 3);
        first.WaitUntilReady();
        using (RawClient client = first.Connect(1))
        {
            for (int i = 0; i < 100; i++) Assert.Equal("+OK\r\n", client.Call("SET", "durable:" + i, "value" + i));
            Assert.Equal(":100\r\n", client.Call("INCRBY", "durable:counter", "100"));
        }
        first.Crash();

        using var second = new ServerProcess(first);
        second.WaitUntilReady();
        using RawClient after = second.Connect(2);
        Assert.Equal("$7\r\nvalue42\r\n", after.Call("GET", "durable:42"));
        Assert.Equal("$7\r\nvalue99\r\n", after.Call("GET", "durable:99"));
        Assert.Equal(":101\r\n", after.Call("INCR", "durable:counter"));
        Assert.Contains("recovered its log", second.Output);
    }

    [Fact]
    public void Pipelined_writes_on_one_connection_through_a_follower_reply_in_order()
    {
        using var server = new ServerProcess(replicas: 3);
        server.WaitUntilReady();
        using RawClient client = server.Connect(2);
        var batch = new List<byte>();
        for (int i = 1; i <= 300; i++)
        {
            batch.AddRange(RawClient.Encode("APPEND", "pipe", "x"));
            if (i % 100 == 0) batch.AddRange(RawClient.Encode("STRLEN", "pipe"));
        }
        client.Send(batch.ToArray());
        for (int i = 1; i <= 300; i++)
        {
            Assert.Equal($":{i}\r\n", client.ReadReply());
            if (i % 100 == 0) Assert.Equal($":{i}\r\n", client.ReadReply());
        }
    }

    [Fact]
    public void Sigterm_stops_the_server_cleanly()
    {
        using var server = new ServerProcess(replicas: 1);
        server.WaitUntilReady();
        using (RawClient client = server.Connect(0))
        {
            Assert.Equal("+PONG\r\n", client.Call("PING"));
        }
        Assert.Equal(0, server.Terminate(TimeSpan.FromSeconds(30)));
        Assert.Contains("stopping", server.Output);
    }

    [Fact]
    public void Node_option_starts_only_that_replica()
    {
        using var server = new ServerProcess(replicas: 3, extraArgs: "--node 1");
        server.WaitUntilReady();
        using RawClient client = server.Connect(1);
        Assert.Equal("+PONG\r\n", client.Call("PING"));
        Assert.Throws<System.Net.Sockets.SocketException>(() => server.Connect(0));
    }

    [Fact]
    public void Bad_config_is_reported_and_the_server_exits_with_code_2()
    {
        using var server = new ServerProcess(replicas: 1, extraArgs: "--node 7");
        Assert.Equal(2, server.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.Contains("--node 7", server.Output);
    }
}
