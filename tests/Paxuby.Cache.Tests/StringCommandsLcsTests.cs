namespace Paxuby.Cache.Tests;

/// <summary>LCS with the examples of the Redis documentation, byte for byte in RESP2 and RESP3.</summary>
public sealed class StringCommandsLcsTests
{
    private const string IdxReplyBody =
        "$7\r\nmatches\r\n*2\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n*2\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n$3\r\nlen\r\n:6\r\n";

    private readonly CacheHarness _cache = new();

    public StringCommandsLcsTests()
    {
        _cache.Apply("MSET", "key1", "ohmytext", "key2", "mynewtext");
    }

    [Fact]
    public void Lcs_replies_the_common_subsequence()
    {
        Assert.Equal("$6\r\nmytext\r\n", _cache.Read("LCS", "key1", "key2"));
    }

    [Fact]
    public void Lcs_len_replies_its_length()
    {
        Assert.Equal(":6\r\n", _cache.Read("LCS", "key1", "key2", "LEN"));
    }

    [Fact]
    public void Lcs_idx_is_a_flat_array_in_resp2()
    {
        Assert.Equal("*4\r\n" + IdxReplyBody, _cache.Read("LCS", "key1", "key2", "IDX"));
    }

    [Fact]
    public void Lcs_idx_is_a_map_in_resp3()
    {
        _cache.Protocol = 3;
        Assert.Equal("%2\r\n" + IdxReplyBody, _cache.Read("LCS", "key1", "key2", "idx"));
    }

    [Fact]
    public void Lcs_idx_withmatchlen_adds_each_length()
    {
        Assert.Equal(
            "*4\r\n$7\r\nmatches\r\n*2\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n*3\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n:2\r\n$3\r\nlen\r\n:6\r\n",
            _cache.Read("LCS", "key1", "key2", "IDX", "WITHMATCHLEN"));
    }

    [Fact]
    public void Lcs_minmatchlen_drops_shorter_matches()
    {
        Assert.Equal(
            "*4\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n$3\r\nlen\r\n:6\r\n",
            _cache.Read("LCS", "key1", "key2", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN"));
    }

    [Fact]
    public void Lcs_treats_missing_keys_as_empty_strings()
    {
        Assert.Equal("$0\r\n\r\n", _cache.Read("LCS", "nokey1", "nokey2"));
        Assert.Equal("*4\r\n$7\r\nmatches\r\n*0\r\n$3\r\nlen\r\n:0\r\n", _cache.Read("LCS", "key1", "nokey", "IDX"));
    }

    [Fact]
    public void Lcs_negative_minmatchlen_counts_as_zero()
    {
        Assert.Equal(":6\r\n", _cache.Read("LCS", "key1", "key2", "WITHMATCHLEN", "MINMATCHLEN", "-5", "LEN"));
    }

    [Theory]
    [InlineData("-ERR If you want both the length and indexes, please just use IDX.\r\n", "IDX", "LEN")]
    [InlineData("-ERR syntax error\r\n", "FOO")]
    [InlineData("-ERR syntax error\r\n", "MINMATCHLEN")]
    [InlineData("-ERR value is not an integer or out of range\r\n", "MINMATCHLEN", "x")]
    public void Lcs_refuses_bad_options(string expected, params string[] options)
    {
        Assert.Equal(expected, _cache.Read(["LCS", "key1", "key2", .. options]));
    }

    [Fact]
    public void Lcs_refuses_a_table_larger_than_512_megabytes_instead_of_allocating_it()
    {
        string big = new('a', 12_000);
        _cache.Apply("SET", "big", big);
        Assert.Equal(
            "-ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len\r\n",
            _cache.Read("LCS", "big", "big", "LEN"));
    }

    [Fact]
    public void Lcs_of_binary_strings_compares_bytes()
    {
        _cache.Apply("MSET", "a", "x\0y\r\nz", "b", "\0\r\n");
        Assert.Equal("$3\r\n\0\r\n\r\n", _cache.Read("LCS", "a", "b"));
    }
}
