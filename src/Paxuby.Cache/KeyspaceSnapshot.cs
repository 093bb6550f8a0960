using System.Text;

namespace Paxuby.Cache;

/// <summary>
/// The cache's snapshot format: everything a replica needs to continue exactly as the one that
/// wrote it — every database's keys in slot order with their slots, values, expiries and change
/// numbers, the free slots, the tombstones and the change counter. A restored replica therefore
/// sweeps, scans and answers WATCH exactly as the original would.
/// Layout (little-endian): "PXKS", format version, last applied timestamp, change counter, then
/// per database: slot table length, free slots, forgotten version, entries, tombstone pairs.
/// </summary>
internal static class KeyspaceSnapshot
{
    private const uint Magic = 0x534B5850; // "PXKS"
    private const int FormatVersion = 1;

    public static void Write(Keyspace keyspace, long lastAppliedTimestampMs, Stream destination) =>
        Capture(keyspace, lastAppliedTimestampMs).WriteTo(destination);

    /// <summary>
    /// The keyspace as of now, by reference: per database the slot layout and, per occupied slot,
    /// the key, the value array, expiry and change number (copied, since entries change in place;
    /// value arrays never do). Costs a pass over the slots, not a serialisation.
    /// </summary>
    public static KeyspaceImage Capture(Keyspace keyspace, long lastAppliedTimestampMs)
    {
        var databases = new DatabaseImage[Keyspace.DatabaseCount];
        for (int d = 0; d < Keyspace.DatabaseCount; d++)
        {
            Database db = keyspace[d];
            KeySlots slots = db.Slots;
            EntryImage[] entries = keyspace.TakeImageArray(d, db.Count);
            int n = 0;
            for (int slot = 0; slot < slots.Length; slot++)
            {
                byte[]? key = slots.KeyAt(slot);
                if (key is null) continue;
                CacheEntry entry = slots.EntryAt(slot)!;
                entries[n++] = new EntryImage(slot, key, entry.Value, entry.ExpireAtMs, entry.Version);
            }
            var tombstones = new List<(byte[] Key, long Version, bool Current)>(db.Tombstones.PairCount);
            foreach (var (key, version) in db.Tombstones.InOrder)
            {
                tombstones.Add((key, version, db.Tombstones.TryGet(key, out long current) && current == version));
            }
            databases[d] = new DatabaseImage(slots.Length, slots.FreeSlots.ToArray(), db.Tombstones.ForgottenVersion, entries, n, tombstones);
        }
        Interlocked.Increment(ref keyspace.OutstandingCaptures);
        return new KeyspaceImage(keyspace, lastAppliedTimestampMs, keyspace.Changes.Value, databases);
    }

    internal readonly record struct EntryImage(int Slot, byte[] Key, byte[] Value, long ExpireAtMs, long Version);

    /// <summary>A database's image; <see cref="Entries"/> is reused from capture to capture and only its first <see cref="EntryCount"/> are this image's.</summary>
    internal sealed record DatabaseImage(int SlotLength, int[] FreeSlots, long ForgottenVersion, EntryImage[] Entries, int EntryCount, List<(byte[] Key, long Version, bool Current)> Tombstones);

    /// <summary>A captured keyspace; <see cref="WriteTo"/> writes exactly what <see cref="KeyspaceSnapshot.Write"/> wrote at capture.</summary>
    internal sealed class KeyspaceImage(Keyspace keyspace, long lastAppliedTimestampMs, long changes, DatabaseImage[] databases)
    {
        private int _written;

        /// <summary>Writes the image once; from then on the keyspace may change values in place again.</summary>
        public void WriteTo(Stream destination)
        {
            if (Interlocked.Exchange(ref _written, 1) != 0) throw new InvalidOperationException("a captured snapshot is written once");
            try
            {
                Write(destination);
            }
            finally
            {
                for (int d = 0; d < databases.Length; d++) keyspace.ReturnImageArray(d, databases[d].Entries, databases[d].EntryCount);
                Interlocked.Decrement(ref keyspace.OutstandingCaptures);
            }
        }

