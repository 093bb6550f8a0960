namespace Paxuby.Storage.Tests;

public class SimulatedDeviceTests
{
    private const string Directory = "/d";
    private const string File = "/d/a";

    private static SimulatedDevice Device(double torn = 0, double flip = 0) =>
        new(new Random(1)) { TornWriteProbability = torn, BitFlipProbability = flip };

    private static void CreateSynced(SimulatedDevice device, string path, byte[] data)
    {
        using var file = device.Create(path);
        file.Append(data);
        file.Sync();
        device.SyncDirectory(Directory);
    }

    [Fact]
    public void A_crash_keeps_synced_bytes_and_loses_unsynced_ones()
    {
        var device = Device();
        using (var file = device.Create(File))
        {
            device.SyncDirectory(Directory);
            file.Append([1, 2, 3]);
            file.Sync();
            file.Append([4, 5]);
        }

        var report = device.Crash();

        Assert.Equal([1, 2, 3], device.ReadAll(File));
        var damage = Assert.Single(report.Damage);
        Assert.Equal((3L, 2L, 0L), (damage.SyncedLength, damage.UnsyncedBytes, damage.KeptBytes));
    }

    [Fact]
    public void A_torn_write_keeps_a_prefix_of_the_unsynced_bytes_and_a_flip_lands_in_it()
    {
        var device = Device(torn: 1, flip: 1);
        var unsynced = Enumerable.Range(0, 200).Select(i => (byte)i).ToArray();
        CreateSynced(device, File, [9, 9]);
        using (var file = device.OpenAppend(File))
        {
            file.Append(unsynced);
        }

        var damage = Assert.Single(device.Crash().Damage);

        var data = device.ReadAll(File);
        Assert.Equal(2 + damage.KeptBytes, data.Length);
        Assert.Equal([9, 9], data[..2]);
        Assert.NotNull(damage.FlippedOffset);
        var flipped = (int)damage.FlippedOffset!.Value;
        Assert.InRange(flipped, 2, data.Length - 1);
        for (var i = 2; i < data.Length; i++)
        {
            Assert.Equal(i == flipped, data[i] != unsynced[i - 2]);
        }
    }

    [Fact]
    public void Creates_renames_and_deletes_survive_a_crash_only_once_the_directory_is_synced()
    {
        var device = Device();
        CreateSynced(device, "/d/kept", [1]);
        CreateSynced(device, "/d/deleted", [2]);
        CreateSynced(device, "/d/renamed", [3]);
        device.Delete("/d/deleted");
        device.Rename("/d/renamed", "/d/new-name");
        using (var file = device.Create("/d/unsynced-name"))
        {
            file.Append([4]);
            file.Sync();
        }

        device.Crash();

        Assert.Equal(["deleted", "kept", "renamed"], device.List(Directory, ""));

        device.Delete("/d/deleted");
        device.Rename("/d/renamed", "/d/new-name");
        device.SyncDirectory(Directory);
        device.Crash();

        Assert.Equal(["kept", "new-name"], device.List(Directory, ""));
        Assert.Equal([3], device.ReadAll("/d/new-name"));
    }

    [Fact]
    public void The_crash_point_fails_that_write_and_everything_after_it_until_the_crash()
    {
        var device = Device();
        var file = device.Create(File);
        device.CrashAfterOperations = 2;
        file.Append([1]);
        file.Sync();

        Assert.Throws<SimulatedCrashException>(() => file.Append([2]));
        Assert.Throws<SimulatedCrashException>(() => device.List(Directory, ""));
        Assert.Throws<SimulatedCrashException>(() => file.Sync());

        device.Crash();

        Assert.Empty(device.List(Directory, ""));
        Assert.Throws<IOException>(() => file.Append([3]));
    }

    [Fact]
    public void The_same_seed_gives_the_same_damage()
    {
        static CrashReport Run()
        {
            var device = new SimulatedDevice(new Random(42)) { TornWriteProbability = 0.5, BitFlipProbability = 0.5 };
            for (var i = 0; i < 20; i++)
            {
                var file = device.Create($"/d/{i}");
                file.Append(new byte[100 + i]);
            }
            device.SyncDirectory(Directory);
            return device.Crash();
        }

        Assert.Equal(Run().Damage, Run().Damage);
    }

    [Fact]
    public void Preallocated_space_reads_as_zeros_and_survives_a_crash_only_once_synced()
    {
        var device = Device();
        using (var file = device.Create(File))
        {
            device.SyncDirectory(Directory);
            file.Append([1, 2]);
            file.Preallocate(8);
            file.Sync();
            file.Preallocate(16);
        }

        Assert.Equal([1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], device.ReadAll(File));
        device.Crash();

        Assert.Equal([1, 2, 0, 0, 0, 0, 0, 0], device.ReadAll(File));
        Assert.Equal(8, device.Length(File));
    }

    [Fact]
    public void Appending_at_an_offset_overwrites_the_zeros_there_and_a_crash_restores_them()
    {
        var device = Device();
        using (var file = device.Create(File))
        {
            device.SyncDirectory(Directory);
            file.Append([1, 2]);
            file.Preallocate(6);
            file.Sync();
        }
        using (var file = device.OpenAppendAt(File, 2))
        {
            file.Append([3]);
            file.Sync();
            file.Append([4]);
        }

        Assert.Equal([1, 2, 3, 4, 0, 0], device.ReadAll(File));
        var damage = Assert.Single(device.Crash().Damage);

        Assert.Equal([1, 2, 3, 0, 0, 0], device.ReadAll(File));
        Assert.Equal((3L, 1L), (damage.SyncedLength, damage.UnsyncedBytes));
    }
}
