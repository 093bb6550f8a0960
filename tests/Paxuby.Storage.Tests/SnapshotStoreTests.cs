namespace Paxuby.Storage.Tests;

public class SnapshotStoreTests
{
    private static byte[] Payload(int seed, int length)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static SnapshotInfo Write(SnapshotStore store, long slot, byte[] payload)
    {
        using var writer = store.BeginWrite(slot);
        writer.Write(payload);
        return writer.Commit();
    }

    private static byte[] ReadPayload(SnapshotStore store, SnapshotInfo snapshot)
    {
        using var stream = store.OpenRead(snapshot);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static string[] Files(TempDirectory directory) =>
        Directory.GetFiles(directory.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    [Fact]
    public void A_committed_snapshot_larger_than_the_buffer_reads_back_its_payload()
    {
        using var directory = new TempDirectory();
        var store = new SnapshotStore(directory.Path);
        var payload = Payload(1, 1_000_003);
        SnapshotInfo committed;
        using (var writer = store.BeginWrite(42))
        {
            // Uneven pieces, so buffer boundaries fall mid-write.
            for (var offset = 0; offset < payload.Length; offset += 7_777)
            {
                writer.Write(payload, offset, Math.Min(7_777, payload.Length - offset));
            }
            Assert.Equal(payload.Length, writer.Position);
            committed = writer.Commit();
        }

        var found = store.FindNewestValid(out var rejected);

        Assert.Empty(rejected);
        Assert.Equal(committed, found);
        Assert.Equal(new SnapshotInfo(42, payload.Length + 28), found);
        Assert.Equal(["snapshot-00000000000000000042.snap"], Files(directory));
        Assert.Equal(payload, ReadPayload(store, found!));
        var header = File.ReadAllBytes(Path.Combine(directory.Path, found!.Name))[..16];
        Assert.Equal("PXSN"u8.ToArray(), header[..4]);
    }

    [Fact]
    public void An_empty_store_has_no_snapshot()
    {
        using var directory = new TempDirectory();
        Assert.Null(new SnapshotStore(directory.Path).FindNewestValid(out var rejected));
        Assert.Empty(rejected);
    }

    [Fact]
    public void Disposing_without_commit_deletes_the_temporary_file()
    {
        using var directory = new TempDirectory();
        var store = new SnapshotStore(directory.Path);
        using (var writer = store.BeginWrite(5))
        {
            writer.Write(Payload(2, 100_000));
            Assert.Equal(["snapshot-00000000000000000005.tmp"], Files(directory));
        }

        Assert.Empty(Files(directory));
    }

    [Fact]
    public void Commit_keeps_the_newest_and_one_older_snapshot_and_removes_stale_temporary_files()
    {
        using var directory = new TempDirectory();
        var store = new SnapshotStore(directory.Path);
        Write(store, 1, Payload(1, 10));
        Write(store, 2, Payload(2, 10));
        File.WriteAllBytes(Path.Combine(directory.Path, "snapshot-00000000000000000003.tmp"), [1, 2, 3]);
        Write(store, 4, Payload(4, 10));

        Assert.Equal(["snapshot-00000000000000000002.snap", "snapshot-00000000000000000004.snap"], Files(directory));

        Write(new SnapshotStore(directory.Path, keepPrevious: false), 5, Payload(5, 10));

        Assert.Equal(["snapshot-00000000000000000005.snap"], Files(directory));
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("flipped")]
    [InlineData("wrong slot")]
    [InlineData("empty")]
    public void A_damaged_newest_snapshot_is_reported_and_the_older_one_used(string damage)
    {
        using var directory = new TempDirectory();
        var store = new SnapshotStore(directory.Path);
        var older = Payload(1, 5_000);
        Write(store, 10, older);
        var newest = Write(store, 20, Payload(2, 5_000));
        var path = Path.Combine(directory.Path, newest.Name);
        var bytes = File.ReadAllBytes(path);
        switch (damage)
        {
            case "truncated":
                File.WriteAllBytes(path, bytes[..^1]);
                break;
            case "flipped":
                bytes[bytes.Length / 2] ^= 0x04;
                File.WriteAllBytes(path, bytes);
                break;
            case "wrong slot":
                File.Copy(Path.Combine(directory.Path, SnapshotFormat.NameFor(10, ".snap")), path, overwrite: true);
                break;
            default:
                File.WriteAllBytes(path, []);
                break;
        }

        var found = store.FindNewestValid(out var rejected);

        Assert.Equal(10, found?.Slot);
        Assert.Equal(older, ReadPayload(store, found!));
        var reason = Assert.Single(rejected);
        Assert.StartsWith(newest.Name + ": ", reason);
    }

    [Fact]
    public void Kill_points_in_commit_leave_the_previous_or_the_new_snapshot()
    {
        using var directory = new TempDirectory();
        var store = new SnapshotStore(directory.Path);
        var previous = Payload(1, 3_000);
        Write(store, 7, previous);
        var payload = Payload(2, 3_000);
        var tmp = Path.Combine(directory.Path, SnapshotFormat.NameFor(8, ".tmp"));
        var snap = Path.Combine(directory.Path, SnapshotFormat.NameFor(8, ".snap"));
        byte[] complete;
        using (var writer = store.BeginWrite(8))
        {
            writer.Write(payload);
            writer.Commit();
            complete = File.ReadAllBytes(snap);
        }

        // Killed while writing or before the rename: only a temporary file, which is ignored.
        File.Move(snap, tmp);
        for (var cut = 0; cut <= complete.Length; cut += 97)
        {
            File.WriteAllBytes(tmp, complete[..cut]);
            Assert.Equal(7, store.FindNewestValid(out var rejected)?.Slot);
            Assert.Empty(rejected);
        }

        // Killed after the rename, before pruning: the new one is used, and the next commit prunes.
        File.WriteAllBytes(tmp, complete);
        File.Move(tmp, snap);
        var found = store.FindNewestValid(out _);
        Assert.Equal(8, found?.Slot);
        Assert.Equal(payload, ReadPayload(store, found!));
        File.WriteAllBytes(tmp.Replace("08.tmp", "09.tmp"), [0]);
        Write(store, 10, Payload(3, 10));
        Assert.Equal([SnapshotFormat.NameFor(10, ".snap"), SnapshotFormat.NameFor(8, ".snap")], Files(directory).OrderDescending());
    }
}
