using System.Text;

namespace Paxuby.Cache.Tests;

public sealed class TransactionTests
{
    private readonly CacheHarness _cache = new();

    private long Now => _cache.NowMs;

    private void Put(string key, long expireAtMs = 0, int db = 0) =>
        _cache.Keyspace[db].Set(Encoding.UTF8.GetBytes(key), "v"u8.ToArray(), expireAtMs);

    [Fact]
    public void Exec_replies_with_each_command_reply_in_order()
    {
        Put("a");
        Assert.Equal("*3\r\n:1\r\n:1\r\n:-2\r\n", _cache.Exec([], ["expire", "a", "10"], ["del", "a"], ["ttl", "a"]));
    }

    [Fact]
    public void Errors_inside_a_transaction_do_not_stop_the_following_commands()
    {
        Put("a");
        Assert.Equal("*2\r\n-ERR value is not an integer or out of range\r\n:1\r\n",
            _cache.Exec([], ["expire", "a", "soon"], ["del", "a"]));
    }

    [Fact]
    public void Select_inside_a_transaction_changes_the_database_for_what_follows()
    {
        Put("a", db: 4);
        Assert.Equal("*4\r\n:0\r\n+OK\r\n:1\r\n-ERR DB index is out of range\r\n",
            _cache.Exec([], ["exists", "a"], ["select", "4"], ["exists", "a"], ["select", "16"]));
        Assert.Equal(0, _cache.Db);
    }

    [Fact]
    public void Select_errors_inside_a_transaction_match_redis()
    {
        Assert.Equal("*3\r\n-ERR value is not an integer or out of range\r\n-ERR value is out of range, value must between -2147483648 and 2147483647\r\n-ERR wrong number of arguments for 'select' command\r\n",
            _cache.Exec([], ["select", "x"], ["select", "99999999999"], ["select"]));
    }

    [Fact]
    public void Ping_and_echo_inside_a_transaction_reply_as_redis()
    {
        Assert.Equal("*3\r\n+PONG\r\n$2\r\nhi\r\n$3\r\nyou\r\n", _cache.Exec([], ["ping"], ["ping", "hi"], ["echo", "you"]));
    }

    [Fact]
    public void Empty_transaction_replies_an_empty_array()
    {
        Assert.Equal("*0\r\n", _cache.Exec([]));
    }

    [Fact]
    public void Watched_key_unchanged_lets_exec_run()
    {
        Put("a");
        WatchedKey watch = _cache.Watch("a");
        Put("other");
        Assert.Equal("*1\r\n:1\r\n", _cache.Exec([watch], ["del", "a"]));
    }

    [Fact]
    public void Watched_missing_key_still_missing_lets_exec_run()
    {
        WatchedKey watch = _cache.Watch("nothing");
        Put("other");
        _cache.Apply("del", "other");
        Assert.Equal("*1\r\n:0\r\n", _cache.Exec([watch], ["exists", "nothing"]));
    }

    [Fact]
    public void Watched_key_modified_aborts_with_a_null_array()
    {
        Put("a");
        WatchedKey watch = _cache.Watch("a");
        _cache.Apply("expire", "a", "100");
        Assert.Equal("*-1\r\n", _cache.Exec([watch], ["del", "a"]));
        Assert.Equal(1, _cache.Keyspace[0].Count);
    }

    [Fact]
    public void Aborted_transaction_is_a_resp3_null()
    {
        Put("a");
        WatchedKey watch = _cache.Watch("a");
        _cache.Apply("persist", "a");
        _cache.Apply("del", "a");
        _cache.Protocol = 3;
        Assert.Equal("_\r\n", _cache.Exec([watch], ["ping"]));
    }

    [Fact]
    public void Watched_key_created_aborts()
    {
        WatchedKey watch = _cache.Watch("a");
        Put("a");
        Assert.Equal("*-1\r\n", _cache.Exec([watch], ["ping"]));
    }

    [Fact]
    public void Watched_key_deleted_and_recreated_aborts()
    {
        Put("a");
        WatchedKey watch = _cache.Watch("a");
        _cache.Apply("del", "a");
        Put("a");
        Assert.Equal("*-1\r\n", _cache.Exec([watch], ["ping"]));
    }

