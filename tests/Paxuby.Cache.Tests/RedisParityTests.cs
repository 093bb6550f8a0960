using System.Buffers;
using System.Text;
using Paxuby.Resp;

namespace Paxuby.Cache.Tests;

/// <summary>Compares the cache's exact reply bytes with a real Redis 7.0 (see <see cref="RedisFactAttribute"/>).</summary>
[Collection(SharedRedisCollection.Name)]
public sealed class RedisParityTests
{
    private static IEnumerable<CommandInfo> EveryEntry() =>
        CommandTable.All.SelectMany(info => info.Subcommands.Length == 0 ? [info] : info.Subcommands);

    private static string Describe(Action<RespWriter> write, int protocol)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(new RespWriter(buffer, protocol));
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [RedisFact]
    public void Command_info_and_docs_match_redis_for_every_command_and_subcommand()
    {
        using var redis = new RedisConnection();
        var mismatches = new List<string>();
        foreach (int protocol in new[] { 2, 3 })
        {
            redis.Send("HELLO", protocol.ToString());
            foreach (CommandInfo info in EveryEntry())
            {
                string expectedInfo = redis.Send("COMMAND", "INFO", info.Name);
                string actualInfo = "*1\r\n" + Describe(w => CommandTable.WriteCommandInfo(w, info), protocol);
                if (expectedInfo != actualInfo) mismatches.Add($"INFO {info.Name} RESP{protocol}\n  redis: {Escape(expectedInfo)}\n  ours:  {Escape(actualInfo)}");

                string expectedDocs = redis.Send("COMMAND", "DOCS", info.Name);
                string header = (protocol == 3 ? "%1\r\n" : "*2\r\n") + CacheHarness.Bulk(info.Name);
                string actualDocs = header + Describe(w => CommandTable.WriteCommandDocs(w, info), protocol);
                if (expectedDocs != actualDocs) mismatches.Add($"DOCS {info.Name} RESP{protocol}\n  redis: {Escape(expectedDocs)}\n  ours:  {Escape(actualDocs)}");
            }
        }
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }

    /// <summary>Scripts of commands whose replies must be byte-identical; SELECT is played on both sides.</summary>
    public static TheoryData<string> Scripts => new()
    {
        "del a b | exists a b | set a 1 | set b 2 | del a b a c | exists a a b",
        "set k v | type k | type nope | touch k k nope | unlink k nope",
        "set user:1 a | set user:2 b | set order:1 c | keys user:2 | keys *der:1 | keys [o]* | keys [^u]* | keys ?rder* | keys nothing",
        "set a 1 | rename a b | rename nope c | rename b b | renamenx b b | set c 3 | renamenx b c | renamenx b d | exists b d",
        "set a 1 | copy a a | copy a b | copy a b | copy a b replace | copy a b db 16 | copy a b db x | copy a b foo | copy a b db | copy nope z | copy a a db 1 | select 1 | exists a | select 0",
        "set a 1 | move a 0 | move a 16 | move a x | move a 99999999999 | move a 3 | move a 3 | select 3 | exists a | move a 0 | select 0 | exists a",
        "set a 1 | expire a 100 | ttl a | expire a 100 nx | expire a 200 xx | ttl a | expire a 10 gt | expire a 300 gt | ttl a | expire a 10 lt | ttl a",
        "set a 1 | expire a 10 nx xx | expire a 10 gt lt | expire a 10 foo | expire a x foo | expire a x | expire a 9223372036854776 | pexpire a 9223372036854775807 | expire a 1.5",
        "set a 1 | ttl a | persist a | expire a 100 | persist a | persist a | ttl a | persist nope | ttl nope | pttl nope | expiretime nope | pexpiretime a",
        "set a 1 | expire a -1 | exists a | set b 1 | pexpire b 0 | exists b | set c 1 | expireat c 1 | exists c | expire nope 10",
        "set a 1 | set b 2 | dbsize | flushdb later | flushdb async | dbsize | set a 1 | flushall sync | dbsize | flushall x y",
        "set a 1 | swapdb 0 1 | exists a | select 1 | exists a | swapdb 1 1 | swapdb a 1 | swapdb 1 b | swapdb 1 16 | swapdb 1 99999999999 | swapdb -1 0 | select 0",
        "scan 0 | scan abc | scan -1 | scan 0 count 0 | scan 0 count x | scan 0 foo | scan 0 count | scan 18446744073709551616 | scan ' 1'",
        "set a 1 | scan 0 match a | scan 0 match b | scan 0 type string | scan 0 type hash | scan 0 count 100 match * type STRING",
        "set n 123 | set s hello | object encoding n | object encoding s | object refcount n | object refcount s | object encoding nope | object foo | object encoding | object help | object freq s | object idletime nope",
        "randomkey | set a 1 | randomkey | foo a b | del | ttl a b | object",
    };

    [RedisTheory]
    [MemberData(nameof(Scripts))]
    public void Replies_match_redis_byte_for_byte(string script)
    {
        using var redis = new RedisConnection();
        redis.Send("HELLO", "2");
        redis.Send("FLUSHALL");
        redis.Send("SELECT", "0");
        var cache = new CacheHarness { NowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() };
        foreach (string line in script.Split('|', StringSplitOptions.TrimEntries))
        {
            string[] args = Tokenize(line);
            string expected = redis.Send(args);
            string actual;
            if (args[0] == "select")
            {
                cache.Db = int.Parse(args[1]);
                actual = expected;
            }
            else
            {
                CommandInfo? info = CommandTable.Find(Encoding.ASCII.GetBytes(args[0]));
                actual = info is not null && info.IsWrite ? cache.Apply(args) : cache.Read(args);
            }
            Assert.True(expected == actual, $"{line}\n  redis: {Escape(expected)}\n  ours:  {Escape(actual)}");
        }
    }

    private static string Escape(string reply) => reply.Replace("\r\n", " ⏎ ");

    private static string[] Tokenize(string line)
    {
        var args = new List<string>();
        int i = 0;
        while (i < line.Length)
        {
            if (line[i] == ' ')
            {
                i++;
                continue;
            }
            if (line[i] == '\'')
            {
                int end = line.IndexOf('\'', i + 1);
                args.Add(line[(i + 1)..end]);
                i = end + 1;
                continue;
            }
            int stop = line.IndexOf(' ', i);
            if (stop < 0) stop = line.Length;
            args.Add(line[i..stop]);
            i = stop;
        }
        return [.. args];
    }
}

public sealed class RedisTheoryAttribute : TheoryAttribute
{
    public RedisTheoryAttribute()
    {
        if (RedisConnection.Port is null) Skip = "set PAXUBY_REDIS_PORT to compare with a real Redis";
    }
}
