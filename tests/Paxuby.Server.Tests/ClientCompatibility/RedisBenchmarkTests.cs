using System.Text.RegularExpressions;

namespace Paxuby.Server.Tests.ClientCompatibility;

/// <summary>
/// redis-benchmark against a replica. It first asks CONFIG GET save and CONFIG GET appendonly
/// (pipelined, on a connection of its own) and warns "Could not fetch server CONFIG" when those
/// fail; then its clients run the tests. Only completion and output are checked, never speed.
/// </summary>
[Collection(ExternalClientsCollection.Name)]
public sealed class RedisBenchmarkTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    private static async Task<ProcessResult> Benchmark(TestServer server, params string[] arguments)
    {
        string benchmark = ClientTools.RequireExecutable("redis-benchmark", "apt-get install redis-tools");
        // redis-benchmark retries forever when it cannot connect, so the timeout is what ends a hang.
        return await ExternalProcess.RunAsync(benchmark, ["-h", "127.0.0.1", "-p", server.Port.ToString(), .. arguments], timeout: Timeout);
    }

    private static void AssertCompleted(ProcessResult run, params string[] tests)
    {
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.DoesNotContain("Could not fetch server CONFIG", run.Stdout + run.Stderr);
        Assert.DoesNotContain("ERR", run.Stdout + run.Stderr);
        foreach (string test in tests)
        {
            // With -q each test ends with "NAME: <n> requests per second, p50=<t> msec" (after progress lines ending in \r).
            Assert.Matches(new Regex($@"(^|[\r\n ]){test}: [0-9]+(\.[0-9]+)? requests per second", RegexOptions.Multiline), run.Stdout);
        }
    }

    [SkippableFact]
    public async Task Set_and_get_complete_with_ten_clients()
    {
        await using var server = new TestServer();

        ProcessResult run = await Benchmark(server, "-t", "set,get", "-n", "2000", "-c", "10", "-q");

        AssertCompleted(run, "SET", "GET");
        using RawClient raw = server.Connect();
        // Without -r every request uses the literal key "key:__rand_int__" and a 3-byte value (-d 3).
        Assert.Matches(@"^\$3\r\n...\r\n$", raw.Call("GET", "key:__rand_int__"));
    }

    [SkippableFact]
    public async Task Pipelined_set_and_get_complete()
    {
        await using var server = new TestServer();

        ProcessResult run = await Benchmark(server, "-t", "set,get", "-n", "2000", "-c", "10", "-P", "16", "-q");

        AssertCompleted(run, "SET", "GET");
        using RawClient raw = server.Connect();
        Assert.Matches(@"^\$3\r\n...\r\n$", raw.Call("GET", "key:__rand_int__"));
    }

    [SkippableFact]
    public async Task Random_keys_and_incr_land_in_the_keyspace()
    {
        await using var server = new TestServer();

        ProcessResult run = await Benchmark(server, "-t", "set,incr", "-n", "1000", "-c", "4", "-r", "100000", "-d", "16", "-q");

        AssertCompleted(run, "SET", "INCR");
        using RawClient raw = server.Connect();
        // With -r, "__rand_int__" becomes a 12-digit number: 1000 SETs on key:N and 1000 INCRs on
        // counter:N, over 100000 values, leave nearly 2000 distinct keys.
        string size = raw.Call("DBSIZE");
        Assert.Matches(@"^:\d+\r\n$", size);
        Assert.InRange(int.Parse(size[1..^2]), 1900, 2000);
    }

    [Fact]
    public async Task Config_requests_sent_first_get_the_replies_redis_gives()
    {
        await using var server = new TestServer();
        using RawClient raw = server.Connect();
        // redis-benchmark's first bytes, exactly as captured against Redis 7: two pipelined CONFIG GETs.
        raw.Send([.. RawClient.Encode("CONFIG", "GET", "save"), .. RawClient.Encode("CONFIG", "GET", "appendonly")]);
        Assert.Matches(@"^\*2\r\n\$4\r\nsave\r\n\$\d+\r\n[0-9 ]*\r\n$", raw.ReadReply());
        Assert.Matches(@"^\*2\r\n\$10\r\nappendonly\r\n(\$2\r\nno|\$3\r\nyes)\r\n$", raw.ReadReply());
    }
}
