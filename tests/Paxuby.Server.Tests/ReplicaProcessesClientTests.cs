using StackExchange.Redis;
using Paxuby.Server.Tests.ClientCompatibility;

namespace Paxuby.Server.Tests;

/// <summary>
/// Ordinary clients against three replica processes, through a failover: StackExchange.Redis given
/// every endpoint or only one, and redis-cli pointed at a follower.
/// </summary>
[Collection(ExternalClientsCollection.Name)]
public sealed class ReplicaProcessesClientTests
{
    private static readonly TimeSpan FailoverDeadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task StackExchange_redis_with_every_endpoint_writes_and_reads_before_and_after_the_leader_dies()
    {
        using var cluster = new ReplicaProcesses();
        int leader = cluster.WaitForLeader();
        var options = new ConfigurationOptions { AbortOnConnectFail = false, ConnectTimeout = 5000, SyncTimeout = 10000, AsyncTimeout = 10000 };
        foreach (int port in cluster.Ports) options.EndPoints.Add("127.0.0.1", port);
        var log = new StringWriter();
        await using ConnectionMultiplexer redis = await ConnectionMultiplexer.ConnectAsync(options, log);
        IDatabase db = redis.GetDatabase();
        for (int i = 0; i < 50; i++) Assert.True(await db.StringSetAsync("se:" + i, "v" + i), log.ToString());
        Assert.Equal("v7", await db.StringGetAsync("se:7"));

        cluster.Crash(leader);
        await RetryUntilAcceptedAsync(() => db.StringSetAsync("se:after", "yes"));
        for (int i = 50; i < 100; i++) Assert.True(await db.StringSetAsync("se:" + i, "v" + i));
        for (int i = 0; i < 100; i++) Assert.Equal("v" + i, await db.StringGetAsync("se:" + i));
        Assert.Equal(2, await db.StringIncrementAsync("se:counter", 2));
    }

    [Fact]
    public async Task StackExchange_redis_with_one_follower_endpoint_writes_through_it_across_a_failover()
    {
        using var cluster = new ReplicaProcesses();
        int leader = cluster.WaitForLeader();
        int follower = (leader + 1) % 3;
        var log = new StringWriter();
        await using ConnectionMultiplexer redis = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{cluster.Ports[follower]},syncTimeout=10000,asyncTimeout=10000", log);
        Assert.False(redis.GetServer("127.0.0.1", cluster.Ports[follower]).IsReplica, "a follower must look writable to a client given only it");
        IDatabase db = redis.GetDatabase();
        Assert.True(await db.StringSetAsync("one:before", "1"), log.ToString());

        cluster.Crash(leader);
        await RetryUntilAcceptedAsync(() => db.StringSetAsync("one:after", "2"));
        Assert.Equal("1", await db.StringGetAsync("one:before"));
        Assert.Equal("2", await db.StringGetAsync("one:after"));
    }

    [SkippableFact]
    public async Task Redis_cli_against_a_follower_writes_and_reads()
    {
        string cli = ClientTools.RequireExecutable("redis-cli", "apt-get install redis-tools");
        using var cluster = new ReplicaProcesses();
        int leader = cluster.WaitForLeader();
        int follower = (leader + 2) % 3;
        string port = cluster.Ports[follower].ToString();
        ProcessResult set = await ExternalProcess.RunAsync(cli, "-p", port, "SET", "cli:follower", "hello");
        Assert.Equal("OK\n", set.Stdout);
        ProcessResult incr = await ExternalProcess.RunAsync(cli, "-p", port, "INCRBY", "cli:n", "5");
        Assert.Equal("5\n", incr.Stdout);
        using RawClient atLeader = cluster.Connect(leader);
        Assert.Equal("$5\r\nhello\r\n", atLeader.Call("GET", "cli:follower"));
        ProcessResult get = await ExternalProcess.RunAsync(cli, "-p", port, "GET", "cli:n");
        Assert.Equal("5\n", get.Stdout);
    }

    [SkippableFact]
    public async Task Redis_py_ioredis_and_node_redis_through_a_follower_work_before_and_after_the_leader_dies()
    {
        string python = await ClientTools.RequireRedisPyAsync();
        string node = await ClientTools.RequireNodePackageAsync("ioredis");
        await ClientTools.RequireNodePackageAsync("redis");
        using var cluster = new ReplicaProcesses();
        int leader = cluster.WaitForLeader();
        int follower = (leader + 1) % 3;
        string port = cluster.Ports[follower].ToString();

        async Task RunAll(string phase)
        {
            ClientTools.SmokeReport(await ExternalProcess.RunAsync(python, [Path.Combine(ClientTools.ClientsDirectory, "redis-py-smoke.py"), port, phase + "-py"]));
            ClientTools.SmokeReport(await ExternalProcess.RunAsync(node, ["ioredis-smoke.js", port, phase + "-io"], workingDirectory: ClientTools.ClientsDirectory));
            ClientTools.SmokeReport(await ExternalProcess.RunAsync(node, ["node-redis-smoke.js", "redis", port, phase + "-nr"], workingDirectory: ClientTools.ClientsDirectory));
        }

        await RunAll("before");
        cluster.Crash(leader);
        cluster.WaitForLeader();
        await RunAll("after");

        using RawClient check = cluster.Connect(follower);
        foreach (string prefix in new[] { "before-py", "before-io", "before-nr", "after-py", "after-io", "after-nr" })
        {
            Assert.Equal("$5\r\nhello\r\n", check.Call("GET", prefix + ":str"));
            Assert.Equal("$1\r\n3\r\n", check.Call("GET", prefix + ":counter"));
        }
    }

    /// <summary>Repeats a write through the failover until it is accepted; a failure past the deadline fails the test.</summary>
    private static async Task RetryUntilAcceptedAsync(Func<Task<bool>> write)
    {
        DateTime deadline = DateTime.UtcNow + FailoverDeadline;
        while (true)
        {
            try
            {
                if (await write()) return;
            }
            catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException or RedisServerException && DateTime.UtcNow < deadline)
            {
                // The client's connection to the dead replica, or the election still running.
            }
            if (DateTime.UtcNow >= deadline) Assert.Fail("no write accepted within " + FailoverDeadline);
            await Task.Delay(50); // back off between attempts, as a client would
        }
    }
}
