namespace Paxuby.Cache.Tests;

/// <summary>
/// What a WATCH on a string key sees: every change, in place or not, moves the key's version;
/// replies that change nothing (aborted NX, empty SETRANGE, errors, plain reads) leave it.
/// </summary>
public sealed class StringCommandsWatchTests
{
    private readonly CacheHarness _cache = new();

    public StringCommandsWatchTests()
    {
        _cache.Apply("SET", "k", "10");
    }

    [Theory]
    [InlineData("APPEND", "k", "x")]
    [InlineData("APPEND", "k", "")]
    [InlineData("SETRANGE", "k", "0", "x")]
    [InlineData("SETRANGE", "k", "5", "x")]
    [InlineData("INCR", "k")]
    [InlineData("DECRBY", "k", "100")]
    [InlineData("INCRBYFLOAT", "k", "1.5")]
    [InlineData("SET", "k", "10", "XX")]
    [InlineData("GETSET", "k", "10")]
    [InlineData("GETDEL", "k")]
    [InlineData("GETEX", "k", "PX", "100")]
    [InlineData("MSET", "k", "10")]
    public void A_change_moves_the_watched_version(params string[] command)
    {
        long before = _cache.Watch("k").Version;
        _cache.Apply(command);
        Assert.NotEqual(before, _cache.Watch("k").Version);
    }

    [Fact]
    public void Getex_persist_of_a_key_with_a_ttl_moves_the_watched_version()
    {
        _cache.Apply("PSETEX", "k", "5000", "10");
        long before = _cache.Watch("k").Version;
        _cache.Apply("GETEX", "k", "PERSIST");
        Assert.NotEqual(before, _cache.Watch("k").Version);
    }

    [Theory]
    [InlineData("GET", "k")]
    [InlineData("GETEX", "k")]
    [InlineData("GETEX", "k", "PERSIST")]
    [InlineData("SET", "k", "x", "NX")]
    [InlineData("SET", "k", "x", "EX", "0")]
    [InlineData("SETNX", "k", "x")]
    [InlineData("MSETNX", "other", "y", "k", "x")]
    [InlineData("SETRANGE", "k", "3", "")]
    [InlineData("INCRBY", "k", "x")]
    [InlineData("INCRBY", "k", "9223372036854775807")]
    [InlineData("INCRBYFLOAT", "k", "inf")]
    [InlineData("STRLEN", "k")]
    [InlineData("GETRANGE", "k", "0", "-1")]
    [InlineData("LCS", "k", "k")]
    public void A_command_that_changes_nothing_leaves_the_watched_version(params string[] command)
    {
        long before = _cache.Watch("k").Version;
        _cache.Apply(command);
        Assert.Equal(before, _cache.Watch("k").Version);
    }
}
