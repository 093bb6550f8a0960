namespace Paxuby.Consensus.Tests;

public sealed class PackedCommandsTests
{
    private static readonly Command[] Commands =
    [
        new(7, 1, 1_000, "SET a 1"u8.ToArray()),
        new(-3, long.MaxValue, long.MinValue, Array.Empty<byte>()),
        new(long.MaxValue, 2, 2_000, Enumerable.Range(0, 300).Select(i => (byte)i).ToArray()),
    ];

    [Fact]
    public void Packed_commands_read_back_as_they_were_given()
    {
        PackedCommands packed = PackedCommands.Pack(Commands);

        Assert.Equal(Commands.Length, packed.Count);
        for (int i = 0; i < Commands.Length; i++)
        {
            AssertSame(Commands[i], packed[i]);
            ReadOnlySpan<byte> payload = packed.Read(i, out long clientId, out long sequence);
            Assert.Equal((Commands[i].ClientId, Commands[i].Sequence), (clientId, sequence));
            Assert.True(payload.SequenceEqual(Commands[i].Payload.Span));
        }
        Assert.Equal(Commands.Sum(c => c.SizeBytes), packed.SizeBytes);
        Assert.Equal(Commands.Length, packed.Count());
    }

    [Fact]
    public void Batch_keeps_its_commands_packed_and_reuses_a_packed_list()
    {
        var batch = new Batch(new BatchId(new Ballot(1, 0), 5), 1_000, Commands);
        var again = new Batch(new BatchId(new Ballot(2, 0), 5), 1_000, batch.Commands);

        Assert.Same(batch.Commands, again.Commands);
        Assert.Equal(Commands.Sum(c => c.SizeBytes), batch.SizeBytes);
        Assert.True(Batch.NoOp(batch.Id, 0).IsNoOp);
    }

    [Fact]
    public void Encoded_commands_read_back_and_report_the_bytes_they_took()
    {
        byte[] encoded = [.. PackedCommands.Pack(Commands).Encoded, 0xEE, 0xEE];

        Assert.True(PackedCommands.TryRead(encoded, Commands.Length, out PackedCommands read, out int bytesRead, out string? error));

        Assert.Null(error);
        Assert.Equal(encoded.Length - 2, bytesRead);
        for (int i = 0; i < Commands.Length; i++) AssertSame(Commands[i], read[i]);
    }

    [Fact]
    public void Encoded_commands_cut_short_anywhere_are_refused()
    {
        byte[] encoded = PackedCommands.Pack(Commands).Encoded.ToArray();
        for (int length = 0; length < encoded.Length; length++)
        {
            Assert.False(PackedCommands.TryRead(encoded.AsSpan(0, length), Commands.Length, out _, out _, out string? error), $"cut at {length}");
            Assert.NotNull(error);
        }
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    public void A_count_the_bytes_cannot_hold_is_refused(int count)
    {
        byte[] encoded = PackedCommands.Pack(Commands).Encoded.ToArray();
        Assert.False(PackedCommands.TryRead(encoded, count, out _, out _, out string? error));
        Assert.Contains("does not fit", error);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    public void A_payload_length_beyond_the_bytes_is_refused(int length)
    {
        byte[] encoded = PackedCommands.Pack(Commands).Encoded.ToArray();
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(encoded.AsSpan(24), length);
        Assert.False(PackedCommands.TryRead(encoded, Commands.Length, out _, out _, out string? error));
        Assert.Contains("command 0 has length", error);
    }

    private static void AssertSame(Command expected, Command actual)
    {
        Assert.Equal(expected.ClientId, actual.ClientId);
        Assert.Equal(expected.Sequence, actual.Sequence);
        Assert.Equal(expected.TimestampMs, actual.TimestampMs);
        Assert.Equal(expected.Payload.ToArray(), actual.Payload.ToArray());
    }
    [Fact]
    public void Packed_and_read_batches_live_where_collections_do_not_copy_them()
    {
        PackedCommands packed = PackedCommands.Pack(Commands);
        var encoded = packed.Encoded.ToArray();
        Assert.True(PackedCommands.TryRead(encoded, Commands.Length, out PackedCommands read, out _, out _));

        // The pinned object heap reports the oldest generation from the start: no gen0 or gen1
        // collection copies these arrays, however long the log keeps them.
        Assert.Equal(GC.MaxGeneration, GC.GetGeneration(packed.Data));
        Assert.Equal(GC.MaxGeneration, GC.GetGeneration(read.Data));
        Assert.Equal(0, GC.GetGeneration(new byte[encoded.Length]));
    }
}