        private void Write(Stream destination)
        {
            using var output = new BinaryWriter(destination, Encoding.UTF8, leaveOpen: true);
            output.Write(Magic);
            output.Write(FormatVersion);
            output.Write(lastAppliedTimestampMs);
            output.Write(changes);
            output.Write(Keyspace.DatabaseCount);
            foreach (DatabaseImage db in databases)
            {
                output.Write(db.SlotLength);
                output.Write(db.FreeSlots.Length);
                foreach (int slot in db.FreeSlots) output.Write(slot);
                output.Write(db.ForgottenVersion);
                output.Write(db.EntryCount);
                foreach (EntryImage entry in db.Entries.AsSpan(0, db.EntryCount))
                {
                    output.Write(entry.Slot);
                    WriteBytes(output, entry.Key);
                    WriteBytes(output, entry.Value);
                    output.Write(entry.ExpireAtMs);
                    output.Write(entry.Version);
                }
                output.Write(db.Tombstones.Count);
                foreach (var (key, version, current) in db.Tombstones)
                {
                    WriteBytes(output, key);
                    output.Write(version);
                    output.Write(current);
                }
            }
            output.Flush();
        }
    }

    /// <summary>Replaces the content of <paramref name="keyspace"/>; returns the recorded last applied timestamp.</summary>
    public static long Read(Keyspace keyspace, Stream source)
    {
        using var input = new BinaryReader(source, Encoding.UTF8, leaveOpen: true);
        if (input.ReadUInt32() != Magic) throw new InvalidDataException("not a cache snapshot");
        int version = input.ReadInt32();
        if (version != FormatVersion) throw new InvalidDataException($"unsupported cache snapshot version {version}");
        long lastAppliedTimestampMs = input.ReadInt64();
        long changes = input.ReadInt64();
        int databases = input.ReadInt32();
        if (databases != Keyspace.DatabaseCount) throw new InvalidDataException($"snapshot has {databases} databases");

        // Build aside first: a corrupt snapshot must leave the current state untouched.
        var restored = new Keyspace();
        foreach (Database db in restored.Databases) ReadDatabase(input, db);
        for (int i = 0; i < Keyspace.DatabaseCount; i++) keyspace[i].SwapContentWith(restored[i]);
        keyspace.Changes.Value = changes;
        return lastAppliedTimestampMs;
    }

    private static void ReadDatabase(BinaryReader input, Database db)
    {
        int slotLength = ReadCount(input);
        int freeCount = ReadCount(input);
        if (freeCount > slotLength) throw new InvalidDataException("more free slots than slots");
        int[] free = new int[freeCount];
        for (int i = 0; i < freeCount; i++) free[i] = input.ReadInt32();
        db.BeginRestore(slotLength, free, input.ReadInt64());

        int entries = ReadCount(input);
        for (int i = 0; i < entries; i++)
        {
            int slot = input.ReadInt32();
            byte[] key = ReadBytes(input);
            byte[] value = ReadBytes(input);
            var entry = new CacheEntry(value, input.ReadInt64()) { Version = input.ReadInt64() };
            db.RestoreEntry(slot, key, entry);
        }

        int pairs = ReadCount(input);
        for (int i = 0; i < pairs; i++)
        {
            byte[] key = ReadBytes(input);
            long version = input.ReadInt64();
            db.Tombstones.RestorePair(key, version, current: input.ReadBoolean());
        }
    }

    private static void WriteBytes(BinaryWriter output, byte[] bytes)
    {
        output.Write(bytes.Length);
        output.Write(bytes);
    }

    private static byte[] ReadBytes(BinaryReader input)
    {
        int length = ReadCount(input);
        byte[] bytes = input.ReadBytes(length);
        if (bytes.Length != length) throw new InvalidDataException("truncated snapshot");
        return bytes;
    }

    private static int ReadCount(BinaryReader input)
    {
        int count = input.ReadInt32();
        if (count < 0) throw new InvalidDataException("negative count in snapshot");
        return count;
    }
}
