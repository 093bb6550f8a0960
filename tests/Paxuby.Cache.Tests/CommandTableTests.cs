using System.Buffers;
using System.Text;
using Paxuby.Resp;

namespace Paxuby.Cache.Tests;

public sealed class CommandTableTests
{
    /// <summary>Name, arity, first key, last key and step of every command as Redis 7.0's COMMAND INFO reports them.</summary>
    [Theory]
    [InlineData("del", -2, 1, -1, 1)]
    [InlineData("unlink", -2, 1, -1, 1)]
    [InlineData("exists", -2, 1, -1, 1)]
    [InlineData("touch", -2, 1, -1, 1)]
    [InlineData("type", 2, 1, 1, 1)]
    [InlineData("keys", 2, 0, 0, 0)]
    [InlineData("scan", -2, 0, 0, 0)]
    [InlineData("randomkey", 1, 0, 0, 0)]
    [InlineData("rename", 3, 1, 2, 1)]
    [InlineData("renamenx", 3, 1, 2, 1)]
    [InlineData("copy", -3, 1, 2, 1)]
    [InlineData("move", 3, 1, 1, 1)]
    [InlineData("object", -2, 0, 0, 0)]
    [InlineData("object|encoding", 3, 2, 2, 1)]
    [InlineData("object|freq", 3, 2, 2, 1)]
    [InlineData("object|help", 2, 0, 0, 0)]
    [InlineData("object|idletime", 3, 2, 2, 1)]
    [InlineData("object|refcount", 3, 2, 2, 1)]
    [InlineData("expire", -3, 1, 1, 1)]
    [InlineData("pexpire", -3, 1, 1, 1)]
    [InlineData("expireat", -3, 1, 1, 1)]
    [InlineData("pexpireat", -3, 1, 1, 1)]
    [InlineData("ttl", 2, 1, 1, 1)]
    [InlineData("pttl", 2, 1, 1, 1)]
    [InlineData("expiretime", 2, 1, 1, 1)]
    [InlineData("pexpiretime", 2, 1, 1, 1)]
    [InlineData("persist", 2, 1, 1, 1)]
    [InlineData("dbsize", 1, 0, 0, 0)]
    [InlineData("flushdb", -1, 0, 0, 0)]
    [InlineData("flushall", -1, 0, 0, 0)]
    [InlineData("swapdb", 3, 0, 0, 0)]
    [InlineData("ping", -1, 0, 0, 0)]
    [InlineData("echo", 2, 0, 0, 0)]
    [InlineData("quit", -1, 0, 0, 0)]
    [InlineData("reset", 1, 0, 0, 0)]
    [InlineData("hello", -1, 0, 0, 0)]
    [InlineData("auth", -2, 0, 0, 0)]
    [InlineData("select", 2, 0, 0, 0)]
    [InlineData("client", -2, 0, 0, 0)]
    [InlineData("client|caching", 3, 0, 0, 0)]
    [InlineData("client|getname", 2, 0, 0, 0)]
    [InlineData("client|getredir", 2, 0, 0, 0)]
    [InlineData("client|help", 2, 0, 0, 0)]
    [InlineData("client|id", 2, 0, 0, 0)]
    [InlineData("client|info", 2, 0, 0, 0)]
    [InlineData("client|kill", -3, 0, 0, 0)]
    [InlineData("client|list", -2, 0, 0, 0)]
    [InlineData("client|no-evict", 3, 0, 0, 0)]
    [InlineData("client|pause", -3, 0, 0, 0)]
    [InlineData("client|reply", 3, 0, 0, 0)]
    [InlineData("client|setname", 3, 0, 0, 0)]
    [InlineData("client|tracking", -3, 0, 0, 0)]
    [InlineData("client|trackinginfo", 2, 0, 0, 0)]
    [InlineData("client|unblock", -3, 0, 0, 0)]
    [InlineData("client|unpause", 2, 0, 0, 0)]
    [InlineData("info", -1, 0, 0, 0)]
    [InlineData("config", -2, 0, 0, 0)]
    [InlineData("config|get", -3, 0, 0, 0)]
    [InlineData("config|help", 2, 0, 0, 0)]
    [InlineData("config|resetstat", 2, 0, 0, 0)]
    [InlineData("config|rewrite", 2, 0, 0, 0)]
    [InlineData("config|set", -4, 0, 0, 0)]
    [InlineData("command", -1, 0, 0, 0)]
    [InlineData("command|count", 2, 0, 0, 0)]
    [InlineData("command|docs", -2, 0, 0, 0)]
    [InlineData("command|getkeys", -4, 0, 0, 0)]
    [InlineData("command|getkeysandflags", -4, 0, 0, 0)]
    [InlineData("command|help", 2, 0, 0, 0)]
    [InlineData("command|info", -2, 0, 0, 0)]
    [InlineData("command|list", -2, 0, 0, 0)]
    [InlineData("time", 1, 0, 0, 0)]
    [InlineData("role", 1, 0, 0, 0)]
    [InlineData("lastsave", 1, 0, 0, 0)]
    [InlineData("subscribe", -2, 0, 0, 0)]
    [InlineData("unsubscribe", -1, 0, 0, 0)]
    [InlineData("psubscribe", -2, 0, 0, 0)]
    [InlineData("punsubscribe", -1, 0, 0, 0)]
    [InlineData("publish", 3, 0, 0, 0)]
    [InlineData("pubsub", -2, 0, 0, 0)]
    [InlineData("pubsub|channels", -2, 0, 0, 0)]
    [InlineData("pubsub|help", 2, 0, 0, 0)]
    [InlineData("pubsub|numpat", 2, 0, 0, 0)]
    [InlineData("pubsub|numsub", -2, 0, 0, 0)]
    [InlineData("pubsub|shardchannels", -2, 0, 0, 0)]
    [InlineData("pubsub|shardnumsub", -2, 0, 0, 0)]
    [InlineData("multi", 1, 0, 0, 0)]
    [InlineData("exec", 1, 0, 0, 0)]
    [InlineData("discard", 1, 0, 0, 0)]
    [InlineData("watch", -2, 1, -1, 1)]
    [InlineData("unwatch", 1, 0, 0, 0)]
    [InlineData("wait", 3, 0, 0, 0)]
    [InlineData("debug", -2, 0, 0, 0)]
    [InlineData("save", 1, 0, 0, 0)]
    [InlineData("bgsave", -1, 0, 0, 0)]
    [InlineData("shutdown", -1, 0, 0, 0)]
    [InlineData("get", 2, 1, 1, 1)]
    [InlineData("set", -3, 1, 1, 1)]
    [InlineData("setnx", 3, 1, 1, 1)]
    [InlineData("setex", 4, 1, 1, 1)]
    [InlineData("psetex", 4, 1, 1, 1)]
    [InlineData("getset", 3, 1, 1, 1)]
    [InlineData("getdel", 2, 1, 1, 1)]
    [InlineData("getex", -2, 1, 1, 1)]
    [InlineData("mget", -2, 1, -1, 1)]
    [InlineData("mset", -3, 1, -1, 2)]
    [InlineData("msetnx", -3, 1, -1, 2)]
    [InlineData("append", 3, 1, 1, 1)]
    [InlineData("strlen", 2, 1, 1, 1)]
    [InlineData("incr", 2, 1, 1, 1)]
    [InlineData("incrby", 3, 1, 1, 1)]
    [InlineData("decr", 2, 1, 1, 1)]
    [InlineData("decrby", 3, 1, 1, 1)]
    [InlineData("incrbyfloat", 3, 1, 1, 1)]
    [InlineData("getrange", 4, 1, 1, 1)]
    [InlineData("setrange", 4, 1, 1, 1)]
    [InlineData("substr", 4, 1, 1, 1)]
    [InlineData("lcs", -3, 1, 2, 1)]
    public void Table_has_the_command_with_redis_arity_and_key_positions(string name, int arity, int firstKey, int lastKey, int step)
    {
        string[] parts = name.Split('|');
        CommandInfo? info = CommandTable.Find(Encoding.ASCII.GetBytes(parts[0].ToUpperInvariant()));
        Assert.NotNull(info);
        if (parts.Length == 2)
        {
            info = CommandTable.FindSubcommand(info, Encoding.ASCII.GetBytes(parts[1].ToUpperInvariant()));
            Assert.NotNull(info);
        }
        Assert.Equal(name, info.Name);
        Assert.Equal((arity, firstKey, lastKey, step), (info.Arity, info.FirstKey, info.LastKey, info.Step));
    }

