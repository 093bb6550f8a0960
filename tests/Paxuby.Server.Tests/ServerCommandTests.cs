namespace Paxuby.Server.Tests;

/// <summary>INFO, CONFIG and COMMAND: what monitoring tools and client libraries read on connect.</summary>
public sealed class ServerCommandTests : ServerTest
{
    [Fact]
    public void Info_has_the_fields_clients_read()
    {
        using RawClient client = Server.Connect();
        client.Call("SET", "a", "1");
        client.Call("SET", "b", "2", "EX", "100");
        string info = client.Call("INFO");
        foreach (string field in new[] { "# Server\r\n", "redis_version:7.", "redis_mode:standalone\r\n", "tcp_port:" + Server.Port + "\r\n",
                     "# Clients\r\n", "connected_clients:", "# Memory\r\n", "used_memory:", "# Persistence\r\n", "loading:0\r\n",
                     "# Replication\r\n", "role:master\r\n", "# Keyspace\r\n", "db0:keys=2,expires=1,avg_ttl=" })
        {
            Assert.Contains(field, info);
        }
    }

    [Fact]
    public void Info_memory_reports_the_garbage_collectors_work_and_pauses()
    {
        using RawClient client = Server.Connect();
        Dictionary<string, long> before = GcFields(client.Call("INFO", "memory"));
        for (int i = 0; i < 200; i++) client.Call("SET", "k" + i, new string('v', 1000));
        Dictionary<string, long> after = GcFields(client.Call("INFO", "memory"));

        string[] names = ["gc_heap_bytes", "gc_allocated_bytes", "gc_gen0_collections", "gc_gen1_collections", "gc_gen2_collections",
            "gc_pause_total_ms", "gc_last_index", "gc_last_generation", "gc_last_pause_ms", "gc_last_promoted_bytes"];
        Assert.Equal(names.Order(), after.Keys.Order());
        Assert.All(after.Values, v => Assert.True(v >= 0));
        Assert.True(after["gc_allocated_bytes"] > before["gc_allocated_bytes"] + 200 * 1000);
        Assert.True(after["gc_gen0_collections"] >= after["gc_gen1_collections"]);
        Assert.True(after["gc_gen1_collections"] >= after["gc_gen2_collections"]);
    }

    private static Dictionary<string, long> GcFields(string info) =>
        info.Split("\r\n").Where(l => l.StartsWith("gc_", StringComparison.Ordinal))
            .Select(l => l.Split(':')).ToDictionary(p => p[0], p => long.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void Info_section_returns_only_that_section()
    {
        using RawClient client = Server.Connect();
        string info = client.Call("INFO", "replication");
        Assert.Contains("# Replication\r\nrole:master\r\n", info);
        Assert.DoesNotContain("# Server", info);
    }

    [Fact]
    public void Info_is_verbatim_text_in_resp3()
    {
        using RawClient client = Server.Connect();
        client.Call("HELLO", "3");
        Assert.StartsWith("=", client.Call("INFO", "server"));
        Assert.Contains("txt:# Server", client.Call("INFO", "server"));
    }

    [Fact]
    public void Config_get_answers_what_redis_benchmark_and_libraries_ask()
    {
        using RawClient client = Server.Connect();
        Assert.Equal("*2\r\n$4\r\nsave\r\n$0\r\n\r\n", client.Call("CONFIG", "GET", "save"));
        Assert.Equal("*2\r\n$10\r\nappendonly\r\n$2\r\nno\r\n", client.Call("CONFIG", "GET", "appendonly"));
        Assert.Equal("*2\r\n$9\r\ndatabases\r\n$2\r\n16\r\n", client.Call("CONFIG", "GET", "databases"));
        Assert.Equal("*0\r\n", client.Call("CONFIG", "GET", "no-such-setting"));
        Assert.Contains("$9\r\nmaxmemory\r\n$1\r\n0\r\n", client.Call("CONFIG", "GET", "maxmemory*"));
    }

    [Fact]
    public void Config_get_is_a_map_in_resp3()
    {
        using RawClient client = Server.Connect();
        client.Call("HELLO", "3");
        Assert.Equal("%1\r\n$9\r\ndatabases\r\n$2\r\n16\r\n", client.Call("CONFIG", "GET", "databases"));
    }

    [Fact]
    public void Config_set_changes_mutable_settings_and_refuses_others()
    {
        using RawClient client = Server.Connect();
        Assert.Equal("+OK\r\n", client.Call("CONFIG", "SET", "timeout", "300"));
        Assert.Equal("*2\r\n$7\r\ntimeout\r\n$3\r\n300\r\n", client.Call("CONFIG", "GET", "timeout"));
        Assert.Equal("-ERR Unknown option or number of arguments for CONFIG SET - 'nope'\r\n", client.Call("CONFIG", "SET", "nope", "1"));
        Assert.Equal("-ERR CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config\r\n",
            client.Call("CONFIG", "SET", "databases", "4"));
        Assert.Equal("-ERR unknown subcommand 'FOO'. Try CONFIG HELP.\r\n", client.Call("CONFIG", "FOO"));
    }

    [Fact]
    public void Command_count_info_and_docs_describe_the_table()
    {
        using RawClient client = Server.Connect();
        string count = client.Call("COMMAND", "COUNT");
        Assert.Matches(@"^:\d+\r\n$", count);
        Assert.True(int.Parse(count[1..^2]) > 60);
        Assert.StartsWith($"*{count[1..^2]}\r\n", client.Call("COMMAND", "LIST"));
        string info = client.Call("COMMAND", "INFO", "get", "nosuchcommand");
        Assert.StartsWith("*2\r\n*", info);
        Assert.Contains("$3\r\nget\r\n:2\r\n", info);
        Assert.EndsWith("*-1\r\n", info);
        Assert.Contains("$3\r\nset\r\n", client.Call("COMMAND", "DOCS", "set"));
        Assert.Contains("$4\r\nmget\r\n", client.Call("COMMAND", "LIST"));
    }

    [Fact]
    public void Shutdown_and_debug_are_refused_with_a_clear_error()
    {
        using RawClient client = Server.Connect();
        Assert.StartsWith("-ERR SHUTDOWN is disabled on Paxuby replicas", client.Call("SHUTDOWN"));
        Assert.Equal("-ERR DEBUG SLEEP is not supported\r\n", client.Call("DEBUG", "SLEEP", "0"));
        Assert.Equal("+PONG\r\n", client.Call("PING"));
    }
}
