using System.Text;

namespace Paxuby.Cache.Tests;

/// <summary>
/// Replicas that apply the same log reach the same state, byte for byte, including one that joined
/// half-way from a snapshot: the property the whole replication rests on.
/// </summary>
public sealed class ReplicaDeterminismTests
{
    /// <summary>A seeded random log of key, expiry, database and transaction commands, with sweeps.</summary>
    private static List<(long TimestampMs, byte[] Entry)> RandomLog(int seed, int length)
    {
        var random = new Random(seed);
        var encoder = new CacheHarness();
        var log = new List<(long, byte[])>();
        long t = encoder.NowMs;
        string Key() => "k" + random.Next(40);
        for (int i = 0; i < length; i++)
        {
            t += random.Next(0, 30);
            encoder.Db = random.Next(3);
            int pick = random.Next(14);
            if (pick == 0)
            {
                log.Add((t, CacheCommandCodec.EncodeExpireSweep()));
                continue;
            }
            if (pick == 1)
            {
                var watched = new[] { new WatchedKey(encoder.Db, Encoding.ASCII.GetBytes(Key()), random.Next(-5, 50)) };
                var commands = new List<Paxuby.Resp.RespCommand>
                {
                    Paxuby.Resp.RespCommand.Of("set", Key(), "tx"),
                    Paxuby.Resp.RespCommand.Of("select", random.Next(3).ToString()),
                    Paxuby.Resp.RespCommand.Of("randomkey"),
                    Paxuby.Resp.RespCommand.Of("del", Key()),
                };
                log.Add((t, CacheCommandCodec.EncodeTransaction(encoder.Db, 2, commands, random.Next(2) == 0 ? watched : [])));
                continue;
            }
            string[] command = pick switch
            {
                2 or 3 or 4 => ["set", Key(), "v" + i],
                5 => ["del", Key(), Key()],
                6 => ["pexpire", Key(), random.Next(-10, 200).ToString()],
                7 => ["expire", Key(), "1", random.Next(2) == 0 ? "GT" : "LT"],
                8 => ["rename", Key(), Key()],
                9 => ["copy", Key(), Key(), "db", random.Next(3).ToString()],
                10 => ["move", Key(), random.Next(3).ToString()],
                11 => ["swapdb", random.Next(3).ToString(), random.Next(3).ToString()],
                12 => ["persist", Key()],
                _ => random.Next(20) == 0 ? ["flushdb"] : ["set", Key(), "x", "px", random.Next(1, 100).ToString()],
            };
            log.Add((t, encoder.Encode(command)));
        }
        return log;
    }

    private static string Play(CacheHarness cache, IEnumerable<(long TimestampMs, byte[] Entry)> log)
    {
        var replies = new StringBuilder();
        foreach (var (timestampMs, entry) in log) replies.Append(CacheHarness.Text(cache.ApplyBytes(timestampMs, entry)));
        return replies.ToString();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Replicas_and_a_replica_restored_half_way_end_identical(int seed)
    {
        List<(long, byte[])> log = RandomLog(seed, 3000);
        var first = new CacheHarness();
        var second = new CacheHarness();
        string firstReplies = Play(first, log);
        string secondReplies = Play(second, log);
        Assert.Equal(firstReplies, secondReplies);
        Assert.Equal(first.Snapshot(), second.Snapshot());

        var catchingUp = new CacheHarness();
        var prefix = new CacheHarness();
        Play(prefix, log.Take(1500));
        catchingUp.Machine.Restore(new MemoryStream(prefix.Snapshot()));
        string tail = Play(catchingUp, log.Skip(1500));
        Assert.Equal(Play(prefix, log.Skip(1500)), tail);
        Assert.Equal(first.Snapshot(), catchingUp.Snapshot());
    }
}