    [Fact]
    public void Every_command_is_either_executed_by_the_cache_or_marked_for_the_server()
    {
        foreach (CommandInfo info in CommandTable.All)
        {
            if (info.Subcommands.Length > 0)
            {
                foreach (CommandInfo sub in info.Subcommands) Assert.True(sub.IsServer == info.IsServer, sub.Name);
                foreach (CommandInfo sub in info.Subcommands) Assert.True(sub.IsServer || sub.Handler is not null, sub.Name);
                continue;
            }
            Assert.True(info.IsServer ? info.Handler is null : info.Handler is not null, info.Name);
        }
    }

    [Fact]
    public void Every_command_has_documentation()
    {
        foreach (CommandInfo info in CommandTable.All)
        {
            Assert.True(CommandDocs.Find(info.Name) is not null, info.Name);
            foreach (CommandInfo sub in info.Subcommands) Assert.True(CommandDocs.Find(sub.Name) is not null, sub.Name);
        }
    }

    [Fact]
    public void Find_is_case_insensitive_and_rejects_unknown_and_overlong_names()
    {
        Assert.Same(CommandTable.Find("expire"u8), CommandTable.Find("ExPiRe"u8));
        Assert.Null(CommandTable.Find("expir"u8));
        Assert.Null(CommandTable.Find(new byte[1000]));
        Assert.Null(CommandTable.Find([]));
    }

