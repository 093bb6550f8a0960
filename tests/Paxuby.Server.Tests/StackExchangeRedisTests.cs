using StackExchange.Redis;

namespace Paxuby.Server.Tests;

/// <summary>StackExchange.Redis with default options: its handshake (ECHO, CLIENT, CONFIG, INFO, CLUSTER, SUBSCRIBE) and ordinary use.</summary>
public sealed class StackExchangeRedisTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private ConnectionMultiplexer _redis = null!;

    public async Task InitializeAsync()
    {
        _server = new TestServer();
        var writer = new StringWriter();
        _redis = await ConnectionMultiplexer.ConnectAsync(_server.Address, writer);
        Assert.True(_redis.IsConnected, writer.ToString());
    }

    public async Task DisposeAsync()
    {
        await _redis.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Connects_with_default_options_and_sees_a_writable_primary()
    {
        IServer server = _redis.GetServer(_server.Address);
        Assert.False(server.IsReplica);
        Assert.True(server.IsConnected);
        Assert.Equal(7, server.Version.Major);
        Assert.True(await _redis.GetDatabase().PingAsync() < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Strings_counters_and_expiry_work()
    {
        IDatabase db = _redis.GetDatabase();
        Assert.True(await db.StringSetAsync("se:name", "paxuby"));
        Assert.Equal("paxuby", await db.StringGetAsync("se:name"));
        Assert.Equal(5, await db.StringIncrementAsync("se:counter", 5));
        Assert.Equal(4, await db.StringDecrementAsync("se:counter"));
        Assert.True(await db.StringSetAsync("se:temp", "x", TimeSpan.FromSeconds(100)));
        TimeSpan? ttl = await db.KeyTimeToLiveAsync("se:temp");
        Assert.NotNull(ttl);
        Assert.InRange(ttl!.Value.TotalSeconds, 90, 100);
        Assert.True(await db.KeyDeleteAsync("se:name"));
        Assert.False(await db.KeyExistsAsync("se:name"));
    }

    [Fact]
    public async Task Transaction_with_condition_commits_and_fails_as_redis_does()
    {
        IDatabase db = _redis.GetDatabase();
        await db.StringSetAsync("se:tx", "1");
        ITransaction tx = db.CreateTransaction();
        tx.AddCondition(Condition.StringEqual("se:tx", "1"));
        _ = tx.StringSetAsync("se:tx", "2");
        Assert.True(await tx.ExecuteAsync());
        Assert.Equal("2", await db.StringGetAsync("se:tx"));

        ITransaction failing = db.CreateTransaction();
        failing.AddCondition(Condition.StringEqual("se:tx", "1"));
        _ = failing.StringSetAsync("se:tx", "3");
        Assert.False(await failing.ExecuteAsync());
        Assert.Equal("2", await db.StringGetAsync("se:tx"));
    }

    [Fact]
    public async Task Pub_sub_delivers_messages()
    {
        ISubscriber subscriber = _redis.GetSubscriber();
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await subscriber.SubscribeAsync(RedisChannel.Literal("se:events"), (_, message) => received.TrySetResult(message!));
        long receivers = await subscriber.PublishAsync(RedisChannel.Literal("se:events"), "ping");
        Assert.Equal(1, receivers);
        Assert.Equal("ping", await received.Task.WaitAsync(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task Many_concurrent_operations_all_complete()
    {
        IDatabase db = _redis.GetDatabase();
        var tasks = Enumerable.Range(0, 1000).Select(i => db.StringIncrementAsync("se:concurrent")).ToArray();
        await Task.WhenAll(tasks);
        Assert.Equal(1000, (long)await db.StringGetAsync("se:concurrent"));
    }
}
