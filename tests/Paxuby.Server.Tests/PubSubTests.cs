namespace Paxuby.Server.Tests;

/// <summary>SUBSCRIBE/PSUBSCRIBE/PUBLISH on one replica.</summary>
public sealed class PubSubTests : ServerTest
{
    [Fact]
    public void Subscriber_receives_published_message_and_publisher_gets_count()
    {
        using RawClient subscriber = Server.Connect();
        using RawClient publisher = Server.Connect();
        Assert.Equal("*3\r\n$9\r\nsubscribe\r\n$4\r\nnews\r\n:1\r\n", subscriber.Call("SUBSCRIBE", "news"));
        Assert.Equal(":1\r\n", publisher.Call("PUBLISH", "news", "hello"));
        Assert.Equal("*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$5\r\nhello\r\n", subscriber.ReadReply());
        Assert.Equal(":0\r\n", publisher.Call("PUBLISH", "other", "x"));
    }

    [Fact]
    public void Pattern_subscriber_receives_pmessage()
    {
        using RawClient subscriber = Server.Connect();
        using RawClient publisher = Server.Connect();
        Assert.Equal("*3\r\n$10\r\npsubscribe\r\n$6\r\nnews.*\r\n:1\r\n", subscriber.Call("PSUBSCRIBE", "news.*"));
        Assert.Equal(":1\r\n", publisher.Call("PUBLISH", "news.sport", "goal"));
        Assert.Equal("*4\r\n$8\r\npmessage\r\n$6\r\nnews.*\r\n$10\r\nnews.sport\r\n$4\r\ngoal\r\n", subscriber.ReadReply());
    }

    [Fact]
    public void Resp2_subscriber_may_only_run_subscription_commands_and_ping()
    {
        using RawClient client = Server.Connect();
        client.Send(RawClient.Encode("SUBSCRIBE", "a", "b"));
        Assert.Equal("*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n", client.ReadReply());
        Assert.Equal("*3\r\n$9\r\nsubscribe\r\n$1\r\nb\r\n:2\r\n", client.ReadReply());
        Assert.Equal("-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n",
            client.Call("GET", "x"));
        Assert.Equal("*2\r\n$4\r\npong\r\n$0\r\n\r\n", client.Call("PING"));
        client.Send(RawClient.Encode("UNSUBSCRIBE"));
        Assert.Equal("*3\r\n$11\r\nunsubscribe\r\n$1\r\na\r\n:1\r\n", client.ReadReply());
        Assert.Equal("*3\r\n$11\r\nunsubscribe\r\n$1\r\nb\r\n:0\r\n", client.ReadReply());
        Assert.Equal("*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n", client.Call("UNSUBSCRIBE"));
        Assert.Equal("$-1\r\n", client.Call("GET", "x"));
    }

    [Fact]
    public void Resp3_subscriber_gets_push_frames_and_may_run_any_command()
    {
        using RawClient subscriber = Server.Connect();
        using RawClient publisher = Server.Connect();
        subscriber.Call("HELLO", "3");
        Assert.Equal(">3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n", subscriber.Call("SUBSCRIBE", "ch"));
        Assert.Equal("_\r\n", subscriber.Call("GET", "x"));
        publisher.Call("PUBLISH", "ch", "m");
        Assert.Equal(">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$1\r\nm\r\n", subscriber.ReadReply());
    }

    [Fact]
    public void Pubsub_introspection_counts_channels_and_subscribers()
    {
        using RawClient subscriber = Server.Connect();
        using RawClient observer = Server.Connect();
        subscriber.Call("SUBSCRIBE", "room");
        Assert.Equal("*1\r\n$4\r\nroom\r\n", observer.Call("PUBSUB", "CHANNELS"));
        Assert.Equal("*4\r\n$4\r\nroom\r\n:1\r\n$5\r\nempty\r\n:0\r\n", observer.Call("PUBSUB", "NUMSUB", "room", "empty"));
        Assert.Equal(":0\r\n", observer.Call("PUBSUB", "NUMPAT"));
    }

    [Fact]
    public void Disconnected_subscriber_is_forgotten()
    {
        using RawClient publisher = Server.Connect();
        using (RawClient subscriber = Server.Connect())
        {
            subscriber.Call("SUBSCRIBE", "gone");
            Assert.Equal("+OK\r\n", subscriber.Call("QUIT"));
            Assert.True(subscriber.IsClosedByServer());
        }
        Assert.Equal(":0\r\n", publisher.Call("PUBLISH", "gone", "x"));
    }
}
