using System.Text.Json;

namespace Paxuby.Server.Tests.ClientCompatibility;

/// <summary>
/// redis-py as Debian ships it (python3-redis, run by /usr/bin/python3), default options.
/// redis-py 4.x sends nothing on connect; 5.0 and later send CLIENT SETINFO LIB-NAME redis-py and
/// CLIENT SETINFO LIB-VER (errors ignored), preceded by HELLO 3 when protocol=3 is chosen.
/// </summary>
[Collection(ExternalClientsCollection.Name)]
public sealed class RedisPyTests
{
    private static async Task<ProcessResult> Smoke(TestServer server, string prefix, string? resp = null)
    {
        string python = await ClientTools.RequireRedisPyAsync();
        List<string> arguments = [Path.Combine(ClientTools.ClientsDirectory, "redis-py-smoke.py"), server.Port.ToString(), prefix];
        if (resp is not null) arguments.Add(resp);
        return await ExternalProcess.RunAsync(python, arguments);
    }

    [SkippableFact]
    public async Task Default_options_run_strings_pipelines_transactions_and_pubsub()
    {
        await using var server = new TestServer();

        ProcessResult run = await Smoke(server, "py");

        JsonElement report = ClientTools.SmokeReport(run);
        Assert.Equal("WatchError", report.GetProperty("checks").GetProperty("watch_abort").GetString());
        ClientTools.AssertSmokeKeysWritten(server, "py");
        using RawClient raw = server.Connect();
        Assert.Equal(":0\r\n", raw.Call("EXISTS", "py:w"));
    }

    [SkippableFact]
    public async Task Resp3_works_where_redis_py_supports_it()
    {
        await using var server = new TestServer();

        ProcessResult run = await Smoke(server, "py3", resp: "3");

        JsonElement report = ClientTools.SmokeReport(run);
        if (report.TryGetProperty("skipped", out JsonElement why))
        {
            // A library limit, not a missing tool: skipped under CI too.
            Skip.If(true, why.GetString());
        }
        ClientTools.AssertSmokeKeysWritten(server, "py3");
    }

    [Fact]
    public async Task Connect_handshake_of_redis_py_5_and_later_gets_the_replies_redis_gives()
    {
        await using var server = new TestServer();
        using RawClient raw = server.Connect();
        // protocol=3: HELLO 3 first, then the two CLIENT SETINFO, each read before the next is sent.
        string hello = raw.Call("HELLO", "3");
        Assert.StartsWith("%7\r\n", hello);
        Assert.Contains("$5\r\nproto\r\n:3\r\n", hello);
        Assert.Equal("+OK\r\n", raw.Call("CLIENT", "SETINFO", "LIB-NAME", "redis-py"));
        Assert.Equal("+OK\r\n", raw.Call("CLIENT", "SETINFO", "LIB-VER", "5.0.1"));
        Assert.Equal("+PONG\r\n", raw.Call("PING"));

        using RawClient resp2 = server.Connect();
        Assert.Equal("+OK\r\n", resp2.Call("CLIENT", "SETINFO", "LIB-NAME", "redis-py"));
        Assert.Equal("+OK\r\n", resp2.Call("CLIENT", "SETINFO", "LIB-VER", "5.0.1"));
        Assert.Equal("$-1\r\n", resp2.Call("GET", "py:missing"));
    }
}
