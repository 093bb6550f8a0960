using System.Text;

namespace Paxuby.Cache.Tests;

/// <summary>GET, SET and its options, SETNX/SETEX/PSETEX, GETSET, GETDEL, GETEX, MGET, MSET(NX): replies as Redis 7 writes them.</summary>
public sealed class StringCommandsTests
{
    private const string Ok = "+OK\r\n";
    private const string NullBulk = "$-1\r\n";
    private const string SyntaxError = "-ERR syntax error\r\n";
    private const string NotInteger = "-ERR value is not an integer or out of range\r\n";

    private readonly CacheHarness _cache = new();

    private Database Db => _cache.Keyspace[_cache.Db];

    private long? ExpireAtMs(string key) => Db.Find(Encoding.UTF8.GetBytes(key), _cache.NowMs)?.ExpireAtMs;

    [Fact]
    public void Get_of_a_missing_key_is_a_null_bulk_in_resp2()
    {
        Assert.Equal(NullBulk, _cache.Apply("GET", "nokey"));
        Assert.Equal(NullBulk, _cache.Read("GET", "nokey"));
    }

    [Fact]
    public void Get_of_a_missing_key_is_the_resp3_null()
    {
        _cache.Protocol = 3;
        Assert.Equal("_\r\n", _cache.Apply("GET", "nokey"));
        Assert.Equal("_\r\n", _cache.Read("GET", "nokey"));
    }

    [Fact]
    public void Set_then_get_returns_the_value_on_both_paths()
    {
        Assert.Equal(Ok, _cache.Apply("SET", "foo", "bar"));
        Assert.Equal("$3\r\nbar\r\n", _cache.Apply("GET", "foo"));
        Assert.Equal("$3\r\nbar\r\n", _cache.Read("get", "foo"));
    }

    [Fact]
    public void Binary_keys_and_values_with_nul_and_crlf_round_trip()
    {
        string key = "k\0\r\ney";
        string value = "\0a\r\n\0\r\nb\0";
        Assert.Equal(Ok, _cache.Apply("SET", key, value));
        Assert.Equal("$9\r\n\0a\r\n\0\r\nb\0\r\n", _cache.Read("GET", key));
        Assert.Equal(NullBulk, _cache.Read("GET", "k\0"));
        Assert.Equal(":9\r\n", _cache.Read("STRLEN", key));
    }

    [Fact]
    public void A_value_of_more_than_four_megabytes_round_trips()
    {
        string value = string.Create(4 * 1024 * 1024 + 7, 0, (span, _) =>
        {
            for (int i = 0; i < span.Length; i++) span[i] = (char)('a' + i % 26);
        });
        Assert.Equal(Ok, _cache.Apply("SET", "big", value));
        Assert.Equal(CacheHarness.Bulk(value), _cache.Read("GET", "big"));
    }

    [Fact]
    public void Set_with_ex_expires_exactly_at_the_millisecond()
    {
        Assert.Equal(Ok, _cache.ApplyAt(1_000, "SET", "k", "v", "EX", "10"));
        Assert.Equal("$1\r\nv\r\n", _cache.ApplyAt(10_999, "GET", "k"));
        Assert.Equal(NullBulk, _cache.ApplyAt(11_000, "GET", "k"));
    }

    [Theory]
    [InlineData("PX", "2500", 3_500)]
    [InlineData("EXAT", "7", 7_000)]
    [InlineData("PXAT", "7001", 7_001)]
    [InlineData("px", "1", 1_001)]
    public void Set_expiry_options_set_the_absolute_expiry(string option, string amount, long expectedExpireAtMs)
    {
        Assert.Equal(Ok, _cache.ApplyAt(1_000, "SET", "k", "v", option, amount));
        Assert.Equal("$1\r\nv\r\n", _cache.ApplyAt(expectedExpireAtMs - 1, "GET", "k"));
        Assert.Equal(NullBulk, _cache.ApplyAt(expectedExpireAtMs, "GET", "k"));
    }

    [Fact]
    public void Set_clears_the_ttl_unless_keepttl()
    {
        _cache.Apply("SET", "k", "v1", "EX", "100");
        Assert.Equal(Ok, _cache.Apply("SET", "k", "v2", "KEEPTTL"));
        Assert.Equal(_cache.NowMs + 100_000, ExpireAtMs("k"));
        Assert.Equal("$2\r\nv2\r\n", _cache.Read("GET", "k"));

        Assert.Equal(Ok, _cache.Apply("SET", "k", "v3"));
        Assert.Equal(0, ExpireAtMs("k"));
    }

