using System.Text;

namespace Paxuby.Cache.Tests;

public sealed class DatabaseCommandsTests
{
    private readonly CacheHarness _cache = new();

    private void Put(int db, string key, long expireAtMs = 0) =>
        _cache.Keyspace[db].Set(Encoding.UTF8.GetBytes(key), "v"u8.ToArray(), expireAtMs);

    [Fact]
    public void Dbsize_counts_the_selected_database_including_expired_keys_not_yet_removed()
    {
        Put(0, "a");
        Put(0, "b", _cache.NowMs);
        Put(1, "c");
        Assert.Equal(":2\r\n", _cache.Read("dbsize"));
        _cache.Db = 1;
        Assert.Equal(":1\r\n", _cache.Read("dbsize"));
    }

    [Fact]
    public void Flushdb_empties_only_the_selected_database()
    {
        Put(0, "a");
        Put(1, "b");
        Assert.Equal("+OK\r\n", _cache.Apply("flushdb"));
        Assert.Equal(0, _cache.Keyspace[0].Count);
        Assert.Equal(1, _cache.Keyspace[1].Count);
    }

    [Theory]
    [InlineData("flushdb")]
    [InlineData("flushall")]
    public void Flush_accepts_sync_and_async_and_rejects_anything_else(string command)
    {
        Assert.Equal("+OK\r\n", _cache.Apply(command, "ASYNC"));
        Assert.Equal("+OK\r\n", _cache.Apply(command, "sync"));
        Assert.Equal("-ERR syntax error\r\n", _cache.Apply(command, "later"));
        Assert.Equal("-ERR syntax error\r\n", _cache.Apply(command, "async", "sync"));
    }

    [Fact]
    public void Flushall_empties_every_database_and_their_expiries()
    {
        Put(0, "a", _cache.NowMs + 1000);
        Put(15, "b");
        Assert.Equal("+OK\r\n", _cache.Apply("flushall"));
        Assert.Equal(0, _cache.Keyspace.TotalKeys);
        Assert.False(_cache.Keyspace.HasExpiringKeys);
    }

    [Fact]
    public void Swapdb_exchanges_contents_and_expiries()
    {
        Put(0, "zero", _cache.NowMs + 1000);
        Put(3, "three");
        Assert.Equal("+OK\r\n", _cache.Apply("swapdb", "0", "3"));
        Assert.NotNull(_cache.Keyspace[3].Find("zero"u8, _cache.NowMs));
        Assert.NotNull(_cache.Keyspace[0].Find("three"u8, _cache.NowMs));
        Assert.Equal(1, _cache.Keyspace[3].ExpiresCount);
        Assert.Equal(":1\r\n", _cache.Sweep(_cache.NowMs + 1000));
        Assert.Equal(0, _cache.Keyspace[3].Count);
    }

    [Fact]
    public void Swapdb_with_itself_is_ok()
    {
        Put(2, "a");
        Assert.Equal("+OK\r\n", _cache.Apply("swapdb", "2", "2"));
        Assert.Equal(1, _cache.Keyspace[2].Count);
    }

    [Theory]
    [InlineData("a", "1", "-ERR invalid first DB index\r\n")]
    [InlineData("1", "b", "-ERR invalid second DB index\r\n")]
    [InlineData("1", "99999999999", "-ERR invalid second DB index\r\n")]
    [InlineData("1", "16", "-ERR DB index is out of range\r\n")]
    [InlineData("-1", "0", "-ERR DB index is out of range\r\n")]
    public void Swapdb_errors_match_redis(string first, string second, string expected)
    {
        Assert.Equal(expected, _cache.Apply("swapdb", first, second));
    }

    [Fact]
    public void Keyspace_info_lists_non_empty_databases_with_average_ttl()
    {
        Put(0, "a");
        Put(0, "b", _cache.NowMs + 1000);
        Put(0, "c", _cache.NowMs + 3000);
        Put(7, "d");
        Assert.Equal("db0:keys=3,expires=2,avg_ttl=2000\r\ndb7:keys=1,expires=0,avg_ttl=0\r\n",
            KeyspaceStats.FormatKeyspaceSection(_cache.Keyspace, _cache.NowMs));
    }

    [Fact]
    public void Used_memory_grows_with_data_and_returns_to_zero_when_flushed()
    {
        Assert.Equal(0, KeyspaceStats.UsedMemoryBytes(_cache.Keyspace));
        _cache.Keyspace[0].Set("k"u8, new byte[10_000], 0);
        Assert.InRange(KeyspaceStats.UsedMemoryBytes(_cache.Keyspace), 10_001, 11_000);
        _cache.Keyspace[0].Set("k"u8, new byte[10], 0);
        Assert.InRange(KeyspaceStats.UsedMemoryBytes(_cache.Keyspace), 11, 1_000);
        _cache.Apply("flushall");
        Assert.Equal(0, KeyspaceStats.UsedMemoryBytes(_cache.Keyspace));
    }
}