    [Fact]
    public void Watched_key_that_expires_before_exec_aborts_even_if_not_yet_removed()
    {
        Put("a", Now + 100);
        WatchedKey watch = _cache.Watch("a");
        Assert.Equal("*-1\r\n", _cache.ExecAt(Now + 100, [watch], ["ping"]));
        Assert.Equal("*1\r\n+PONG\r\n", _cache.ExecAt(Now + 99, [_cache.Watch("a")], ["ping"]));
    }

    [Fact]
    public void Watched_key_that_expires_and_is_swept_before_exec_aborts()
    {
        Put("a", Now + 100);
        WatchedKey watch = _cache.Watch("a");
        _cache.Sweep(Now + 150);
        Assert.Equal("*-1\r\n", _cache.ExecAt(Now + 200, [watch], ["ping"]));
    }

    [Fact]
    public void Key_already_expired_at_watch_and_swept_since_counts_as_unchanged()
    {
        Put("a", Now - 10);
        WatchedKey watch = _cache.Watch("a");
        _cache.Sweep(Now);
        Assert.Equal(0, _cache.Keyspace[0].Count);
        Assert.Equal("*1\r\n+PONG\r\n", _cache.Exec([watch], ["ping"]));
    }

    [Fact]
    public void Flushdb_of_the_watched_database_aborts()
    {
        Put("a");
        WatchedKey watch = _cache.Watch("a");
        _cache.Apply("flushdb");
        Assert.Equal("*-1\r\n", _cache.Exec([watch], ["ping"]));
    }

    [Fact]
    public void Flushall_aborts_a_watch_in_another_database()
    {
        _cache.Db = 3;
        Put("a", db: 3);
        WatchedKey watch = _cache.Watch("a");
        _cache.Db = 0;
        _cache.Apply("flushall");
        Assert.Equal("*-1\r\n", _cache.Exec([watch], ["ping"]));
    }

    [Fact]
    public void Swapdb_aborts_a_watch_on_a_key_of_either_database()
    {
        Put("a");
        WatchedKey watch = _cache.Watch("a");
        _cache.Apply("swapdb", "0", "1");
        Assert.Equal("*-1\r\n", _cache.Exec([watch], ["ping"]));
    }

    [Fact]
    public void Writes_to_other_keys_and_databases_do_not_abort()
    {
        Put("a");
        WatchedKey watch = _cache.Watch("a");
        Put("a", db: 2);
        _cache.Db = 2;
        _cache.Apply("del", "a");
        _cache.Db = 0;
        Assert.Equal("*1\r\n:1\r\n", _cache.Exec([watch], ["exists", "a"]));
    }

    [Fact]
    public void Rename_onto_a_watched_key_aborts()
    {
        Put("a");
        Put("b");
        WatchedKey watch = _cache.Watch("b");
        _cache.Apply("rename", "a", "b");
        Assert.Equal("*-1\r\n", _cache.Exec([watch], ["ping"]));
    }

    [Fact]
    public void Watch_of_a_long_deleted_key_whose_tombstone_was_forgotten_aborts_conservatively()
    {
        Put("a");
        _cache.Apply("del", "a");
        WatchedKey watch = _cache.Watch("a");
        for (int i = 0; i <= Tombstones.Capacity; i++)
        {
            byte[] key = Encoding.ASCII.GetBytes($"t{i}");
            _cache.Keyspace[0].Set(key, [1], 0);
            _cache.Keyspace[0].Remove(key);
        }
        Assert.Equal("*-1\r\n", _cache.Exec([watch], ["ping"]));
    }

    [Fact]
    public void Watch_versions_are_equal_on_replicas_that_applied_the_same_commands()
    {
        var other = new CacheHarness();
        foreach (CacheHarness cache in new[] { _cache, other })
        {
            cache.Keyspace[0].Set("a"u8, [1], 0);
            cache.Apply("expire", "a", "10");
            cache.Apply("copy", "a", "b");
            cache.Apply("del", "a");
        }
        foreach (string key in new[] { "a", "b", "never" })
        {
            Assert.Equal(_cache.Watch(key), other.Watch(key), WatchedKeyComparer.Instance);
        }
    }

    private sealed class WatchedKeyComparer : IEqualityComparer<WatchedKey>
    {
        public static readonly WatchedKeyComparer Instance = new();

        public bool Equals(WatchedKey x, WatchedKey y) => x.Db == y.Db && x.Version == y.Version && x.Key.AsSpan().SequenceEqual(y.Key);

        public int GetHashCode(WatchedKey obj) => HashCode.Combine(obj.Db, obj.Version);
    }
}
