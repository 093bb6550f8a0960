using Microsoft.Extensions.Time.Testing;

namespace Paxuby.Server.Tests;

/// <summary>Keys nobody touches leave on their own, through the sweep command, driven by a fake clock.</summary>
public sealed class ExpiryTests
{
    [Fact]
    public async Task Untouched_key_with_500ms_ttl_is_removed_by_the_sweep()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000));
        await using var server = new TestServer(time: time);
        using RawClient client = server.Connect();
        Assert.Equal("+OK\r\n", client.Call("SET", "short-lived", "v", "PX", "500"));
        Assert.Equal("+OK\r\n", client.Call("SET", "long-lived", "v", "EX", "100"));
        Assert.Equal(":2\r\n", client.Call("DBSIZE"));

        time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.Equal(":2\r\n", client.Call("DBSIZE"));
        Assert.Equal("$1\r\nv\r\n", client.Call("GET", "short-lived"));

        time.Advance(TimeSpan.FromMilliseconds(200));
        Assert.Equal(":1\r\n", client.Call("DBSIZE"));
        Assert.Equal("$-1\r\n", client.Call("GET", "short-lived"));
    }

    [Fact]
    public async Task Expired_key_is_invisible_before_the_sweep_runs()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000));
        await using var server = new TestServer(time: time);
        using RawClient client = server.Connect();
        client.Call("SET", "k", "v", "PX", "50");
        // Less than one sweep interval: the key is still stored but already expired.
        time.Advance(TimeSpan.FromMilliseconds(60));
        Assert.Equal("$-1\r\n", client.Call("GET", "k"));
        Assert.Equal(":-2\r\n", client.Call("PTTL", "k"));
        Assert.Equal(":0\r\n", client.Call("EXISTS", "k"));
    }
}

/// <summary>Redis's <c>timeout</c> setting closes idle clients, driven by a fake clock.</summary>
public sealed class IdleTimeoutTests
{
    [Fact]
    public async Task Idle_client_is_closed_after_timeout_but_subscriber_stays()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000));
        await using var server = new TestServer(time: time);
        using RawClient admin = server.Connect();
        using RawClient idle = server.Connect();
        using RawClient subscriber = server.Connect();
        Assert.Equal("+OK\r\n", admin.Call("CONFIG", "SET", "timeout", "5"));
        Assert.Equal("+PONG\r\n", idle.Call("PING"));
        subscriber.Call("SUBSCRIBE", "news");

        time.Advance(TimeSpan.FromSeconds(7));

        Assert.True(idle.IsClosedByServer());
        using RawClient publisher = server.Connect();
        Assert.Equal(":1\r\n", publisher.Call("PUBLISH", "news", "still-here"));
        Assert.Equal("*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$10\r\nstill-here\r\n", subscriber.ReadReply());
    }
}
