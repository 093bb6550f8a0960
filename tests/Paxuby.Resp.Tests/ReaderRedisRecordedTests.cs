using System.Buffers;
using System.Text;

namespace Paxuby.Resp.Tests;

/// <summary>
/// Random inline lines that redis-server 7.0.15 split (or refused); the reader must agree on
/// every one. TestData/inline-splits-redis-7.0.txt was recorded against a real server.
/// </summary>
public class ReaderRedisRecordedTests
{
    public static IEnumerable<object[]> RecordedLines()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "TestData", "inline-splits-redis-7.0.txt");
        foreach (string line in File.ReadLines(path))
        {
            if (line.Length == 0 || line.StartsWith('#')) continue;
            string[] fields = line.Split(' ', 3);
            yield return [fields[0], fields[1], fields[2]];
        }
    }

    [Theory]
    [MemberData(nameof(RecordedLines))]
    public void Inline_line_splits_as_redis_split_it(string lineHex, string outcome, string expected)
    {
        byte[] input = [.. "RPUSH k "u8, .. Convert.FromHexString(lineHex), .. "\r\n"u8];
        var buffer = new ReadOnlySequence<byte>(input);
        var command = new RespCommand();
        if (outcome == "error")
        {
            var error = Assert.Throws<RespProtocolException>(() => RespReader.TryReadCommand(ref buffer, command, RespLimits.Default));
            Assert.Equal(expected, error.Message);
            return;
        }

        Assert.True(RespReader.TryReadCommand(ref buffer, command, RespLimits.Default));
        string[] arguments = Enumerable.Range(0, command.Count)
            .Select(i => command[i].IsEmpty ? "-" : Convert.ToHexString(command[i]).ToLowerInvariant())
            .ToArray();
        Assert.Equal(expected, string.Join(' ', arguments));
    }
}
