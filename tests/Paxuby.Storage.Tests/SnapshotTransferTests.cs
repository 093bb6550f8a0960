namespace Paxuby.Storage.Tests;

public class SnapshotTransferTests
{
    private const int ChunkBytes = 64 * 1024;

    private static (SnapshotStore Leader, SnapshotInfo Snapshot, byte[] Payload) LeaderWithSnapshot(TempDirectory directory, long slot, int length)
    {
        var leader = new SnapshotStore(Path.Combine(directory.Path, "leader"));
        var payload = new byte[length];
        new Random((int)slot).NextBytes(payload);
        using var writer = leader.BeginWrite(slot);
        writer.Write(payload);
        return (leader, writer.Commit(), payload);
    }

    private static void Send(SnapshotStore leader, SnapshotInfo snapshot, SnapshotReceiver receiver, long stopAt = long.MaxValue)
    {
        var chunk = new byte[ChunkBytes];
        while (receiver.ReceivedBytes < Math.Min(snapshot.Length, stopAt))
        {
            var offset = receiver.ReceivedBytes;
            var read = leader.ReadChunk(snapshot, offset, chunk);
            Assert.Equal(ChunkResult.Accepted, receiver.WriteChunk(offset, chunk.AsSpan(0, read)));
        }
    }

    private static byte[] ReadPayload(SnapshotStore store, SnapshotInfo snapshot)
    {
        using var stream = store.OpenRead(snapshot);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    [Fact]
    public void A_snapshot_sent_in_chunks_is_installed_on_the_receiver()
    {
        using var directory = new TempDirectory();
        var (leader, snapshot, payload) = LeaderWithSnapshot(directory, 99, 300_001);
        var follower = new SnapshotStore(Path.Combine(directory.Path, "follower"));

        SnapshotInfo installed;
        using (var receiver = follower.BeginReceive(snapshot.Slot, snapshot.Length))
        {
            Send(leader, snapshot, receiver);
            Assert.True(receiver.IsComplete);
            installed = receiver.Complete();
        }

        Assert.Equal(snapshot, installed);
        Assert.Equal(snapshot, follower.FindNewestValid(out _));
        Assert.Equal(payload, ReadPayload(follower, installed));
        Assert.Equal([installed.Name], Directory.GetFiles(follower.Directory).Select(Path.GetFileName));
    }

    [Fact]
    public void A_transfer_interrupted_and_begun_again_resumes_from_the_received_bytes()
    {
        using var directory = new TempDirectory();
        var (leader, snapshot, payload) = LeaderWithSnapshot(directory, 5, 200_000);
        var follower = new SnapshotStore(Path.Combine(directory.Path, "follower"));
        using (var receiver = follower.BeginReceive(snapshot.Slot, snapshot.Length))
        {
            Send(leader, snapshot, receiver, stopAt: 100_000);
            receiver.Sync();
        }

        using var resumed = follower.BeginReceive(snapshot.Slot, snapshot.Length);
        Assert.Equal(2 * ChunkBytes, resumed.ReceivedBytes);
        Send(leader, snapshot, resumed);
        Assert.Equal(payload, ReadPayload(follower, resumed.Complete()));
    }

    [Fact]
    public void Chunks_at_the_wrong_offset_or_past_the_end_are_refused_without_an_exception()
    {
        using var directory = new TempDirectory();
        var (leader, snapshot, _) = LeaderWithSnapshot(directory, 5, 1_000);
        var follower = new SnapshotStore(Path.Combine(directory.Path, "follower"));
        using var receiver = follower.BeginReceive(snapshot.Slot, snapshot.Length);
        var chunk = new byte[600];
        leader.ReadChunk(snapshot, 0, chunk);

        Assert.Equal(ChunkResult.WrongOffset, receiver.WriteChunk(600, chunk));
        Assert.Equal(ChunkResult.Accepted, receiver.WriteChunk(0, chunk));
        Assert.Equal(ChunkResult.WrongOffset, receiver.WriteChunk(0, chunk));
        Assert.Equal(ChunkResult.PastEnd, receiver.WriteChunk(600, chunk));
        Assert.Equal(600, receiver.ReceivedBytes);
        Assert.Throws<InvalidOperationException>(() => receiver.Complete());
    }

    [Fact]
    public void A_received_file_that_does_not_check_out_is_deleted_and_refused()
    {
        using var directory = new TempDirectory();
        var (leader, snapshot, _) = LeaderWithSnapshot(directory, 5, 10_000);
        var follower = new SnapshotStore(Path.Combine(directory.Path, "follower"));
        var bytes = new byte[snapshot.Length];
        Assert.Equal(bytes.Length, leader.ReadChunk(snapshot, 0, bytes));
        bytes[5_000] ^= 0x80;

        using var receiver = follower.BeginReceive(snapshot.Slot, snapshot.Length);
        Assert.Equal(ChunkResult.Accepted, receiver.WriteChunk(0, bytes));
        var error = Assert.Throws<InvalidDataException>(() => receiver.Complete());

        Assert.Contains("checksum mismatch", error.Message);
        Assert.Empty(Directory.GetFiles(follower.Directory));
    }

    [Fact]
    public void A_file_sent_under_another_slot_is_refused()
    {
        using var directory = new TempDirectory();
        var (leader, snapshot, _) = LeaderWithSnapshot(directory, 5, 10_000);
        var follower = new SnapshotStore(Path.Combine(directory.Path, "follower"));
        using var receiver = follower.BeginReceive(6, snapshot.Length);

        Send(leader, snapshot, receiver);

        Assert.Contains("header says slot 5", Assert.Throws<InvalidDataException>(() => receiver.Complete()).Message);
    }

    [Fact]
    public void Beginning_another_slot_drops_the_partial_file_of_the_old_one()
    {
        using var directory = new TempDirectory();
        var (leader, snapshot, _) = LeaderWithSnapshot(directory, 5, 100_000);
        var follower = new SnapshotStore(Path.Combine(directory.Path, "follower"));
        using (var receiver = follower.BeginReceive(snapshot.Slot, snapshot.Length))
        {
            Send(leader, snapshot, receiver, stopAt: 1);
        }

        using var other = follower.BeginReceive(9, 5_000);

        Assert.Equal(0, other.ReceivedBytes);
        Assert.Equal([SnapshotFormat.NameFor(9, ".part")], Directory.GetFiles(follower.Directory).Select(Path.GetFileName));
    }
}
