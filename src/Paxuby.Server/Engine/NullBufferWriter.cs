using System.Buffers;

namespace Paxuby.Server.Engine;

/// <summary>Discards what is written: replies nobody waits for (the expiry sweep, other replicas' commands).</summary>
public sealed class NullBufferWriter : IBufferWriter<byte>
{
    public static readonly NullBufferWriter Instance = new();

    [ThreadStatic] private static byte[]? t_scratch;

    public void Advance(int count) { }

    public Memory<byte> GetMemory(int sizeHint = 0) => Scratch(sizeHint);

    public Span<byte> GetSpan(int sizeHint = 0) => Scratch(sizeHint);

    private static byte[] Scratch(int sizeHint)
    {
        int size = Math.Max(sizeHint, 4096);
        if (t_scratch is null || t_scratch.Length < size) t_scratch = new byte[size];
        return t_scratch;
    }
}
