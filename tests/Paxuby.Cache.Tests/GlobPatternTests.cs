using System.Text;

namespace Paxuby.Cache.Tests;

public sealed class GlobPatternTests
{
    private static bool Match(string pattern, string key, bool ignoreCase = false) =>
        GlobPattern.IsMatch(Encoding.UTF8.GetBytes(pattern), Encoding.UTF8.GetBytes(key), ignoreCase);

    [Theory]
    [InlineData("*", "", true)]
    [InlineData("*", "anything", true)]
    [InlineData("", "", true)]
    [InlineData("", "a", false)]
    [InlineData("h?llo", "hello", true)]
    [InlineData("h?llo", "hllo", false)]
    [InlineData("h*llo", "hllo", true)]
    [InlineData("h*llo", "heeeello", true)]
    [InlineData("h*llo*", "hello world", true)]
    [InlineData("h[ae]llo", "hallo", true)]
    [InlineData("h[ae]llo", "hillo", false)]
    [InlineData("h[^e]llo", "hallo", true)]
    [InlineData("h[^e]llo", "hello", false)]
    [InlineData("h[a-b]llo", "hbllo", true)]
    [InlineData("h[b-a]llo", "hallo", true)]
    [InlineData("h[a-b]llo", "hcllo", false)]
    [InlineData("h\\*llo", "h*llo", true)]
    [InlineData("h\\*llo", "hello", false)]
    [InlineData("a*b*c", "aXXbYYc", true)]
    [InlineData("a*b*c", "aXXbYY", false)]
    [InlineData("*a", "bbba", true)]
    [InlineData("**", "x", true)]
    [InlineData("[abc", "b", true)]
    [InlineData("[abc", "bx", false)]
    [InlineData("x\\", "x\\", true)]
    [InlineData("[\\]]", "]", true)]
    [InlineData("[]", "]", false)]
    [InlineData("user:*:name", "user:42:name", true)]
    [InlineData("user:*:name", "user:42:age", false)]
    public void Matches_like_redis_stringmatchlen(string pattern, string key, bool expected)
    {
        Assert.Equal(expected, Match(pattern, key));
    }

    [Fact]
    public void Ignore_case_applies_to_literals_and_ranges()
    {
        Assert.True(Match("HELLO", "hello", ignoreCase: true));
        Assert.True(Match("[A-C]x", "bx", ignoreCase: true));
        Assert.False(Match("HELLO", "hello"));
    }

    [Fact]
    public void Many_stars_against_a_long_key_do_not_backtrack_exponentially()
    {
        string pattern = string.Concat(Enumerable.Repeat("*a", 30)) + "b";
        string key = new('a', 5000);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Assert.False(Match(pattern, key));
        Assert.True(watch.ElapsedMilliseconds < 2000);
    }
}