    [Fact]
    public void Set_accepts_a_repeated_option_and_keeps_the_last_expiry()
    {
        Assert.Equal(Ok, _cache.Apply("SET", "k", "v", "EX", "10", "EX", "20"));
        Assert.Equal(_cache.NowMs + 20_000, ExpireAtMs("k"));
        Assert.Equal("$1\r\nv\r\n", _cache.Apply("SET", "k", "w", "KEEPTTL", "keepttl", "GET", "get", "xx", "XX"));
        Assert.Equal(_cache.NowMs + 20_000, ExpireAtMs("k"));
    }

    [Theory]
    [InlineData("EX", "0")]
    [InlineData("EX", "-1")]
    [InlineData("PX", "0")]
    [InlineData("EXAT", "0")]
    [InlineData("PXAT", "-5")]
    [InlineData("EX", "9223372036854775807")]
    [InlineData("EX", "9223372036854776")]
    [InlineData("PX", "9223372036854775807")]
    public void Set_refuses_a_non_positive_or_overflowing_expiry(string option, string amount)
    {
        Assert.Equal("-ERR invalid expire time in 'set' command\r\n", _cache.Apply("SET", "k", "v", option, amount));
        Assert.Equal(NullBulk, _cache.Read("GET", "k"));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("01")]
    [InlineData("+1")]
    [InlineData(" 1")]
    [InlineData("1.5")]
    [InlineData("")]
    [InlineData("9223372036854775808")]
    public void Set_refuses_an_expiry_that_is_not_a_strict_integer(string amount)
    {
        Assert.Equal(NotInteger, _cache.Apply("SET", "k", "v", "EX", amount));
    }

    [Theory]
    [InlineData("EX", "10", "PX", "10")]
    [InlineData("EX", "10", "KEEPTTL")]
    [InlineData("KEEPTTL", "PXAT", "10")]
    [InlineData("EXAT", "10", "PXAT", "10")]
    [InlineData("NX", "XX")]
    [InlineData("XX", "NX")]
    [InlineData("EX")]
    [InlineData("FOO")]
    [InlineData("PERSIST")]
    [InlineData("NXX")]
    [InlineData("EX", "abc", "FOO")]
    public void Set_refuses_invalid_option_combinations_with_a_syntax_error(params string[] options)
    {
        Assert.Equal(SyntaxError, _cache.Apply(["SET", "k", "v", .. options]));
        Assert.Equal(NullBulk, _cache.Read("GET", "k"));
    }

    [Fact]
    public void Set_nx_writes_only_a_missing_key()
    {
        Assert.Equal(Ok, _cache.Apply("SET", "k", "first", "NX"));
        Assert.Equal(NullBulk, _cache.Apply("SET", "k", "second", "nx"));
        Assert.Equal("$5\r\nfirst\r\n", _cache.Read("GET", "k"));
    }

    [Fact]
    public void Set_nx_treats_an_expired_key_as_missing()
    {
        _cache.ApplyAt(1_000, "SET", "k", "old", "PX", "10");
        Assert.Equal(Ok, _cache.ApplyAt(1_010, "SET", "k", "new", "NX"));
        Assert.Equal("$3\r\nnew\r\n", _cache.ApplyAt(1_010, "GET", "k"));
    }

    [Fact]
    public void Set_xx_writes_only_an_existing_key()
    {
        Assert.Equal(NullBulk, _cache.Apply("SET", "k", "v", "XX"));
        Assert.Equal(NullBulk, _cache.Read("GET", "k"));
        _cache.Apply("SET", "k", "v");
        Assert.Equal(Ok, _cache.Apply("SET", "k", "w", "XX"));
        Assert.Equal("$1\r\nw\r\n", _cache.Read("GET", "k"));
    }

    [Fact]
    public void Set_nx_abort_is_the_resp3_null()
    {
        _cache.Protocol = 3;
        _cache.Apply("SET", "k", "v");
        Assert.Equal("_\r\n", _cache.Apply("SET", "k", "w", "NX"));
    }

    [Fact]
    public void Set_get_replies_the_old_value_or_null()
    {
        Assert.Equal(NullBulk, _cache.Apply("SET", "k", "v1", "GET"));
        Assert.Equal("$2\r\nv1\r\n", _cache.Apply("SET", "k", "v2", "GET"));
        Assert.Equal("$2\r\nv2\r\n", _cache.Read("GET", "k"));
    }

