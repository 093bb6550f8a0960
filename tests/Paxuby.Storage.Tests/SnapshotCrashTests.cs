using Xunit.Abstractions;

namespace Paxuby.Storage.Tests;

/// <summary>Snapshots on the simulated device, with a crash at every write and sync of a commit or a transfer.</summary>
public class SnapshotCrashTests(ITestOutputHelper output)
{
    private const string Directory = "/replica/snapshots";

    private static byte[] Payload(int seed, int length)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static byte[] ReadPayload(SnapshotStore store, SnapshotInfo snapshot)
    {
        using var stream = store.OpenRead(snapshot);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static SimulatedDevice Device(int seed, double torn) =>
        new(new Random(seed)) { TornWriteProbability = torn, BitFlipProbability = 0.5 };

    private static void Commit(SnapshotStore store, long slot, byte[] payload)
    {
        using var writer = store.BeginWrite(slot);
        writer.Write(payload);
        writer.Commit();
    }

    [Fact]
    public void A_snapshot_being_written_is_synced_as_it_grows_not_only_at_its_commit()
    {
        var device = Device(seed: 3, torn: 0);
        var store = new SnapshotStore(Directory, device);
        using var writer = store.BeginWrite(slot: 7);

        writer.Write(Payload(3, SnapshotFormat.IncrementalSyncBytes * 2 + SnapshotFormat.BufferBytes * 3));

        var synced = device.SyncedLength(Path.Combine(Directory, SnapshotFormat.NameFor(7, SnapshotFormat.Writing)));
        Assert.True(synced >= SnapshotFormat.IncrementalSyncBytes * 2, $"{synced} bytes synced");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    public void A_crash_at_every_step_of_a_commit_leaves_the_old_or_the_new_snapshot_intact(double torn)
    {
        var old = Payload(1, 150_000);
        var next = Payload(2, 150_000);
        var operations = long.MaxValue;
        for (long crashPoint = 0; crashPoint <= operations; crashPoint++)
        {
            var device = Device((int)crashPoint, torn);
            var store = new SnapshotStore(Directory, device);
            Commit(store, 10, old);
            var start = device.OperationCount;
            device.CrashAfterOperations = crashPoint;
            var committed = false;
            try
            {
                Commit(store, 20, next);
                committed = true;
                operations = device.OperationCount - start;
            }
            catch (SimulatedCrashException)
            {
            }
            device.Crash();

            var found = store.FindNewestValid(out var rejected);

            Assert.Empty(rejected);
            Assert.NotNull(found);
            Assert.True(!committed || found.Slot == 20, $"crash point {crashPoint}: committed snapshot lost");
            Assert.Equal(found.Slot == 20 ? next : old, ReadPayload(store, found));
        }
        Assert.InRange(operations, 6, 100);
    }

    [Fact]
    public void A_transfer_cut_by_crashes_resumes_and_installs_the_snapshot_or_refuses_a_damaged_one()
    {
        var payload = Payload(3, 300_000);
        var leaderDevice = new SimulatedDevice(new Random(0));
        var leader = new SnapshotStore("/leader", leaderDevice);
        Commit(leader, 77, payload);
        var snapshot = leader.FindNewestValid(out _)!;
        // Rarer flips than elsewhere: one that survives in the partial file costs the whole transfer.
        var device = new SimulatedDevice(new Random(4)) { TornWriteProbability = 0.7, BitFlipProbability = 0.1 };
        var follower = new SnapshotStore(Directory, device);
        var random = new Random(5);
        var chunk = new byte[4 * 1024];
        SnapshotInfo? installed = null;
        var crashes = 0;
        var refused = 0;

        for (var attempt = 0; attempt < 500 && installed is null; attempt++)
        {
            device.CrashAfterOperations = random.Next(0, 25);
            try
            {
                using var receiver = follower.BeginReceive(snapshot.Slot, snapshot.Length);
                while (!receiver.IsComplete)
                {
                    var offset = receiver.ReceivedBytes;
                    var read = leader.ReadChunk(snapshot, offset, chunk);
                    Assert.Equal(ChunkResult.Accepted, receiver.WriteChunk(offset, chunk.AsSpan(0, read)));
                    if (random.Next(4) == 0)
                    {
                        receiver.Sync();
                    }
                }
                installed = receiver.Complete();
            }
            catch (SimulatedCrashException)
            {
                crashes++;
                device.Crash();
            }
            catch (InvalidDataException)
            {
                // A bit flipped in unsynced bytes that survived the crash: the partial file is gone.
                refused++;
                Assert.Empty(device.List(Directory, ".part"));
            }
        }

        Assert.NotNull(installed);
        output.WriteLine($"{crashes} crashes, {refused} damaged transfers refused");
        Assert.True(crashes > 5, $"only {crashes} crashes ({refused} refused)");
        device.Crash();
        var found = follower.FindNewestValid(out var rejected);
        Assert.Empty(rejected);
        Assert.Equal(snapshot, found);
        Assert.Equal(payload, ReadPayload(follower, found!));
    }
}
