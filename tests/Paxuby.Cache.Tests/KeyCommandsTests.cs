using System.Text;
using static Paxuby.Cache.Tests.CacheHarness;

namespace Paxuby.Cache.Tests;

public sealed class KeyCommandsTests
{
    private readonly CacheHarness _cache = new();

    /// <summary>Creates string keys without depending on the string commands: PEXPIREAT on a copy needs a key, so go through the keyspace.</summary>
    private void Put(string key, string value, long expireAtMs = 0) =>
        _cache.Keyspace[_cache.Db].Set(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(value), expireAtMs);

    [Fact]
    public void Del_counts_only_keys_that_existed_and_a_repeated_key_once()
    {
        Put("a", "1");
        Put("b", "2");
        Assert.Equal(":2\r\n", _cache.Apply("del", "a", "b", "a", "missing"));
        Assert.Equal(":0\r\n", _cache.Read("exists", "a", "b"));
    }

    [Fact]
    public void Unlink_is_del()
    {
        Put("a", "1");
        Assert.Equal(":1\r\n", _cache.Apply("unlink", "a", "b"));
        Assert.Equal(0, _cache.Keyspace[0].Count);
    }

    [Fact]
    public void Del_of_an_expired_key_counts_zero_and_removes_it()
    {
        Put("a", "1", _cache.NowMs - 1);
        Assert.Equal(":0\r\n", _cache.Apply("del", "a"));
        Assert.Equal(0, _cache.Keyspace[0].Count);
    }

    [Fact]
    public void Exists_and_touch_count_a_repeated_key_each_time()
    {
        Put("a", "1");
        Assert.Equal(":3\r\n", _cache.Read("exists", "a", "a", "b", "a"));
        Assert.Equal(":2\r\n", _cache.Read("touch", "a", "a", "b"));
    }

    [Fact]
    public void Type_is_string_or_none()
    {
        Put("a", "1");
        Assert.Equal("+string\r\n", _cache.Read("type", "a"));
        Assert.Equal("+none\r\n", _cache.Read("type", "b"));
    }

    [Fact]
    public void Keys_returns_matches_in_insertion_order_and_hides_expired()
    {
        Put("user:1", "a");
        Put("user:2", "b");
        Put("order:1", "c");
        Put("user:3", "d", _cache.NowMs);
        Assert.Equal(Array("user:1", "user:2"), _cache.Read("keys", "user:*"));
        Assert.Equal(Array("user:1", "user:2", "order:1"), _cache.Read("keys", "*"));
        Assert.Equal("*0\r\n", _cache.Read("keys", "nothing*"));
        Assert.Equal(Array("order:1"), _cache.Read("keys", "order:1"));
        Assert.Equal("*0\r\n", _cache.Read("keys", "user:3"));
    }

    [Fact]
    public void Keys_reuses_freed_slots_deterministically()
    {
        Put("a", "1");
        Put("b", "2");
        Put("c", "3");
        _cache.Apply("del", "b");
        Put("d", "4");
        Assert.Equal(Array("a", "d", "c"), _cache.Read("keys", "*"));
    }

    [Fact]
    public void Randomkey_is_null_on_an_empty_database_and_a_live_key_otherwise()
    {
        Assert.Equal("$-1\r\n", _cache.Read("randomkey"));
        Put("dead", "x", _cache.NowMs);
        Assert.Equal("$-1\r\n", _cache.Read("randomkey"));
        Put("alive", "x");
        for (int i = 0; i < 20; i++) Assert.Equal(Bulk("alive"), _cache.Read("randomkey"));
    }

    [Fact]
    public void Randomkey_inside_a_transaction_is_the_same_on_two_replicas()
    {
        var other = new CacheHarness();
        foreach (CacheHarness cache in new[] { _cache, other })
        {
            for (int i = 0; i < 50; i++) cache.Keyspace[0].Set(Encoding.UTF8.GetBytes($"k{i}"), [1], 0);
        }
        Assert.Equal(_cache.Exec([], ["randomkey"]), other.Exec([], ["randomkey"]));
    }