    [Fact]
    public void Command_info_entry_is_redis_bytes_in_resp2()
    {
        Assert.Equal(
            "*10\r\n$3\r\nttl\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n*3\r\n+@keyspace\r\n+@read\r\n+@fast\r\n"
            + "*1\r\n$23\r\nnondeterministic_output\r\n*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n"
            + "$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n"
            + "$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n",
            Write(w => CommandTable.WriteCommandInfo(w, CommandTable.Find("ttl"u8)!), protocol: 2));
    }

    [Fact]
    public void Command_info_entry_is_redis_bytes_in_resp3()
    {
        Assert.Equal(
            "*10\r\n$3\r\nttl\r\n:2\r\n~2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n~3\r\n+@keyspace\r\n+@read\r\n+@fast\r\n"
            + "~1\r\n$23\r\nnondeterministic_output\r\n~1\r\n%3\r\n$5\r\nflags\r\n~2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n"
            + "$4\r\nspec\r\n%1\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n%3\r\n$7\r\nlastkey\r\n:0\r\n"
            + "$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n~0\r\n",
            Write(w => CommandTable.WriteCommandInfo(w, CommandTable.Find("ttl"u8)!), protocol: 3));
    }

    [Fact]
    public void Command_docs_entry_is_redis_bytes_in_resp2()
    {
        Assert.Equal(
            "*10\r\n$7\r\nsummary\r\n$22\r\nGet the value of a key\r\n$5\r\nsince\r\n$5\r\n1.0.0\r\n$5\r\ngroup\r\n$6\r\nstring\r\n"
            + "$10\r\ncomplexity\r\n$4\r\nO(1)\r\n$9\r\narguments\r\n*1\r\n*6\r\n$4\r\nname\r\n$3\r\nkey\r\n$4\r\ntype\r\n$3\r\nkey\r\n$14\r\nkey_spec_index\r\n:0\r\n",
            Write(w => CommandTable.WriteCommandDocs(w, CommandTable.Find("get"u8)!), protocol: 2));
    }

    private static string Write(Action<RespWriter> write, int protocol)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(new RespWriter(buffer, protocol));
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