    [Fact]
    public void Set_nx_get_replies_the_old_value_and_leaves_it()
    {
        Assert.Equal(NullBulk, _cache.Apply("SET", "k", "v1", "NX", "GET"));
        Assert.Equal("$2\r\nv1\r\n", _cache.Apply("SET", "k", "v2", "NX", "GET"));
        Assert.Equal("$2\r\nv1\r\n", _cache.Read("GET", "k"));
    }

    [Fact]
    public void Set_xx_get_on_a_missing_key_replies_null_and_creates_nothing()
    {
        Assert.Equal(NullBulk, _cache.Apply("SET", "k", "v", "XX", "GET"));
        Assert.Equal(0, Db.Count);
    }

    [Fact]
    public void Set_get_with_an_invalid_expiry_replies_only_the_error()
    {
        _cache.Apply("SET", "k", "v");
        Assert.Equal("-ERR invalid expire time in 'set' command\r\n", _cache.Apply("SET", "k", "w", "GET", "EX", "0"));
        Assert.Equal("$1\r\nv\r\n", _cache.Read("GET", "k"));
    }

    [Fact]
    public void Set_with_an_absolute_time_already_past_replies_ok_and_leaves_no_key()
    {
        _cache.Apply("SET", "k", "old");
        Assert.Equal(Ok, _cache.Apply("SET", "k", "v", "PXAT", "1"));
        Assert.Equal(NullBulk, _cache.Read("GET", "k"));
        Assert.Equal(0, Db.Count);
    }

    [Fact]
    public void Setnx_replies_one_when_it_sets_and_zero_when_the_key_exists()
    {
        Assert.Equal(":1\r\n", _cache.Apply("SETNX", "k", "a"));
        Assert.Equal(":0\r\n", _cache.Apply("SETNX", "k", "b"));
        Assert.Equal("$1\r\na\r\n", _cache.Read("GET", "k"));
    }

    [Fact]
    public void Setex_and_psetex_set_value_and_ttl()
    {
        Assert.Equal(Ok, _cache.ApplyAt(1_000, "SETEX", "s", "10", "v"));
        Assert.Equal(Ok, _cache.ApplyAt(1_000, "PSETEX", "p", "10", "v"));
        Assert.Equal("$1\r\nv\r\n", _cache.ApplyAt(1_009, "GET", "p"));
        Assert.Equal(NullBulk, _cache.ApplyAt(1_010, "GET", "p"));
        Assert.Equal("$1\r\nv\r\n", _cache.ApplyAt(10_999, "GET", "s"));
        Assert.Equal(NullBulk, _cache.ApplyAt(11_000, "GET", "s"));
    }

    [Theory]
    [InlineData("SETEX", "0", "-ERR invalid expire time in 'setex' command\r\n")]
    [InlineData("setex", "-10", "-ERR invalid expire time in 'setex' command\r\n")]
    [InlineData("PSETEX", "0", "-ERR invalid expire time in 'psetex' command\r\n")]
    [InlineData("SETEX", "ten", NotInteger)]
    [InlineData("PSETEX", "9223372036854775807", "-ERR invalid expire time in 'psetex' command\r\n")]
    public void Setex_and_psetex_refuse_bad_expiry(string command, string amount, string expected)
    {
        Assert.Equal(expected, _cache.Apply(command, "k", amount, "v"));
        Assert.Equal(0, Db.Count);
    }

    [Fact]
    public void Getset_replies_the_old_value_and_clears_the_ttl()
    {
        Assert.Equal(NullBulk, _cache.Apply("GETSET", "k", "v1"));
        _cache.Apply("SET", "k", "v2", "EX", "100");
        Assert.Equal("$2\r\nv2\r\n", _cache.Apply("GETSET", "k", "v3"));
        Assert.Equal(0, ExpireAtMs("k"));
        Assert.Equal("$2\r\nv3\r\n", _cache.Read("GET", "k"));
    }

    [Fact]
    public void Getdel_replies_the_value_and_deletes_the_key()
    {
        _cache.Apply("SET", "k", "v");
        Assert.Equal("$1\r\nv\r\n", _cache.Apply("GETDEL", "k"));
        Assert.Equal(NullBulk, _cache.Apply("GETDEL", "k"));
        Assert.Equal(0, Db.Count);
    }

    [Fact]
    public void Getex_without_options_leaves_the_ttl()
    {
        _cache.Apply("SET", "k", "v", "PX", "5000");
        Assert.Equal("$1\r\nv\r\n", _cache.Apply("GETEX", "k"));
        Assert.Equal(_cache.NowMs + 5_000, ExpireAtMs("k"));
    }