    [Fact]
    public void Rename_moves_value_and_expiry_and_overwrites_the_destination()
    {
        long expireAt = _cache.NowMs + 10_000;
        Put("src", "v", expireAt);
        Put("dst", "old");
        Assert.Equal("+OK\r\n", _cache.Apply("rename", "src", "dst"));
        Assert.Equal(":0\r\n", _cache.Read("exists", "src"));
        Assert.Equal($":{expireAt}\r\n", _cache.Read("pexpiretime", "dst"));
        Assert.Equal("v", Encoding.UTF8.GetString(_cache.Keyspace[0].Find("dst"u8, _cache.NowMs)!.Value));
    }

    [Fact]
    public void Rename_of_a_missing_or_expired_key_is_no_such_key()
    {
        Assert.Equal("-ERR no such key\r\n", _cache.Apply("rename", "a", "b"));
        Put("gone", "v", _cache.NowMs);
        Assert.Equal("-ERR no such key\r\n", _cache.Apply("rename", "gone", "b"));
        Assert.Equal("-ERR no such key\r\n", _cache.Apply("renamenx", "gone", "b"));
    }

    [Fact]
    public void Rename_to_itself_is_ok_and_renamenx_to_itself_is_zero()
    {
        Put("a", "v");
        Assert.Equal("+OK\r\n", _cache.Apply("rename", "a", "a"));
        Assert.Equal(":0\r\n", _cache.Apply("renamenx", "a", "a"));
        Assert.Equal(":1\r\n", _cache.Read("exists", "a"));
    }

    [Fact]
    public void Renamenx_refuses_a_live_destination_but_not_an_expired_one()
    {
        Put("a", "1");
        Put("b", "2");
        Assert.Equal(":0\r\n", _cache.Apply("renamenx", "a", "b"));
        Put("c", "3", _cache.NowMs - 5);
        Assert.Equal(":1\r\n", _cache.Apply("renamenx", "a", "c"));
        Assert.Equal(":0\r\n", _cache.Read("exists", "a"));
    }

    [Fact]
    public void Copy_duplicates_value_and_expiry_without_sharing_the_bytes()
    {
        long expireAt = _cache.NowMs + 5_000;
        Put("src", "v", expireAt);
        Assert.Equal(":1\r\n", _cache.Apply("copy", "src", "dst"));
        Assert.Equal($":{expireAt}\r\n", _cache.Read("pexpiretime", "dst"));
        CacheEntry source = _cache.Keyspace[0].Find("src"u8, _cache.NowMs)!;
        CacheEntry copy = _cache.Keyspace[0].Find("dst"u8, _cache.NowMs)!;
        Assert.NotSame(source.Value, copy.Value);
        Assert.Equal(source.Value, copy.Value);
    }

    [Fact]
    public void Copy_respects_replace_and_db()
    {
        Put("src", "new");
        Put("dst", "old");
        Assert.Equal(":0\r\n", _cache.Apply("copy", "src", "dst"));
        Assert.Equal(":1\r\n", _cache.Apply("copy", "src", "dst", "REPLACE"));
        Assert.Equal(":1\r\n", _cache.Apply("copy", "src", "src", "db", "3"));
        Assert.Equal(1, _cache.Keyspace[3].Count);
        Assert.Equal(":0\r\n", _cache.Apply("copy", "missing", "x"));
    }

    [Theory]
    [InlineData(new[] { "copy", "a", "a" }, "-ERR source and destination objects are the same\r\n")]
    [InlineData(new[] { "copy", "a", "a", "db", "0" }, "-ERR source and destination objects are the same\r\n")]
    [InlineData(new[] { "copy", "a", "b", "db", "16" }, "-ERR DB index is out of range\r\n")]
    [InlineData(new[] { "copy", "a", "b", "db", "x" }, "-ERR value is not an integer or out of range\r\n")]
    [InlineData(new[] { "copy", "a", "b", "db", "99999999999" }, "-ERR value is out of range, value must between -2147483648 and 2147483647\r\n")]
    [InlineData(new[] { "copy", "a", "b", "foo" }, "-ERR syntax error\r\n")]
    [InlineData(new[] { "copy", "a", "b", "db" }, "-ERR syntax error\r\n")]
    public void Copy_errors_match_redis(string[] command, string expected)
    {
        Put("a", "1");
        Assert.Equal(expected, _cache.Apply(command));
    }

