using System.Text;

namespace Paxuby.Cache.Tests;

public sealed class SnapshotTests
{
    private static readonly string[][] History =
    [
        ["copy", "a", "b"],
        ["expire", "a", "100"],
        ["pexpire", "b", "5"],
        ["rename", "c", "d"],
        ["del", "e"],
        ["move", "d", "3"],
        ["swapdb", "3", "4"],
        ["copy", "f", "g", "db", "9"],
        ["expire", "h", "-1"],
    ];

    private static CacheHarness Seeded()
    {
        var cache = new CacheHarness();
        foreach (string key in new[] { "a", "c", "e", "f", "h", "i" })
        {
            cache.Keyspace[0].Set(Encoding.ASCII.GetBytes(key), Encoding.ASCII.GetBytes("value-" + key), 0);
        }
        cache.Keyspace[0].Set([0, 1, 2], new byte[4 * 1024 * 1024 + 3], cache.NowMs + 60_000);
        long t = cache.NowMs;
        foreach (string[] command in History) cache.ApplyAt(t += 7, command);
        return cache;
    }

    [Fact]
    public void Two_replicas_fed_the_same_commands_write_identical_snapshots()
    {
        Assert.Equal(Seeded().Snapshot(), Seeded().Snapshot());
    }

    [Fact]
    public void Restore_reproduces_the_keyspace_byte_for_byte()
    {
        CacheHarness original = Seeded();
        byte[] snapshot = original.Snapshot();
        var restored = new CacheHarness();
        restored.Keyspace[7].Set("stale"u8, [1], 0);
        restored.Machine.Restore(new MemoryStream(snapshot));
        Assert.Equal(snapshot, restored.Snapshot());
        Assert.Equal(0, restored.Keyspace[7].Count);
        Assert.Equal(original.Machine.LastAppliedTimestampMs, restored.Machine.LastAppliedTimestampMs);
        Assert.Equal(original.Read("keys", "*"), restored.Read("keys", "*"));
        Assert.Equal(original.Read("pttl", "a"), restored.Read("pttl", "a"));
    }

    [Fact]
    public void Restored_replica_keeps_behaving_identically_including_slots_watch_and_sweep()
    {
        CacheHarness original = Seeded();
        var restored = new CacheHarness();
        restored.Machine.Restore(new MemoryStream(original.Snapshot()));
        WatchedKey watch = original.Watch("e");
        Assert.Equal(watch.Version, restored.Watch("e").Version);
        foreach (CacheHarness cache in new[] { original, restored })
        {
            cache.Apply("del", "i");
            cache.Keyspace[0].Set("new"u8, [9], 0);
            cache.Sweep(cache.NowMs + 1_000);
        }
        Assert.Equal(original.Snapshot(), restored.Snapshot());
        Assert.Equal(original.Read("scan", "0", "count", "100"), restored.Read("scan", "0", "count", "100"));
        Assert.Equal(original.Exec([watch], ["ping"]), restored.Exec([watch], ["ping"]));
    }

    [Fact]
    public void Reads_never_change_the_state()
    {
        CacheHarness cache = Seeded();
        long later = cache.NowMs + 10_000_000;
        byte[] before = cache.Snapshot();
        string[][] reads =
        [
            ["exists", "a", "b", "h"], ["ttl", "b"], ["pttl", "a"], ["type", "b"], ["keys", "*"],
            ["scan", "0"], ["randomkey"], ["dbsize"], ["touch", "a"], ["expiretime", "a"],
            ["object", "encoding", "a"], ["pexpiretime", "b"],
        ];
        foreach (string[] read in reads)
        {
            cache.Read(read);
            cache.ReadAt(later, read);
        }
        Assert.Equal(before, cache.Snapshot());
    }

