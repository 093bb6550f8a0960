using System.Text;

namespace Paxuby.Cache.Tests;

/// <summary>INCR, INCRBY, DECR, DECRBY and INCRBYFLOAT, with the expected texts taken from redis-server 7.0.</summary>
public sealed class StringCommandsCounterTests
{
    private const string NotInteger = "-ERR value is not an integer or out of range\r\n";
    private const string NotFloat = "-ERR value is not a valid float\r\n";

    private readonly CacheHarness _cache = new();

    private Database Db => _cache.Keyspace[_cache.Db];

    private long? ExpireAtMs(string key) => Db.Find(Encoding.UTF8.GetBytes(key), _cache.NowMs)?.ExpireAtMs;

    [Fact]
    public void Incr_and_decr_of_a_missing_key_start_from_zero()
    {
        Assert.Equal(":1\r\n", _cache.Apply("INCR", "a"));
        Assert.Equal(":-1\r\n", _cache.Apply("DECR", "b"));
        Assert.Equal(":5\r\n", _cache.Apply("INCRBY", "c", "5"));
        Assert.Equal(":-7\r\n", _cache.Apply("DECRBY", "d", "7"));
        Assert.Equal("*4\r\n$1\r\n1\r\n$2\r\n-1\r\n$1\r\n5\r\n$2\r\n-7\r\n", _cache.Read("MGET", "a", "b", "c", "d"));
    }

    [Theory]
    [InlineData("9", "INCR", null, ":10\r\n", "10")]
    [InlineData("10", "DECR", null, ":9\r\n", "9")]
    [InlineData("99", "INCRBY", "1", ":100\r\n", "100")]
    [InlineData("-5", "INCRBY", "5", ":0\r\n", "0")]
    [InlineData("0", "DECRBY", "-9223372036854775807", ":9223372036854775807\r\n", "9223372036854775807")]
    [InlineData("0", "INCRBY", "-9223372036854775808", ":-9223372036854775808\r\n", "-9223372036854775808")]
    [InlineData("-9223372036854775808", "INCR", null, ":-9223372036854775807\r\n", "-9223372036854775807")]
    [InlineData("12", "INCRBY", "-100", ":-88\r\n", "-88")]
    public void Counters_store_the_new_value_as_its_decimal_text(string start, string command, string? amount, string reply, string stored)
    {
        _cache.Apply("SET", "n", start);
        string[] args = amount is null ? [command, "n"] : [command, "n", amount];
        Assert.Equal(reply, _cache.Apply(args));
        Assert.Equal(CacheHarness.Bulk(stored), _cache.Read("GET", "n"));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("+1")]
    [InlineData("01")]
    [InlineData("-0")]
    [InlineData("-")]
    [InlineData("1.0")]
    [InlineData("1e3")]
    [InlineData("9223372036854775808")]
    [InlineData("-9223372036854775809")]
    [InlineData("18446744073709551616")]
    [InlineData("1\0")]
    public void Incr_refuses_a_value_that_is_not_a_strict_long(string value)
    {
        _cache.Apply("SET", "n", value);
        Assert.Equal(NotInteger, _cache.Apply("INCR", "n"));
        Assert.Equal(NotInteger, _cache.Apply("DECRBY", "n", "1"));
        Assert.Equal(CacheHarness.Bulk(value), _cache.Read("GET", "n"));
    }

