using System.Text;

namespace Paxuby.Cache.Tests;

public sealed class SweepTests
{
    private readonly CacheHarness _cache = new();

    [Fact]
    public void Sweep_removes_exactly_the_keys_due_at_its_timestamp_in_every_database()
    {
        long now = _cache.NowMs;
        _cache.Keyspace[0].Set("a"u8, [1], now + 100);
        _cache.Keyspace[0].Set("b"u8, [1], now + 101);
        _cache.Keyspace[5].Set("c"u8, [1], now + 50);
        _cache.Keyspace[5].Set("forever"u8, [1], 0);
        Assert.Equal(":0\r\n", _cache.Sweep(now + 49));
        Assert.Equal(":2\r\n", _cache.Sweep(now + 100));
        Assert.Equal(1, _cache.Keyspace[0].Count);
        Assert.Equal(1, _cache.Keyspace[5].Count);
        Assert.Equal(":1\r\n", _cache.Sweep(now + 1000));
        Assert.False(_cache.Keyspace.HasExpiringKeys);
    }

    [Fact]
    public void Keyspace_says_whether_a_sweep_could_find_anything()
    {
        long now = _cache.NowMs;
        Assert.False(_cache.Keyspace.MayHaveKeysDueBy(now));
        _cache.Keyspace[9].Set("a"u8, [1], now + 100);
        Assert.False(_cache.Keyspace.MayHaveKeysDueBy(now + 99));
        Assert.True(_cache.Keyspace.MayHaveKeysDueBy(now + 100));
        _cache.Sweep(now + 100);
        Assert.False(_cache.Keyspace.MayHaveKeysDueBy(now + 1_000));
    }

    [Fact]
    public void Sweep_skips_keys_whose_expiry_was_changed_or_removed()
    {
        long now = _cache.NowMs;
        _cache.Keyspace[0].Set("moved"u8, [1], now + 10);
        _cache.Keyspace[0].Set("persisted"u8, [1], now + 10);
        _cache.Apply("pexpireat", "moved", (now + 500).ToString());
        _cache.Apply("persist", "persisted");
        Assert.Equal(":0\r\n", _cache.Sweep(now + 100));
        Assert.Equal(":1\r\n", _cache.Sweep(now + 500));
        Assert.Equal(1, _cache.Keyspace[0].Count);
    }

    [Fact]
    public void Sweep_is_bounded_and_continues_where_it_stopped()
    {
        long now = _cache.NowMs;
        int total = CacheStateMachine.SweepLimit + 500;
        for (int i = 0; i < total; i++) _cache.Keyspace[0].Set(Encoding.ASCII.GetBytes($"k{i}"), [1], now + 1 + (i % 7));
        Assert.Equal($":{CacheStateMachine.SweepLimit}\r\n", _cache.Sweep(now + 10));
        Assert.Equal(":500\r\n", _cache.Sweep(now + 10));
        Assert.Equal(0, _cache.Keyspace[0].Count);
    }

    [Fact]
    public void Bounded_sweep_removes_the_same_keys_on_two_replicas_even_after_one_restored()
    {
        long now = _cache.NowMs;
        var other = new CacheHarness();
        foreach (CacheHarness cache in new[] { _cache, other })
        {
            for (int i = 0; i < CacheStateMachine.SweepLimit + 100; i++)
            {
                cache.Keyspace[0].Set(Encoding.ASCII.GetBytes($"k{i}"), [1], now + 5);
                // Stale index pairs on one side only would break a sweep ordered by insertion.
                if (i % 3 == 0) cache.Apply("pexpire", $"k{i}", "5");
            }
        }
        var restored = new CacheHarness();
        restored.Machine.Restore(new MemoryStream(other.Snapshot()));
        _cache.Sweep(now + 5);
        restored.Sweep(now + 5);
        Assert.Equal(_cache.Snapshot(), restored.Snapshot());
    }

    [Fact]
    public void A_key_with_a_500_ms_ttl_is_gone_after_sweeps_at_100_ms_steps()
    {
        long now = _cache.NowMs;
        _cache.Keyspace[0].Set("short"u8, [1], 0);
        _cache.Apply("pexpire", "short", "500");
        int sweeps = 0;
        for (long t = now + 100; _cache.Keyspace[0].Count > 0; t += 100)
        {
            _cache.Sweep(t);
            sweeps++;
        }
        Assert.Equal(5, sweeps);
    }
}