    [Fact]
    public void Move_moves_only_when_the_target_lacks_the_key()
    {
        Put("a", "1", _cache.NowMs + 1000);
        Assert.Equal(":1\r\n", _cache.Apply("move", "a", "2"));
        Assert.Equal(0, _cache.Keyspace[0].Count);
        Assert.Equal(_cache.NowMs + 1000, _cache.Keyspace[2].Find("a"u8, _cache.NowMs)!.ExpireAtMs);
        Put("a", "again");
        Assert.Equal(":0\r\n", _cache.Apply("move", "a", "2"));
        Assert.Equal(":0\r\n", _cache.Apply("move", "missing", "2"));
    }

    [Theory]
    [InlineData("0", "-ERR source and destination objects are the same\r\n")]
    [InlineData("16", "-ERR DB index is out of range\r\n")]
    [InlineData("-1", "-ERR DB index is out of range\r\n")]
    [InlineData("abc", "-ERR value is not an integer or out of range\r\n")]
    [InlineData("99999999999", "-ERR value is out of range, value must between -2147483648 and 2147483647\r\n")]
    public void Move_errors_match_redis(string target, string expected)
    {
        Put("a", "1");
        Assert.Equal(expected, _cache.Apply("move", "a", target));
    }

    [Fact]
    public void Binary_keys_with_zero_bytes_and_crlf_are_kept_exactly()
    {
        byte[] key = [0, 13, 10, 255, (byte)'*'];
        byte[] value = [1, 2, 3];
        _cache.Keyspace[0].Set(key, value, 0);
        Assert.Equal(":1\r\n"u8.ToArray(), _cache.ReadRaw("exists"u8.ToArray(), key));
        byte[] keys = _cache.ReadRaw("keys"u8.ToArray(), "*"u8.ToArray());
        Assert.Equal([.. "*1\r\n$5\r\n"u8, .. key, .. "\r\n"u8], keys);
        Assert.Equal(":1\r\n"u8.ToArray(), _cache.ApplyRaw("del"u8.ToArray(), key));
    }

    [Fact]
    public void Object_encoding_follows_redis_rules_for_strings()
    {
        Put("int", "123");
        Put("bigint", "12345");
        Put("short", "hello");
        Put("long", new string('x', 45));
        Put("padded", "012");
        Assert.Equal(Bulk("int"), _cache.Read("object", "encoding", "int"));
        Assert.Equal(Bulk("embstr"), _cache.Read("object", "ENCODING", "short"));
        Assert.Equal(Bulk("raw"), _cache.Read("object", "encoding", "long"));
        Assert.Equal(Bulk("embstr"), _cache.Read("object", "encoding", "padded"));
        Assert.Equal("$-1\r\n", _cache.Read("object", "encoding", "missing"));
        Assert.Equal(":2147483647\r\n", _cache.Read("object", "refcount", "int"));
        Assert.Equal(":1\r\n", _cache.Read("object", "refcount", "short"));
        Assert.Equal(":1\r\n", _cache.Read("object", "refcount", "bigint"));
        Assert.Equal(":0\r\n", _cache.Read("object", "idletime", "short"));
        Assert.StartsWith("-ERR An LFU maxmemory policy is not selected", _cache.Read("object", "freq", "short"));
        Assert.StartsWith("*15\r\n+OBJECT <subcommand>", _cache.Read("object", "help"));
    }

    [Fact]
    public void Huge_values_of_five_megabytes_are_copied_and_renamed_intact()
    {
        byte[] big = new byte[5 * 1024 * 1024];
        new Random(7).NextBytes(big);
        _cache.Keyspace[0].Set("big"u8, big, 0);
        Assert.Equal(":1\r\n", _cache.Apply("copy", "big", "big2"));
        Assert.Equal("+OK\r\n", _cache.Apply("rename", "big2", "big3"));
        Assert.Equal(big, _cache.Keyspace[0].Find("big3"u8, _cache.NowMs)!.Value);
    }
}