    [Theory]
    [InlineData("+1")]
    [InlineData("01")]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData("9223372036854775808")]
    public void Incrby_and_decrby_refuse_an_increment_that_is_not_a_strict_long(string increment)
    {
        Assert.Equal(NotInteger, _cache.Apply("INCRBY", "n", increment));
        Assert.Equal(NotInteger, _cache.Apply("DECRBY", "n", increment));
        Assert.Equal(0, Db.Count);
    }

    [Theory]
    [InlineData("9223372036854775807", "INCR", null)]
    [InlineData("-9223372036854775808", "DECR", null)]
    [InlineData("5", "INCRBY", "9223372036854775807")]
    [InlineData("-2", "INCRBY", "-9223372036854775807")]
    [InlineData("-2", "DECRBY", "9223372036854775807")]
    public void Counters_refuse_to_overflow_and_leave_the_value(string start, string command, string? amount)
    {
        _cache.Apply("SET", "n", start);
        string[] args = amount is null ? [command, "n"] : [command, "n", amount];
        Assert.Equal("-ERR increment or decrement would overflow\r\n", _cache.Apply(args));
        Assert.Equal(CacheHarness.Bulk(start), _cache.Read("GET", "n"));
    }

    [Fact]
    public void Decrby_of_the_smallest_long_is_refused_because_it_cannot_be_negated()
    {
        _cache.Apply("SET", "n", "5");
        Assert.Equal("-ERR decrement would overflow\r\n", _cache.Apply("DECRBY", "n", "-9223372036854775808"));
    }

    [Theory]
    [InlineData("INCR")]
    [InlineData("INCRBYFLOAT")]
    public void Counters_keep_the_ttl(string command)
    {
        _cache.Apply("SET", "n", "41", "EX", "100");
        string[] args = command == "INCR" ? [command, "n"] : [command, "n", "1"];
        _cache.Apply(args);
        Assert.Equal("$2\r\n42\r\n", _cache.Read("GET", "n"));
        Assert.Equal(_cache.NowMs + 100_000, ExpireAtMs("n"));
    }

    [Fact]
    public void Incr_of_an_expired_key_starts_from_zero_without_ttl()
    {
        _cache.ApplyAt(1_000, "SET", "n", "41", "PX", "5");
        Assert.Equal(":1\r\n", _cache.ApplyAt(1_005, "INCR", "n"));
        Assert.Equal(0, Db.Find("n"u8, 1_005)?.ExpireAtMs);
    }

    // Each row was checked against redis-server 7.0 on x86-64 (80-bit long double, "%.17Lf").
    [Theory]
    [InlineData("10.5", "0.1", "10.6")]
    [InlineData("10.50", "0.1", "10.6")]
    [InlineData("5.0e3", "2.0e2", "5200")]
    [InlineData("3.0", "0", "3")]
    [InlineData("1000.1", "0.1", "1000.19999999999999996")]
    [InlineData("0.1", "0.2", "0.3")]
    [InlineData("1.1", "2.2", "3.3")]
    [InlineData("1", "-1", "0")]
    [InlineData("2.5", "-2.5", "0")]
    [InlineData("-1", "0.5", "-0.5")]
    [InlineData("1e17", "1", "100000000000000001")]
    [InlineData("1.5e20", "0", "150000000000000000000")]
    [InlineData("123456789.123456789", "0", "123456789.12345678899873747")]
    [InlineData("0", "1e-17", "0.00000000000000001")]
    [InlineData("0", "-1e-17", "-0.00000000000000001")]
    [InlineData("0", "1.5e-17", "0.00000000000000002")]
    [InlineData("0", "1e-18", "0")]
    [InlineData("0", "-1e-18", "0")]
    [InlineData("-0.0", "0", "0")]
    [InlineData("3", "0x10", "19")]
    [InlineData("2", "0x1p-3", "2.125")]
    [InlineData("3", "+1.5", "4.5")]
    [InlineData("3", ".5", "3.5")]
    [InlineData("3", "5.", "8")]
    [InlineData("100.01", "0.01", "100.02")]
    [InlineData("99999999999.99", "0.01", "100000000000")]
    [InlineData("0.3", "-0.1", "0.2")]
    [InlineData("1e-300", "0", "0")]
    [InlineData("1e-4950", "0", "0")]
    [InlineData("3.0e5", "1.5", "300001.5")]
    [InlineData("12345678901234567890", "1", "12345678901234567891")]
    [InlineData("9223372036854775807", "1", "9223372036854775808")]
    [InlineData("-9223372036854775808", "-1", "-9223372036854775809")]
    [InlineData("0.131860913909960308246281948", "163200.327", "163200.45886091390995887")]
    [InlineData("0.29425770905533755", "3996077508026646703", "3996077508026646703.25")]
    [InlineData("-6154455751321388569", "0.426846563212233079244026859952890786", "-6154455751321388568.5")]
    [InlineData("0.61760313721590109281590139", "0.4595711777", "1.07717431491590109")]
    [InlineData("-4e-24", "4.242e77", "424200000000000000002729870911117239644361652229036500441788921945868239634432")]
    public void Incrbyfloat_replies_and_stores_what_redis_does(string start, string increment, string expected)
    {
        _cache.Apply("SET", "f", start);
        Assert.Equal(CacheHarness.Bulk(expected), _cache.Apply("INCRBYFLOAT", "f", increment));
        Assert.Equal(CacheHarness.Bulk(expected), _cache.Read("GET", "f"));
    }

    [Fact]
    public void Incrbyfloat_repeated_steps_read_back_the_stored_text_as_redis_does()
    {
        string[] expected =
        [
            "1000.29999999999999999", "1000.59999999999999998", "1000.89999999999999997",
            "1001.19999999999999996", "1001.49999999999999994",
        ];
        _cache.Apply("SET", "f", "1.0e3");
        foreach (string value in expected) Assert.Equal(CacheHarness.Bulk(value), _cache.Apply("INCRBYFLOAT", "f", "0.3"));

        string[] tenths = ["0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "1", "1.1", "1.2"];
        foreach (string value in tenths) Assert.Equal(CacheHarness.Bulk(value), _cache.Apply("INCRBYFLOAT", "g", "0.1"));
    }

    [Fact]
    public void Incrbyfloat_of_a_missing_key_starts_from_zero()
    {
        Assert.Equal("$3\r\n2.5\r\n", _cache.Apply("INCRBYFLOAT", "f", "2.5"));
    }

    [Theory]
    [InlineData("3", "nan")]
    [InlineData("3", "abc")]
    [InlineData("3", " 1")]
    [InlineData("3", "1 ")]
    [InlineData("3", "")]
    [InlineData("3", "1e")]
    [InlineData("3", "0x")]
    [InlineData("3", "1e-5000")]
    [InlineData("3", "1.2e4932")]
    [InlineData("abc", "1")]
    [InlineData("", "1")]
    [InlineData("1,5", "1")]
    public void Incrbyfloat_refuses_what_is_not_a_finite_float(string start, string increment)
    {
        _cache.Apply("SET", "f", start);
        Assert.Equal(NotFloat, _cache.Apply("INCRBYFLOAT", "f", increment));
        Assert.Equal(CacheHarness.Bulk(start), _cache.Read("GET", "f"));
    }

    [Theory]
    [InlineData("3", "inf")]
    [InlineData("3", "-Infinity")]
    [InlineData("-inf", "720.34")]
    [InlineData("1.1e4932", "1.1e4932")]
    public void Incrbyfloat_refuses_an_infinite_result(string start, string increment)
    {
        _cache.Apply("SET", "f", start);
        Assert.Equal("-ERR increment would produce NaN or Infinity\r\n", _cache.Apply("INCRBYFLOAT", "f", increment));
        Assert.Equal(CacheHarness.Bulk(start), _cache.Read("GET", "f"));
    }
}