    [Theory]
    [InlineData("EX", "10", 11_000)]
    [InlineData("PX", "10", 1_010)]
    [InlineData("EXAT", "20", 20_000)]
    [InlineData("PXAT", "2000", 2_000)]
    public void Getex_sets_the_expiry(string option, string amount, long expectedExpireAtMs)
    {
        _cache.ApplyAt(1, "SET", "k", "v");
        Assert.Equal("$1\r\nv\r\n", _cache.ApplyAt(1_000, "GETEX", "k", option, amount));
        Assert.Equal(expectedExpireAtMs, Db.Find("k"u8, 0)?.ExpireAtMs);
    }

    [Fact]
    public void Getex_with_an_absolute_time_already_past_replies_the_value_and_deletes_the_key()
    {
        _cache.Apply("SET", "k", "v");
        Assert.Equal("$1\r\nv\r\n", _cache.Apply("GETEX", "k", "EXAT", "1"));
        Assert.Equal(0, Db.Count);
    }

    [Fact]
    public void Getex_persist_clears_the_ttl()
    {
        _cache.Apply("SET", "k", "v", "EX", "100");
        Assert.Equal("$1\r\nv\r\n", _cache.Apply("GETEX", "k", "PERSIST", "persist"));
        Assert.Equal(0, ExpireAtMs("k"));
    }

    [Fact]
    public void Getex_of_a_missing_key_is_null_even_with_an_invalid_expiry()
    {
        Assert.Equal(NullBulk, _cache.Apply("GETEX", "nokey", "EX", "0"));
        Assert.Equal(NullBulk, _cache.Apply("GETEX", "nokey", "EX", "abc"));
    }

    [Theory]
    [InlineData("-ERR invalid expire time in 'getex' command\r\n", "EX", "0")]
    [InlineData("-ERR invalid expire time in 'getex' command\r\n", "PXAT", "-1")]
    [InlineData(NotInteger, "EX", "x")]
    [InlineData(SyntaxError, "NX")]
    [InlineData(SyntaxError, "KEEPTTL")]
    [InlineData(SyntaxError, "GET")]
    [InlineData(SyntaxError, "EX")]
    [InlineData(SyntaxError, "PERSIST", "EX", "10")]
    [InlineData(SyntaxError, "EX", "10", "PERSIST")]
    [InlineData(SyntaxError, "EX", "10", "PX", "10")]
    public void Getex_refuses_bad_options_and_keeps_the_ttl(string expected, params string[] options)
    {
        _cache.Apply("SET", "k", "v", "EX", "100");
        Assert.Equal(expected, _cache.Apply(["GETEX", "k", .. options]));
        Assert.Equal(_cache.NowMs + 100_000, ExpireAtMs("k"));
    }

    [Fact]
    public void Mget_replies_values_and_nulls_in_order()
    {
        _cache.Apply("SET", "a", "1");
        _cache.Apply("SET", "c", "333");
        Assert.Equal("*3\r\n$1\r\n1\r\n$-1\r\n$3\r\n333\r\n", _cache.Read("MGET", "a", "b", "c"));
        _cache.Protocol = 3;
        Assert.Equal("*3\r\n$1\r\n1\r\n_\r\n$3\r\n333\r\n", _cache.Read("MGET", "a", "b", "c"));
    }

    [Fact]
    public void Mset_sets_every_pair_the_last_duplicate_winning_and_clears_ttls()
    {
        _cache.Apply("SET", "a", "old", "EX", "100");
        Assert.Equal(Ok, _cache.Apply("MSET", "a", "1", "b", "2", "a", "3"));
        Assert.Equal("*2\r\n$1\r\n3\r\n$1\r\n2\r\n", _cache.Read("MGET", "a", "b"));
        Assert.Equal(0, ExpireAtMs("a"));
    }

    [Theory]
    [InlineData("MSET", "-ERR wrong number of arguments for 'mset' command\r\n")]
    [InlineData("msetnx", "-ERR wrong number of arguments for 'msetnx' command\r\n")]
    public void Mset_with_a_key_without_value_is_an_arity_error(string command, string expected)
    {
        Assert.Equal(expected, _cache.Apply(command, "a", "1", "b"));
        Assert.Equal(0, Db.Count);
    }

