namespace Paxuby.Cache.Tests;

/// <summary>Whatever a client sends, Apply and Read reply with exactly one well-formed reply and never throw.</summary>
public sealed class HostileInputTests
{
    private static readonly string[] Values =
        ["", "0", "-1", "1", "x", "9223372036854775807", "-9223372036854775808", "99999999999999999999", "NX", "GT", "db", "16", "count", "match", "*", "k"];

    public static TheoryData<string> CommandNames()
    {
        var names = new TheoryData<string>();
        foreach (CommandInfo info in CommandTable.All) names.Add(info.Name);
        return names;
    }

    [Theory]
    [MemberData(nameof(CommandNames))]
    public void Any_arguments_give_one_reply_and_no_exception(string name)
    {
        var cache = new CacheHarness();
        var random = new Random(name.GetHashCode(StringComparison.Ordinal) & 0xFFFF);
        for (int round = 0; round < 200; round++)
        {
            cache.Keyspace[0].Set("k"u8, "12"u8.ToArray(), round % 3 == 0 ? cache.NowMs + 5 : 0);
            string[] args = new string[1 + random.Next(5)];
            args[0] = name;
            for (int i = 1; i < args.Length; i++) args[i] = Values[random.Next(Values.Length)];
            string reply = round % 2 == 0 ? cache.Apply(args) : cache.ReadAt(cache.NowMs + 10, args);
            Assert.NotEmpty(reply);
            Assert.Contains(reply[0], "+-:$*_%~,#");
            Assert.EndsWith("\r\n", reply);
        }
    }
}
