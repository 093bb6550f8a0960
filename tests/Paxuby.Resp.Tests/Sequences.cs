using System.Buffers;

namespace Paxuby.Resp.Tests;

/// <summary>Builds multi-segment sequences, the shape a pipe hands over when data arrived in pieces.</summary>
internal static class Sequences
{
    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }

    public static ReadOnlySequence<byte> Of(IReadOnlyList<ReadOnlyMemory<byte>> parts)
    {
        if (parts.Count == 0) return ReadOnlySequence<byte>.Empty;
        var first = new Segment(parts[0], 0);
        Segment last = first;
        for (int i = 1; i < parts.Count; i++) last = last.Append(parts[i]);
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    public static ReadOnlySequence<byte> Of(params byte[][] parts) =>
        Of(parts.Select(part => (ReadOnlyMemory<byte>)part).ToArray());

    /// <summary>The bytes split in two segments at <paramref name="at"/> (either may be empty).</summary>
    public static ReadOnlySequence<byte> SplitAt(byte[] bytes, int at) =>
        Of(new ReadOnlyMemory<byte>[] { bytes.AsMemory(0, at), bytes.AsMemory(at) });

    /// <summary>The bytes as consecutive segments of <paramref name="size"/> bytes.</summary>
    public static ReadOnlySequence<byte> Chunked(byte[] bytes, int size)
    {
        var parts = new List<ReadOnlyMemory<byte>>();
        for (int start = 0; start < bytes.Length; start += size)
            parts.Add(bytes.AsMemory(start, Math.Min(size, bytes.Length - start)));
        return Of(parts);
    }

    /// <summary>The segments that make up <paramref name="sequence"/>, to append more to.</summary>
    public static List<ReadOnlyMemory<byte>> Parts(in ReadOnlySequence<byte> sequence)
    {
        var parts = new List<ReadOnlyMemory<byte>>();
        foreach (ReadOnlyMemory<byte> part in sequence)
        {
            if (!part.IsEmpty) parts.Add(part);
        }
        return parts;
    }
}
