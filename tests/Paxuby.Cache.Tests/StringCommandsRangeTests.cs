using System.Text;

namespace Paxuby.Cache.Tests;

/// <summary>APPEND, STRLEN, GETRANGE/SUBSTR and SETRANGE: byte ranges, padding, limits, TTL kept.</summary>
public sealed class StringCommandsRangeTests
{
    private const string NotInteger = "-ERR value is not an integer or out of range\r\n";
    private const string TooLong = "-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n";

    private readonly CacheHarness _cache = new();

    private Database Db => _cache.Keyspace[_cache.Db];

    private long? ExpireAtMs(string key) => Db.Find(Encoding.UTF8.GetBytes(key), _cache.NowMs)?.ExpireAtMs;

    [Fact]
    public void Append_creates_a_missing_key_then_extends_it()
    {
        Assert.Equal(":5\r\n", _cache.Apply("APPEND", "k", "hello"));
        Assert.Equal(":11\r\n", _cache.Apply("APPEND", "k", " world"));
        Assert.Equal(CacheHarness.Bulk("hello world"), _cache.Read("GET", "k"));
    }

    [Fact]
    public void Append_keeps_the_ttl_and_binary_bytes()
    {
        _cache.Apply("SET", "k", "a\0", "EX", "100");
        Assert.Equal(":5\r\n", _cache.Apply("APPEND", "k", "\r\n\0"));
        Assert.Equal("$5\r\na\0\r\n\0\r\n", _cache.Read("GET", "k"));
        Assert.Equal(_cache.NowMs + 100_000, ExpireAtMs("k"));
    }

    [Fact]
    public void Append_of_nothing_to_a_missing_key_creates_an_empty_string()
    {
        Assert.Equal(":0\r\n", _cache.Apply("APPEND", "k", ""));
        Assert.Equal("$0\r\n\r\n", _cache.Read("GET", "k"));
    }

    [Fact]
    public void Strlen_counts_bytes_and_is_zero_for_a_missing_key()
    {
        _cache.Apply("SET", "k", "héllo");
        Assert.Equal(":6\r\n", _cache.Read("STRLEN", "k"));
        Assert.Equal(":0\r\n", _cache.Read("STRLEN", "nokey"));
    }

    [Theory]
    [InlineData("0", "3", "This")]
    [InlineData("-3", "-1", "ing")]
    [InlineData("0", "-1", "This is a string")]
    [InlineData("10", "100", "string")]
    [InlineData("5", "3", "")]
    [InlineData("-1", "-1", "g")]
    [InlineData("-1", "-5", "")]
    [InlineData("0", "-100", "T")]
    [InlineData("-100", "-1", "This is a string")]
    [InlineData("16", "20", "")]
    [InlineData("9223372036854775807", "9223372036854775807", "")]
    [InlineData("-9223372036854775808", "2", "Thi")]
    public void Getrange_follows_redis_index_rules(string start, string end, string expected)
    {
        _cache.Apply("SET", "s", "This is a string");
        Assert.Equal(CacheHarness.Bulk(expected), _cache.Read("GETRANGE", "s", start, end));
        Assert.Equal(CacheHarness.Bulk(expected), _cache.Read("SUBSTR", "s", start, end));
    }

    [Fact]
    public void Getrange_of_a_missing_or_empty_key_is_an_empty_string_not_null()
    {
        _cache.Apply("SET", "empty", "");
        Assert.Equal("$0\r\n\r\n", _cache.Read("GETRANGE", "nokey", "0", "-1"));
        Assert.Equal("$0\r\n\r\n", _cache.Read("GETRANGE", "empty", "0", "-1"));
    }

    [Theory]
    [InlineData("a", "1")]
    [InlineData("0", "1.5")]
    [InlineData("+0", "1")]
    public void Getrange_refuses_non_integer_indexes(string start, string end)
    {
        Assert.Equal(NotInteger, _cache.Read("GETRANGE", "nokey", start, end));
    }

    [Fact]
    public void Setrange_overwrites_in_place_and_extends()
    {
        _cache.Apply("SET", "k", "Hello World");
        Assert.Equal(":11\r\n", _cache.Apply("SETRANGE", "k", "6", "Redis"));
        Assert.Equal(CacheHarness.Bulk("Hello Redis"), _cache.Read("GET", "k"));
        Assert.Equal(":13\r\n", _cache.Apply("SETRANGE", "k", "10", "!!!"));
        Assert.Equal(CacheHarness.Bulk("Hello Redi!!!"), _cache.Read("GET", "k"));
    }

    [Fact]
    public void Setrange_past_the_end_pads_with_zero_bytes()
    {
        Assert.Equal(":11\r\n", _cache.Apply("SETRANGE", "new", "6", "Redis"));
        Assert.Equal("$11\r\n\0\0\0\0\0\0Redis\r\n", _cache.Read("GET", "new"));
        _cache.Apply("SET", "k", "ab");
        Assert.Equal(":6\r\n", _cache.Apply("SETRANGE", "k", "4", "yz"));
        Assert.Equal("$6\r\nab\0\0yz\r\n", _cache.Read("GET", "k"));
    }

    [Fact]
    public void Setrange_keeps_the_ttl()
    {
        _cache.Apply("SET", "k", "Hello", "PX", "5000");
        _cache.Apply("SETRANGE", "k", "1", "a");
        _cache.Apply("SETRANGE", "k", "10", "a");
        Assert.Equal(_cache.NowMs + 5_000, ExpireAtMs("k"));
    }

    [Fact]
    public void Setrange_of_nothing_creates_no_key_and_changes_nothing()
    {
        Assert.Equal(":0\r\n", _cache.Apply("SETRANGE", "nokey", "5", ""));
        Assert.Equal(0, Db.Count);
        _cache.Apply("SET", "k", "hello");
        Assert.Equal(":5\r\n", _cache.Apply("SETRANGE", "k", "536870912", ""));
        Assert.Equal(CacheHarness.Bulk("hello"), _cache.Read("GET", "k"));
    }

    [Theory]
    [InlineData("-1", "-ERR offset is out of range\r\n")]
    [InlineData("-0", NotInteger)]
    [InlineData("abc", NotInteger)]
    [InlineData("536870912", TooLong)]
    [InlineData("9223372036854775807", TooLong)]
    public void Setrange_refuses_bad_offsets(string offset, string expected)
    {
        _cache.Apply("SET", "k", "hello");
        Assert.Equal(expected, _cache.Apply("SETRANGE", "k", offset, "x"));
        Assert.Equal(expected, _cache.Apply("SETRANGE", "nokey", offset, "x"));
        Assert.Equal(CacheHarness.Bulk("hello"), _cache.Read("GET", "k"));
        Assert.Equal(1, Db.Count);
    }

    [Fact]
    public void Setrange_that_would_pass_512_megabytes_is_refused_by_one_byte()
    {
        Assert.Equal(TooLong, _cache.Apply("SETRANGE", "k", "536870911", "xy"));
        Assert.Equal(0, Db.Count);
    }
}
