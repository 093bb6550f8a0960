using System.Text;

namespace Paxuby.Cache.Tests;

public sealed class ExpiryCommandsTests
{
    private readonly CacheHarness _cache = new();

    private long Now => _cache.NowMs;

    private void Put(string key, long expireAtMs = 0) =>
        _cache.Keyspace[_cache.Db].Set(Encoding.UTF8.GetBytes(key), "v"u8.ToArray(), expireAtMs);

    [Fact]
    public void Expire_sets_a_relative_time_in_seconds_and_pexpire_in_milliseconds()
    {
        Put("a");
        Put("b");
        Assert.Equal(":1\r\n", _cache.Apply("expire", "a", "10"));
        Assert.Equal(":1\r\n", _cache.Apply("pexpire", "b", "1500"));
        Assert.Equal($":{Now + 10_000}\r\n", _cache.Read("pexpiretime", "a"));
        Assert.Equal($":{Now + 1500}\r\n", _cache.Read("pexpiretime", "b"));
        Assert.Equal(":10\r\n", _cache.Read("ttl", "a"));
        Assert.Equal(":1500\r\n", _cache.Read("pttl", "b"));
    }

    [Fact]
    public void Expireat_and_pexpireat_take_absolute_unix_times()
    {
        Put("a");
        Put("b");
        long at = Now / 1000 + 100;
        Assert.Equal(":1\r\n", _cache.Apply("expireat", "a", at.ToString()));
        Assert.Equal(":1\r\n", _cache.Apply("pexpireat", "b", (Now + 42).ToString()));
        Assert.Equal($":{at}\r\n", _cache.Read("expiretime", "a"));
        Assert.Equal($":{Now + 42}\r\n", _cache.Read("pexpiretime", "b"));
    }

    [Fact]
    public void Expire_on_a_missing_key_is_zero()
    {
        Assert.Equal(":0\r\n", _cache.Apply("expire", "nope", "10"));
        Assert.Equal(0, _cache.Keyspace[0].Count);
    }

    [Theory]
    [InlineData("expire", "-1")]
    [InlineData("expire", "0")]
    [InlineData("pexpire", "0")]
    [InlineData("pexpireat", "1")]
    [InlineData("expireat", "-5")]
    public void An_expire_time_in_the_past_or_now_deletes_the_key(string command, string time)
    {
        Put("a");
        Assert.Equal(":1\r\n", _cache.Apply(command, "a", time));
        Assert.Equal(0, _cache.Keyspace[0].Count);
        Assert.Equal(":-2\r\n", _cache.Read("ttl", "a"));
    }

    [Fact]
    public void Pexpireat_exactly_now_deletes_and_one_ms_later_keeps()
    {
        Put("now");
        Put("later");
        Assert.Equal(":1\r\n", _cache.Apply("pexpireat", "now", Now.ToString()));
        Assert.Equal(":1\r\n", _cache.Apply("pexpireat", "later", (Now + 1).ToString()));
        Assert.Equal(":0\r\n", _cache.Read("exists", "now"));
        Assert.Equal(":1\r\n", _cache.Read("exists", "later"));
    }

    [Fact]
    public void Key_expires_exactly_at_its_millisecond_on_the_read_and_the_write_path()
    {
        Put("a", Now + 100);
        Assert.Equal(":1\r\n", _cache.ReadAt(Now + 99, "exists", "a"));
        Assert.Equal(":0\r\n", _cache.ReadAt(Now + 100, "exists", "a"));
        Assert.Equal(":1\r\n", _cache.ApplyAt(Now + 99, "persist", "a"));
        Put("b", Now + 100);
        Assert.Equal(":0\r\n", _cache.ApplyAt(Now + 100, "persist", "b"));
        Assert.Null(_cache.Keyspace[0].Find("b"u8, long.MinValue));
    }

    [Theory]
    [InlineData("expire", "9223372036854776")]
    [InlineData("expire", "-9223372036854776")]
    [InlineData("pexpire", "9223372036854775807")]
    [InlineData("expireat", "9223372036854776")]
    public void Overflowing_times_are_invalid_expire_time_errors(string command, string time)
    {
        Put("a");
        Assert.Equal($"-ERR invalid expire time in '{command}' command\r\n", _cache.Apply(command, "a", time));
        Assert.Equal(":-1\r\n", _cache.Read("ttl", "a"));
    }

    [Fact]
    public void Pexpireat_max_long_is_accepted_because_nothing_is_added()
    {
        Put("a");
        Assert.Equal(":1\r\n", _cache.Apply("pexpireat", "a", long.MaxValue.ToString()));
        Assert.Equal($":{long.MaxValue}\r\n", _cache.Read("pexpiretime", "a"));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("1.5")]
    [InlineData(" 1")]
    [InlineData("")]
    public void Non_integer_times_are_rejected(string time)
    {
        Put("a");
        Assert.Equal("-ERR value is not an integer or out of range\r\n", _cache.Apply("expire", "a", time));
    }

    [Theory]
    [InlineData("NX", "XX")]
    [InlineData("nx", "gt")]
    [InlineData("NX", "LT")]
    public void Nx_with_another_condition_is_refused(string first, string second)
    {
        Put("a");
        Assert.Equal("-ERR NX and XX, GT or LT options at the same time are not compatible\r\n", _cache.Apply("expire", "a", "10", first, second));
    }