    [Fact]
    public void Msetnx_sets_nothing_when_any_key_exists()
    {
        _cache.Apply("SET", "b", "old");
        Assert.Equal(":0\r\n", _cache.Apply("MSETNX", "a", "1", "b", "2"));
        Assert.Equal("*2\r\n$-1\r\n$3\r\nold\r\n", _cache.Read("MGET", "a", "b"));
        Assert.Equal(":1\r\n", _cache.Apply("MSETNX", "a", "1", "c", "3"));
        Assert.Equal("*3\r\n$1\r\n1\r\n$3\r\nold\r\n$1\r\n3\r\n", _cache.Read("MGET", "a", "b", "c"));
    }

    [Fact]
    public void Read_commands_leave_an_expired_key_for_the_write_path_to_remove()
    {
        _cache.ApplyAt(1_000, "SET", "k", "v", "PX", "1");
        _cache.NowMs = 5_000;
        Assert.Equal(NullBulk, _cache.Read("GET", "k"));
        Assert.Equal("*1\r\n$-1\r\n", _cache.Read("MGET", "k"));
        Assert.Equal(":0\r\n", _cache.Read("STRLEN", "k"));
        Assert.Equal(1, Db.Count);
    }

    // Rows copied from COMMAND INFO of redis-server 7.0.
    [Theory]
    [InlineData("get", 2, "readonly fast", 1, 1, 1, "@read @string @fast")]
    [InlineData("set", -3, "write denyoom", 1, 1, 1, "@write @string @slow")]
    [InlineData("setnx", 3, "write denyoom fast", 1, 1, 1, "@write @string @fast")]
    [InlineData("setex", 4, "write denyoom", 1, 1, 1, "@write @string @slow")]
    [InlineData("psetex", 4, "write denyoom", 1, 1, 1, "@write @string @slow")]
    [InlineData("getset", 3, "write denyoom fast", 1, 1, 1, "@write @string @fast")]
    [InlineData("getdel", 2, "write fast", 1, 1, 1, "@write @string @fast")]
    [InlineData("getex", -2, "write fast", 1, 1, 1, "@write @string @fast")]
    [InlineData("mget", -2, "readonly fast", 1, -1, 1, "@read @string @fast")]
    [InlineData("mset", -3, "write denyoom", 1, -1, 2, "@write @string @slow")]
    [InlineData("msetnx", -3, "write denyoom", 1, -1, 2, "@write @string @slow")]
    [InlineData("append", 3, "write denyoom fast", 1, 1, 1, "@write @string @fast")]
    [InlineData("strlen", 2, "readonly fast", 1, 1, 1, "@read @string @fast")]
    [InlineData("incr", 2, "write denyoom fast", 1, 1, 1, "@write @string @fast")]
    [InlineData("incrby", 3, "write denyoom fast", 1, 1, 1, "@write @string @fast")]
    [InlineData("decr", 2, "write denyoom fast", 1, 1, 1, "@write @string @fast")]
    [InlineData("decrby", 3, "write denyoom fast", 1, 1, 1, "@write @string @fast")]
    [InlineData("incrbyfloat", 3, "write denyoom fast", 1, 1, 1, "@write @string @fast")]
    [InlineData("getrange", 4, "readonly", 1, 1, 1, "@read @string @slow")]
    [InlineData("substr", 4, "readonly", 1, 1, 1, "@read @string @slow")]
    [InlineData("setrange", 4, "write denyoom", 1, 1, 1, "@write @string @slow")]
    [InlineData("lcs", -3, "readonly", 1, 2, 1, "@read @string @slow")]
    public void Table_entry_matches_redis_command_info(string name, int arity, string flags, int firstKey, int lastKey, int step, string categories)
    {
        CommandInfo info = Assert.Single(Commands.StringCommands.All, c => c.Name == name);
        string[] flagNames =
        [
            .. (info.Flags & CommandFlags.Write) != 0 ? ["write"] : Array.Empty<string>(),
            .. (info.Flags & CommandFlags.ReadOnly) != 0 ? ["readonly"] : Array.Empty<string>(),
            .. (info.Flags & CommandFlags.DenyOom) != 0 ? ["denyoom"] : Array.Empty<string>(),
            .. (info.Flags & CommandFlags.Fast) != 0 ? ["fast"] : Array.Empty<string>(),
        ];
        Assert.Equal((arity, flags, firstKey, lastKey, step, categories, "string"),
            (info.Arity, string.Join(' ', flagNames), info.FirstKey, info.LastKey, info.Step, string.Join(' ', info.Categories), info.Group));
        Assert.NotNull(info.Handler);
    }

    [Fact]
    public void Table_has_exactly_the_string_commands()
    {
        Assert.Equal(22, Commands.StringCommands.All.Count());
    }
}
