using System.Text.Json;

namespace Paxuby.Server.Tests.ClientCompatibility;

/// <summary>
/// node-redis (tests/clients), v4 and the current major, default options. v4 speaks RESP2 only and
/// opens with CLIENT SETINFO LIB-NAME node-redis / LIB-VER (errors ignored). v6 defaults to RESP3:
/// it pipelines HELLO 3, CLIENT SETINFO LIB-VER / LIB-NAME and CLIENT MAINT_NOTIFICATIONS ON
/// moving-endpoint-type external-ip, and has no RESP2 fallback: a refused HELLO fails the connection.
/// </summary>
[Collection(ExternalClientsCollection.Name)]
public sealed class NodeRedisTests
{
    private static async Task<ProcessResult> Smoke(TestServer server, string package, string prefix, string? resp = null)
    {
        string node = await ClientTools.RequireNodePackageAsync(package);
        List<string> arguments = ["node-redis-smoke.js", package, server.Port.ToString(), prefix];
        if (resp is not null) arguments.Add(resp);
        return await ExternalProcess.RunAsync(node, arguments, workingDirectory: ClientTools.ClientsDirectory);
    }

    [SkippableFact]
    public async Task Version_4_with_default_options_works()
    {
        await using var server = new TestServer();

        ProcessResult run = await Smoke(server, "redis4", "nr4");

        JsonElement report = ClientTools.SmokeReport(run);
        Assert.StartsWith("4.", report.GetProperty("version").GetString());
        ClientTools.AssertSmokeKeysWritten(server, "nr4");
    }

    [SkippableFact]
    public async Task Current_version_with_default_options_works_over_resp3()
    {
        await using var server = new TestServer();

        ProcessResult run = await Smoke(server, "redis", "nr");

        JsonElement report = ClientTools.SmokeReport(run);
        Assert.Equal("default", report.GetProperty("resp").GetString());
        ClientTools.AssertSmokeKeysWritten(server, "nr");
    }

    [SkippableFact]
    public async Task Current_version_with_resp2_chosen_works()
    {
        await using var server = new TestServer();

        ProcessResult run = await Smoke(server, "redis", "nr2", resp: "2");

        JsonElement report = ClientTools.SmokeReport(run);
        Assert.Equal(2, report.GetProperty("resp").GetInt32());
        ClientTools.AssertSmokeKeysWritten(server, "nr2");
    }

    [Fact]
    public async Task Version_4_connect_handshake_gets_the_replies_redis_gives()
    {
        await using var server = new TestServer();
        using RawClient raw = server.Connect();
        // node-redis 4.7.1's first bytes, exactly as captured against Redis 7 (it reports its
        // @redis/client version).
        raw.Send([
            .. RawClient.Encode("CLIENT", "SETINFO", "LIB-NAME", "node-redis"),
            .. RawClient.Encode("CLIENT", "SETINFO", "LIB-VER", "1.6.0"),
        ]);
        Assert.Equal("+OK\r\n", raw.ReadReply());
        Assert.Equal("+OK\r\n", raw.ReadReply());
        Assert.Equal("+PONG\r\n", raw.Call("PING"));
    }

    [Fact]
    public async Task Current_version_connect_handshake_gets_the_replies_redis_gives()
    {
        await using var server = new TestServer();
        using RawClient raw = server.Connect();
        // node-redis 6.3.1's first bytes with default options, exactly as captured against Redis 7 (one write).
        raw.Send([
            .. RawClient.Encode("HELLO", "3"),
            .. RawClient.Encode("CLIENT", "SETINFO", "LIB-VER", "6.3.1"),
            .. RawClient.Encode("CLIENT", "SETINFO", "LIB-NAME", "node-redis"),
            .. RawClient.Encode("CLIENT", "MAINT_NOTIFICATIONS", "ON", "moving-endpoint-type", "external-ip"),
        ]);
        string hello = raw.ReadReply();
        Assert.StartsWith("%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n", hello);
        Assert.Contains("$5\r\nproto\r\n:3\r\n", hello);
        Assert.Equal("+OK\r\n", raw.ReadReply());
        Assert.Equal("+OK\r\n", raw.ReadReply());
        // Redis before 8.2 has no MAINT_NOTIFICATIONS; node-redis ignores the error in its default "auto" mode.
        Assert.Equal("-ERR unknown subcommand 'MAINT_NOTIFICATIONS'. Try CLIENT HELP.\r\n", raw.ReadReply());
        Assert.Equal("+PONG\r\n", raw.Call("PING"));
    }
}
