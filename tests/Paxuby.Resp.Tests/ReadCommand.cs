using System.Buffers;
using System.Text;

namespace Paxuby.Resp.Tests;

/// <summary>A parsed command copied out of the reusable <see cref="RespCommand"/>.</summary>
public sealed record ReadCommand(bool IsInline, IReadOnlyList<byte[]> Arguments)
{
    public static ReadCommand From(RespCommand command) =>
        new(command.IsInline, Enumerable.Range(0, command.Count).Select(i => command[i].ToArray()).ToArray());

    public static ReadCommand Multibulk(params string[] arguments) => new(false, Bytes(arguments));

    public static ReadCommand Inline(params string[] arguments) => new(true, Bytes(arguments));

    private static byte[][] Bytes(string[] arguments) => arguments.Select(Encoding.Latin1.GetBytes).ToArray();

    public bool Equals(ReadCommand? other) =>
        other is not null && IsInline == other.IsInline
        && Arguments.Count == other.Arguments.Count
        && Arguments.Zip(other.Arguments).All(pair => pair.First.AsSpan().SequenceEqual(pair.Second));

    public override int GetHashCode() => HashCode.Combine(IsInline, Arguments.Count);

    public override string ToString() =>
        (IsInline ? "inline " : "multibulk ")
        + string.Join(" ", Arguments.Select(a => a.Length > 40 ? $"<{a.Length} bytes>" : $"[{Encoding.Latin1.GetString(a)}]"));
}

/// <summary>Drives <see cref="RespReader"/> the way a connection's read loop does.</summary>
internal static class Feed
{
    /// <summary>Reads every whole command of <paramref name="buffer"/>; returns them and what is left.</summary>
    public static List<ReadCommand> ReadAll(ref ReadOnlySequence<byte> buffer, RespLimits? limits = null, RespCommand? reused = null)
    {
        var commands = new List<ReadCommand>();
        RespCommand command = reused ?? new RespCommand(initialBytes: 4, initialArgs: 1);
        while (true)
        {
            ReadOnlySequence<byte> before = buffer;
            if (!RespReader.TryReadCommand(ref buffer, command, limits ?? RespLimits.Default))
            {
                Assert.True(before.Start.Equals(buffer.Start) && before.Length == buffer.Length, "an incomplete command consumed bytes");
                Assert.Equal(0, command.Count);
                return commands;
            }
            Assert.True(buffer.Length < before.Length, "a command consumed nothing");
            commands.Add(ReadCommand.From(command));
        }
    }

    /// <summary>Reads a buffer that must hold only whole commands.</summary>
    public static List<ReadCommand> ReadWhole(ReadOnlySequence<byte> buffer, RespLimits? limits = null, RespCommand? reused = null)
    {
        List<ReadCommand> commands = ReadAll(ref buffer, limits, reused);
        Assert.Equal(0, buffer.Length);
        return commands;
    }

    /// <summary>
    /// Delivers <paramref name="bytes"/> in pieces of <paramref name="chunk"/> bytes, each appended as
    /// a new segment, reading after every delivery as a pipe reader does.
    /// </summary>
    public static List<ReadCommand> Incrementally(byte[] bytes, int chunk, RespLimits? limits = null, RespCommand? reused = null)
    {
        var commands = new List<ReadCommand>();
        var pending = new List<ReadOnlyMemory<byte>>();
        for (int start = 0; start < bytes.Length; start += chunk)
        {
            pending.Add(bytes.AsMemory(start, Math.Min(chunk, bytes.Length - start)));
            ReadOnlySequence<byte> buffer = Sequences.Of(pending);
            commands.AddRange(ReadAll(ref buffer, limits, reused));
            pending = Sequences.Parts(buffer);
        }
        Assert.Empty(pending);
        return commands;
    }
}
