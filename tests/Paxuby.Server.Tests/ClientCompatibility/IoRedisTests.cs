using System.Text.Json;

namespace Paxuby.Server.Tests.ClientCompatibility;

/// <summary>
/// ioredis (tests/clients, default options). Version 6 connects with HELLO 3 (falling back to
/// RESP2 only when HELLO is refused as unknown), pipelines CLIENT SETINFO LIB-VER and LIB-NAME
/// (errors ignored), then sends INFO and is ready only once it reads loading:0. Version 5 sends
/// no HELLO: CLIENT SETINFO LIB-NAME, CLIENT SETINFO LIB-VER, then INFO, all over RESP2.
/// </summary>
[Collection(ExternalClientsCollection.Name)]
public sealed class IoRedisTests
{
    private static async Task<ProcessResult> Smoke(TestServer server, string prefix)
    {
        string node = await ClientTools.RequireNodePackageAsync("ioredis");
        return await ExternalProcess.RunAsync(
            node,
            ["ioredis-smoke.js", server.Port.ToString(), prefix],
            workingDirectory: ClientTools.ClientsDirectory);
    }

    [SkippableFact]
    public async Task Default_options_run_strings_transactions_pipelines_and_pubsub()
    {
        await using var server = new TestServer();

        ProcessResult run = await Smoke(server, "io");

        JsonElement report = ClientTools.SmokeReport(run);
        Assert.Equal("ready", report.GetProperty("checks").GetProperty("status").GetString());
        Assert.Equal(1, report.GetProperty("checks").GetProperty("publish").GetInt32());
        ClientTools.AssertSmokeKeysWritten(server, "io");
    }

    [Fact]
    public async Task Connect_handshake_gets_the_replies_redis_gives()
    {
        await using var server = new TestServer();
        using RawClient raw = server.Connect();
        // ioredis 6.0.0's first bytes, exactly as captured against Redis 7 (one write), then INFO.
        raw.Send([
            .. RawClient.Encode("hello", "3"),
            .. RawClient.Encode("client", "SETINFO", "LIB-VER", "6.0.0"),
            .. RawClient.Encode("client", "SETINFO", "LIB-NAME", "ioredis"),
        ]);
        string hello = raw.ReadReply();
        Assert.StartsWith("%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n", hello);
        Assert.Contains("$5\r\nproto\r\n:3\r\n", hello);
        Assert.Contains("$4\r\nrole\r\n$6\r\nmaster\r\n", hello);
        Assert.Equal("+OK\r\n", raw.ReadReply());
        Assert.Equal("+OK\r\n", raw.ReadReply());

        // Over RESP3, INFO is a verbatim string ("=<len>\r\ntxt:..."); ioredis waits for loading:0.
        string info = raw.Call("info");
        Assert.StartsWith("=", info);
        Assert.Contains("\r\ntxt:# Server\r\n", info);
        Assert.Contains("\r\nloading:0\r\n", info);
        Assert.Contains("\r\nredis_version:7.", info);
    }

    [Fact]
    public async Task Version_5_connect_handshake_gets_the_replies_redis_gives()
    {
        await using var server = new TestServer();
        using RawClient raw = server.Connect();
        // ioredis 5.9.2's first commands, as captured against Redis 7: RESP2 throughout.
        Assert.Equal("+OK\r\n", raw.Call("client", "SETINFO", "LIB-NAME", "ioredis"));
        Assert.Equal("+OK\r\n", raw.Call("client", "SETINFO", "LIB-VER", "5.9.2"));
        string info = raw.Call("info");
        Assert.StartsWith("$", info);
        Assert.Contains("\r\n# Server\r\n", info);
        Assert.Contains("\r\nloading:0\r\n", info);
        Assert.Equal("+PONG\r\n", raw.Call("ping"));
    }
}