    [Fact]
    public void Restore_of_a_corrupt_snapshot_throws_and_keeps_the_current_state()
    {
        CacheHarness cache = Seeded();
        byte[] before = cache.Snapshot();
        byte[] truncated = before[..(before.Length / 2)];
        Assert.ThrowsAny<Exception>(() => cache.Machine.Restore(new MemoryStream(truncated)));
        Assert.Throws<InvalidDataException>(() => cache.Machine.Restore(new MemoryStream([1, 2, 3, 4, 5, 6, 7, 8])));
        Assert.Equal(before, cache.Snapshot());
    }

    [Fact]
    public void Empty_state_machine_round_trips()
    {
        var empty = new CacheHarness();
        var restored = new CacheHarness();
        restored.Machine.Restore(new MemoryStream(empty.Snapshot()));
        Assert.Equal(empty.Snapshot(), restored.Snapshot());
    }

    [Fact]
    public void Captured_snapshot_written_after_later_writes_is_the_state_at_capture()
    {
        CacheHarness cache = Seeded();
        cache.Apply("set", "counter", "41");
        cache.Apply("set", "text", "hello world");
        cache.Apply("mset", "same-length", "before", "via-getset", "before", "via-mset", "before");
        byte[] atCapture = cache.Snapshot();
        Action<Stream> captured = cache.Machine.CaptureSnapshot();

        // Everything a write can do to what the capture holds by reference.
        cache.Apply("setrange", "text", "0", "J");
        cache.Apply("append", "text", "!");
        cache.Apply("incr", "counter");
        cache.Apply("incrbyfloat", "counter", "0.5");
        cache.Apply("set", "value-less", "x");
        cache.Apply("set", "same-length", "after!");
        cache.Apply("set", "same-length", "again!", "keepttl");
        cache.Apply("getset", "via-getset", "after!");
        cache.Apply("mset", "via-mset", "after!");
        cache.Apply("del", "i");
        cache.Apply("rename", "a", "renamed");
        cache.Apply("expire", "f", "1000");
        cache.Apply("swapdb", "0", "4");
        cache.Apply("flushdb");

        using var written = new MemoryStream();
        captured(written);
        Assert.Equal(atCapture, written.ToArray());
    }
    [Fact]
    public void Two_captures_outstanding_at_once_each_write_the_state_at_their_capture()
    {
        CacheHarness cache = Seeded();
        for (int i = 0; i < 100; i++) cache.Apply("set", "k" + i, "first");
        byte[] atFirst = cache.Snapshot();
        Action<Stream> first = cache.Machine.CaptureSnapshot();
        for (int i = 0; i < 100; i += 2) cache.Apply("del", "k" + i);
        cache.Apply("set", "added", "x");
        byte[] atSecond = cache.Snapshot();
        Action<Stream> second = cache.Machine.CaptureSnapshot();
        cache.Apply("flushall");
        cache.Apply("set", "after", "both");

        using var secondWritten = new MemoryStream();
        second(secondWritten);
        Action<Stream> third = cache.Machine.CaptureSnapshot(); // may reuse the array the second image just gave back
        using var firstWritten = new MemoryStream();
        first(firstWritten);
        using var thirdWritten = new MemoryStream();
        third(thirdWritten);

        Assert.Equal(atFirst, firstWritten.ToArray());
        Assert.Equal(atSecond, secondWritten.ToArray());
        Assert.Equal(cache.Snapshot(), thirdWritten.ToArray());
    }

    [Fact]
    public void A_capture_after_a_written_one_reuses_its_entry_array()
    {
        var cache = new CacheHarness();
        for (int i = 0; i < 10_000; i++) cache.Keyspace[0].Set(Encoding.ASCII.GetBytes("key" + i), [1, 2, 3], 0);
        cache.Machine.CaptureSnapshot()(Stream.Null);
        cache.Apply("set", "one-more", "x");

        long before = GC.GetAllocatedBytesForCurrentThread();
        Action<Stream> captured = cache.Machine.CaptureSnapshot();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // A fresh entry array alone would be 10,001 entries of 40 bytes.
        Assert.True(allocated < 40_000, $"the capture allocated {allocated} bytes");
        using var written = new MemoryStream();
        captured(written);
        Assert.Equal(cache.Snapshot(), written.ToArray());
    }
}
