using System.Text;
using static Paxuby.Cache.Tests.CacheHarness;

namespace Paxuby.Cache.Tests;

public sealed class ScanTests
{
    private readonly CacheHarness _cache = new();

    private void Put(string key, long expireAtMs = 0) =>
        _cache.Keyspace[_cache.Db].Set(Encoding.UTF8.GetBytes(key), "v"u8.ToArray(), expireAtMs);

    /// <summary>Runs SCAN from cursor 0 to the end; returns every key seen and the number of calls.</summary>
    private (List<string> Keys, int Calls) ScanAll(Action<int>? betweenCalls = null, params string[] options)
    {
        var keys = new List<string>();
        string cursor = "0";
        int calls = 0;
        do
        {
            string reply = _cache.Read(["scan", cursor, .. options]);
            calls++;
            string[] lines = reply.Split("\r\n");
            cursor = lines[2];
            for (int i = 5; i < lines.Length - 1; i += 2) keys.Add(lines[i]);
            betweenCalls?.Invoke(calls);
        }
        while (cursor != "0");
        return (keys, calls);
    }

    [Fact]
    public void Scan_of_an_empty_database_ends_at_once()
    {
        Assert.Equal("*2\r\n$1\r\n0\r\n*0\r\n", _cache.Read("scan", "0"));
    }

    [Fact]
    public void Scan_returns_count_keys_per_call_and_a_cursor_to_continue()
    {
        for (int i = 0; i < 25; i++) Put($"k{i}");
        Assert.Equal("*2\r\n" + Bulk("10") + Array(Enumerable.Range(0, 10).Select(i => $"k{i}").ToArray()), _cache.Read("scan", "0"));
        Assert.Equal("*2\r\n" + Bulk("0") + Array(Enumerable.Range(20, 5).Select(i => $"k{i}").ToArray()), _cache.Read("scan", "20", "COUNT", "10"));
    }

    [Fact]
    public void Scan_filters_by_match_and_type_after_counting()
    {
        Put("user:1");
        Put("order:1");
        Put("user:2");
        Assert.Equal("*2\r\n" + Bulk("2") + Array("user:1"), _cache.Read("scan", "0", "match", "user:*", "count", "2"));
        Assert.Equal("*2\r\n" + Bulk("0") + Array("user:1", "order:1", "user:2"), _cache.Read("scan", "0", "type", "STRING"));
        Assert.Equal("*2\r\n" + Bulk("0") + "*0\r\n", _cache.Read("scan", "0", "type", "hash"));
    }

    [Fact]
    public void Scan_hides_expired_keys()
    {
        Put("dead", _cache.NowMs);
        Put("alive");
        Assert.Equal("*2\r\n" + Bulk("0") + Array("alive"), _cache.Read("scan", "0"));
    }

    [Theory]
    [InlineData(new[] { "scan", "abc" }, "-ERR invalid cursor\r\n")]
    [InlineData(new[] { "scan", " 5" }, "-ERR invalid cursor\r\n")]
    [InlineData(new[] { "scan", "18446744073709551616" }, "-ERR invalid cursor\r\n")]
    [InlineData(new[] { "scan", "+" }, "-ERR invalid cursor\r\n")]
    [InlineData(new[] { "scan", "0", "count", "0" }, "-ERR syntax error\r\n")]
    [InlineData(new[] { "scan", "0", "count", "x" }, "-ERR value is not an integer or out of range\r\n")]
    [InlineData(new[] { "scan", "0", "count" }, "-ERR syntax error\r\n")]
    [InlineData(new[] { "scan", "0", "foo", "bar" }, "-ERR syntax error\r\n")]
    public void Scan_errors_match_redis(string[] command, string expected)
    {
        Assert.Equal(expected, _cache.Read(command));
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("18446744073709551615")]
    [InlineData("999")]
    public void Scan_cursor_past_the_end_ends_the_iteration(string cursor)
    {
        Put("a");
        Assert.Equal("*2\r\n" + Bulk("0") + "*0\r\n", _cache.Read("scan", cursor));
    }

    [Fact]
    public void Scan_cursor_accepts_a_plus_sign_as_redis_does()
    {
        Put("a");
        Put("b");
        Assert.Equal("*2\r\n" + Bulk("0") + Array("b"), _cache.Read("scan", "+1"));
    }

    [Fact]
    public void Key_present_for_the_whole_scan_is_returned_despite_adds_and_deletes()
    {
        for (int i = 0; i < 200; i++) Put($"stable{i}");
        for (int i = 0; i < 200; i++) Put($"churn{i}");
        int next = 0;
        var (keys, _) = ScanAll(call =>
        {
            // Between calls: delete some churn keys and add new ones that reuse their slots.
            for (int i = 0; i < 10; i++)
            {
                _cache.Apply("del", $"churn{(next * 7 + i * 13) % 200}");
                Put($"new{next}_{i}");
            }
            next++;
        }, "count", "15");
        for (int i = 0; i < 200; i++) Assert.Contains($"stable{i}", keys);
    }

    [Fact]
    public void Scan_over_a_sparse_table_bounds_work_per_call_but_still_finishes()
    {
        for (int i = 0; i < 1000; i++) Put($"k{i}");
        for (int i = 0; i < 999; i++) _cache.Apply("del", $"k{i}");
        var (keys, calls) = ScanAll(options: ["count", "1"]);
        Assert.Equal(["k999"], keys);
        Assert.True(calls > 1);
    }
}