    [Fact]
    public void Gt_with_lt_is_refused_and_unknown_options_are_named()
    {
        Put("a");
        Assert.Equal("-ERR GT and LT options at the same time are not compatible\r\n", _cache.Apply("expire", "a", "10", "gt", "lt"));
        Assert.Equal("-ERR Unsupported option foo\r\n", _cache.Apply("expire", "a", "10", "foo"));
        // Options are checked before the time itself.
        Assert.Equal("-ERR Unsupported option foo\r\n", _cache.Apply("expire", "a", "x", "foo"));
    }

    [Fact]
    public void Nx_and_xx_depend_on_whether_an_expiry_exists()
    {
        Put("a");
        Assert.Equal(":0\r\n", _cache.Apply("expire", "a", "10", "xx"));
        Assert.Equal(":1\r\n", _cache.Apply("expire", "a", "10", "nx"));
        Assert.Equal(":0\r\n", _cache.Apply("expire", "a", "20", "nx"));
        Assert.Equal(":1\r\n", _cache.Apply("expire", "a", "20", "xx"));
        Assert.Equal(":20\r\n", _cache.Read("ttl", "a"));
    }

    [Fact]
    public void Gt_treats_no_expiry_as_infinite_and_only_extends()
    {
        Put("a");
        Assert.Equal(":0\r\n", _cache.Apply("expire", "a", "10", "gt"));
        _cache.Apply("expire", "a", "10");
        Assert.Equal(":0\r\n", _cache.Apply("expire", "a", "10", "gt"));
        Assert.Equal(":0\r\n", _cache.Apply("expire", "a", "5", "gt"));
        Assert.Equal(":1\r\n", _cache.Apply("expire", "a", "11", "gt"));
        Assert.Equal(":1\r\n", _cache.Apply("expire", "a", "12", "xx", "gt"));
    }

    [Fact]
    public void Lt_treats_no_expiry_as_infinite_and_only_shortens()
    {
        Put("a");
        Assert.Equal(":1\r\n", _cache.Apply("expire", "a", "100", "lt"));
        Assert.Equal(":0\r\n", _cache.Apply("expire", "a", "100", "lt"));
        Assert.Equal(":0\r\n", _cache.Apply("expire", "a", "200", "lt"));
        Assert.Equal(":1\r\n", _cache.Apply("expire", "a", "50", "LT"));
        Assert.Equal(":50\r\n", _cache.Read("ttl", "a"));
    }

    [Fact]
    public void Ttl_is_minus_two_when_missing_and_minus_one_without_expiry()
    {
        Put("a");
        Assert.Equal(":-2\r\n", _cache.Read("ttl", "nope"));
        Assert.Equal(":-2\r\n", _cache.Read("pttl", "nope"));
        Assert.Equal(":-1\r\n", _cache.Read("ttl", "a"));
        Assert.Equal(":-1\r\n", _cache.Read("pttl", "a"));
        Assert.Equal(":-2\r\n", _cache.Read("expiretime", "nope"));
        Assert.Equal(":-1\r\n", _cache.Read("pexpiretime", "a"));
    }

    [Theory]
    [InlineData(1499, ":1\r\n")]
    [InlineData(1500, ":2\r\n")]
    [InlineData(499, ":0\r\n")]
    [InlineData(1, ":0\r\n")]
    public void Ttl_rounds_milliseconds_to_the_nearest_second(long leftMs, string expected)
    {
        Put("a", Now + leftMs);
        Assert.Equal(expected, _cache.Read("ttl", "a"));
    }

    [Fact]
    public void Expiretime_truncates_to_seconds()
    {
        Put("a", 1_700_000_123_999);
        Assert.Equal(":1700000123\r\n", _cache.Read("expiretime", "a"));
        Assert.Equal(":1700000123999\r\n", _cache.Read("pexpiretime", "a"));
    }

    [Fact]
    public void Persist_removes_an_expiry_once()
    {
        Put("a", Now + 1000);
        Put("b");
        Assert.Equal(":1\r\n", _cache.Apply("persist", "a"));
        Assert.Equal(":0\r\n", _cache.Apply("persist", "a"));
        Assert.Equal(":0\r\n", _cache.Apply("persist", "b"));
        Assert.Equal(":0\r\n", _cache.Apply("persist", "missing"));
        Assert.Equal(":-1\r\n", _cache.Read("ttl", "a"));
        Assert.Equal(0, _cache.Keyspace[0].ExpiresCount);
    }

    [Fact]
    public void Expired_keys_are_invisible_to_reads_but_stay_until_a_write_or_sweep()
    {
        Put("a", Now + 10);
        Assert.Equal(":-2\r\n", _cache.ReadAt(Now + 10, "ttl", "a"));
        Assert.Equal(1, _cache.Keyspace[0].Count);
        Assert.Equal(":0\r\n", _cache.ApplyAt(Now + 10, "expire", "a", "100"));
        Assert.Equal(0, _cache.Keyspace[0].Count);
    }
}
