namespace Paxuby.Cache.Tests;

/// <summary>
/// Random sequences of string commands played on a real Redis 7.0 and on the cache, reply by
/// reply (runs only with PAXUBY_REDIS_PORT set, see <see cref="RedisFactAttribute"/>). Expiries
/// are either far away or long past, so the two clocks never disagree about a key.
/// </summary>
[Collection(SharedRedisCollection.Name)]
public sealed class StringCommandsRedisParityTests
{
    private static readonly string[] Keys = ["k1", "k2", "k3", "n1", "n2"];
    private static readonly string[] Values = ["v", "", "hello", "10", "-3", "0", "9223372036854775806", "ab\0c\r\n", "01", "2.5", "1e3"];
    private static readonly string[] Integers = ["0", "-1", "1", "5", "100", "abc", "01", "+1", "9223372036854775807", "-9223372036854775808", ""];
    private static readonly string[] Floats = ["0.1", "-2.5", "1e2", "x", "3", "0x10", "inf", "1000.1"];
    private static readonly string[] Indexes = ["0", "-1", "2", "-3", "100", "x", "-100"];

    [RedisTheory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Random_string_command_sequences_match_redis(int seed)
    {
        using var redis = new RedisConnection();
        redis.Send("HELLO", "2");
        redis.Send("SELECT", "0");
        redis.Send("FLUSHDB");
        var cache = new CacheHarness { NowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() };
        var random = new Random(seed);
        for (int step = 0; step < 2000; step++)
        {
            string[] command = NextCommand(random);
            string expected = redis.Send(command);
            CommandInfo info = CommandTable.Find(System.Text.Encoding.ASCII.GetBytes(command[0]))!;
            string actual = info.IsWrite ? cache.Apply(command) : cache.Read(command);
            Assert.True(expected == actual,
                $"seed {seed} step {step}: {string.Join(' ', command)}\n  redis: {expected.Replace("\r\n", " ⏎ ")}\n  ours:  {actual.Replace("\r\n", " ⏎ ")}");
        }
    }

    private static string[] NextCommand(Random random)
    {
        string Key() => Pick(random, Keys);
        string Value() => Pick(random, Values);
        return random.Next(22) switch
        {
            0 => ["SET", Key(), Value(), .. SetOptions(random)],
            1 => ["GET", Key()],
            2 => ["GETSET", Key(), Value()],
            3 => ["GETDEL", Key()],
            4 => ["GETEX", Key(), .. GetExOptions(random)],
            5 => ["MGET", .. Enumerable.Range(0, random.Next(1, 5)).Select(_ => Key())],
            6 => ["MSET", .. Enumerable.Range(0, random.Next(1, 4)).SelectMany(_ => new[] { Key(), Value() }), .. random.Next(10) == 0 ? [Key()] : Array.Empty<string>()],
            7 => ["MSETNX", .. Enumerable.Range(0, random.Next(1, 4)).SelectMany(_ => new[] { Key(), Value() })],
            8 => ["APPEND", Key(), Value()],
            9 => ["STRLEN", Key()],
            10 => ["INCR", Key()],
            11 => ["DECR", Key()],
            12 => ["INCRBY", Key(), Pick(random, Integers)],
            13 => ["DECRBY", Key(), Pick(random, Integers)],
            14 => ["INCRBYFLOAT", Key(), Pick(random, Floats)],
            15 => [random.Next(2) == 0 ? "GETRANGE" : "SUBSTR", Key(), Pick(random, Indexes), Pick(random, Indexes)],
            16 => ["SETRANGE", Key(), Pick(random, ["0", "3", "7", "-1", "x"]), Value()],
            17 => ["SETNX", Key(), Value()],
            18 => ["SETEX", Key(), Pick(random, ["100", "0", "-5", "x"]), Value()],
            19 => ["PSETEX", Key(), Pick(random, ["100000", "0", "x"]), Value()],
            20 => ["LCS", Key(), Key(), .. Pick<string[]>(random, [[], ["LEN"], ["IDX", "WITHMATCHLEN"], ["IDX", "MINMATCHLEN", "2"]])],
            _ => ["SET", Key(), Value()],
        };
    }

    private static string[] Expiry(Random random) => Pick<string[]>(random,
    [
        ["EX", "1000"], ["PX", "100000"], ["EXAT", "1"], ["PXAT", "1"], ["EXAT", "99999999999"],
        ["PXAT", "99999999999999"], ["EX", "0"], ["EX", "-1"], ["EX", "x"], ["EX", "01"], ["EX"],
        ["PX", "9223372036854775807"],
    ]);

    private static string[] SetOptions(Random random)
    {
        var options = new List<string>();
        for (int i = random.Next(4); i > 0; i--)
        {
            if (random.Next(5) < 2) options.AddRange(Expiry(random));
            else options.Add(Pick(random, ["NX", "XX", "GET", "KEEPTTL", "nx", "get", "PERSIST", "FOO"]));
        }
        return [.. options];
    }

    private static string[] GetExOptions(Random random)
    {
        var options = new List<string>();
        for (int i = random.Next(3); i > 0; i--)
        {
            if (random.Next(5) < 3) options.AddRange(Expiry(random));
            else options.Add(Pick(random, ["PERSIST", "persist", "NX", "KEEPTTL"]));
        }
        return [.. options];
    }

    private static T Pick<T>(Random random, T[] choices) => choices[random.Next(choices.Length)];
}
