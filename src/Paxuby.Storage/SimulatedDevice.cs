namespace Paxuby.Storage;

/// <summary>
/// An in-memory disk for crash tests, deterministic given its <see cref="Random"/>. It keeps, per
/// file, how much of it is synced, and per directory which names are synced (the POSIX rules of
/// <see cref="IStorageDevice"/>). <see cref="Crash"/> is a power failure: unsynced bytes are lost
/// except, sometimes, a torn prefix of them, which may hold a flipped bit; unsynced creates, renames
/// and deletes are undone. <see cref="CrashAfterOperations"/> makes a chosen write or sync fail, so
/// a test can stop a sequence of steps between any two of them.
/// </summary>
public sealed class SimulatedDevice : IStorageDevice
{
    private readonly Random _random;
    private readonly object _lock = new();
    private SortedDictionary<string, Inode> _names = new(StringComparer.Ordinal);
    private SortedDictionary<string, Inode> _syncedNames = new(StringComparer.Ordinal);
    private int _generation;
    private bool _down;

    public SimulatedDevice(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        _random = random;
    }

    /// <summary>Chance that a crash keeps a random prefix of a file's unsynced bytes instead of none.</summary>
    public double TornWriteProbability { get; set; } = 0.5;

    /// <summary>Chance that a crash flips one bit in the kept unsynced bytes of a file.</summary>
    public double BitFlipProbability { get; set; }

    /// <summary>
    /// When set, the write or sync after this many more of them throws <see cref="SimulatedCrashException"/>,
    /// and so does every operation after it until <see cref="Crash"/>.
    /// </summary>
    public long? CrashAfterOperations { get; set; }

    /// <summary>Writes and syncs done (appends, syncs, creates, renames, deletes, truncates).</summary>
    public long OperationCount { get; private set; }

    /// <summary>A power failure: see the class summary. Handles opened before it stop working.</summary>
    public CrashReport Crash()
    {
        lock (_lock)
        {
            var damage = new List<CrashDamage>();
            var survivors = new SortedDictionary<string, Inode>(StringComparer.Ordinal);
            foreach (var (path, inode) in _syncedNames)
            {
                survivors[path] = inode;
            }
            foreach (var inode in survivors.Values.Distinct())
            {
                if (inode.Length > inode.SyncedLength)
                {
                    damage.Add(LoseUnsynced(survivors.First(p => p.Value == inode).Key, inode));
                }
                inode.Reserved = inode.SyncedReserved;
            }
            _names = survivors;
            _syncedNames = new SortedDictionary<string, Inode>(survivors, StringComparer.Ordinal);
            _generation++;
            _down = false;
            CrashAfterOperations = null;
            return new CrashReport(damage);
        }
    }

    public void CreateDirectory(string directory)
    {
        // Directories are implicit in the paths.
    }

    public IReadOnlyList<string> List(string directory, string extension)
    {
        lock (_lock)
        {
            ThrowIfDown();
            var names = new List<string>();
            foreach (var path in _names.Keys)
            {
                if (Path.GetDirectoryName(path) == Path.TrimEndingDirectorySeparator(directory) && path.EndsWith(extension, StringComparison.Ordinal))
                {
                    names.Add(Path.GetFileName(path));
                }
            }
            return names;
        }
    }

    public bool Exists(string path)
    {
        lock (_lock)
        {
            ThrowIfDown();
            return _names.ContainsKey(path);
        }
    }

    public long Length(string path)
    {
        lock (_lock)
        {
            return Find(path).Size;
        }
    }

    /// <summary>The bytes of the file that a crash now would keep.</summary>
    public long SyncedLength(string path)
    {
        lock (_lock)
        {
            return Find(path).SyncedLength;
        }
    }

    public int Read(string path, long offset, Span<byte> buffer)
    {
        lock (_lock)
        {
            var inode = Find(path);
            if (offset >= inode.Size)
            {
                return 0;
            }
            var count = (int)Math.Min(buffer.Length, inode.Size - offset);
            buffer[..count].Clear();
            if (offset < inode.Length)
            {
                inode.Data.AsSpan((int)offset, (int)Math.Min(count, inode.Length - offset)).CopyTo(buffer);
            }
            return count;
        }
    }

    public byte[] ReadAll(string path)
    {
        lock (_lock)
        {
            var inode = Find(path);
            var all = new byte[inode.Size];
            inode.Data.AsSpan(0, inode.Length).CopyTo(all);
            return all;
        }
    }

    public Stream OpenRead(string path) => new MemoryStream(ReadAll(path), writable: false);

    public IAppendFile Create(string path)
    {
        lock (_lock)
        {
            Step();
            if (_names.ContainsKey(path))
            {
                throw new IOException($"{path} exists");
            }
            var inode = new Inode();
            _names[path] = inode;
            return new AppendFile(this, inode, _generation);
        }
    }

    public IAppendFile OpenAppend(string path)
    {
        lock (_lock)
        {
            return new AppendFile(this, Find(path), _generation);
        }
    }

    public IAppendFile OpenAppendAt(string path, long offset)
    {
        lock (_lock)
        {
            var inode = Find(path);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(offset, inode.Size);
            // Appends overwrite from the offset on: the bytes there (zeros, or a cut record) become the
            // unsynced end of the file, and zeros before the offset become appended bytes.
            inode.Grow((int)offset);
            inode.Length = (int)offset;
            inode.SyncedLength = Math.Min(inode.SyncedLength, inode.Length);
            return new AppendFile(this, inode, _generation);
        }
    }

    public void Truncate(string path, long length)
    {
        lock (_lock)
        {
            Step();
            var inode = Find(path);
            inode.Length = (int)Math.Min(inode.Length, length);
            inode.SyncedLength = inode.Length;
            inode.Reserved = inode.SyncedReserved = Math.Min(inode.Reserved, length);
        }
    }

    public void Rename(string from, string to)
    {
        lock (_lock)
        {
            Step();
            var inode = Find(from);
            _names.Remove(from);
            _names[to] = inode;
        }
    }

    public void Delete(string path)
    {
        lock (_lock)
        {
            Step();
            _names.Remove(path);
        }
    }

    public void SyncDirectory(string directory)
    {
        lock (_lock)
        {
            Step();
            var dir = Path.TrimEndingDirectorySeparator(directory);
            foreach (var path in _syncedNames.Keys.Where(p => Path.GetDirectoryName(p) == dir).ToList())
            {
                _syncedNames.Remove(path);
            }
            foreach (var (path, inode) in _names.Where(p => Path.GetDirectoryName(p.Key) == dir))
            {
                _syncedNames[path] = inode;
            }
        }
    }

    private CrashDamage LoseUnsynced(string path, Inode inode)
    {
        var unsynced = inode.Length - inode.SyncedLength;
        var kept = _random.NextDouble() < TornWriteProbability ? _random.Next(0, unsynced + 1) : 0;
        long? flipped = null;
        if (kept > 0 && _random.NextDouble() < BitFlipProbability)
        {
            var at = inode.SyncedLength + _random.Next(kept);
            inode.Data[at] ^= (byte)(1 << _random.Next(8));
            flipped = at;
        }
        var damage = new CrashDamage(path, inode.SyncedLength, unsynced, kept, flipped);
        inode.Length = inode.SyncedLength + kept;
        inode.SyncedLength = inode.Length;
        return damage;
    }

    private Inode Find(string path)
    {
        ThrowIfDown();
        return _names.TryGetValue(path, out var inode) ? inode : throw new FileNotFoundException($"no file {path}", path);
    }

    /// <summary>Counts a write or sync, and fails it when the crash point is reached.</summary>
    private void Step()
    {
        ThrowIfDown();
        if (CrashAfterOperations is { } left)
        {
            if (left <= 0)
            {
                _down = true;
                throw new SimulatedCrashException();
            }
            CrashAfterOperations = left - 1;
        }
        OperationCount++;
    }

    private void ThrowIfDown()
    {
        if (_down)
        {
            throw new SimulatedCrashException();
        }
    }

    /// <summary>
    /// A file: <see cref="Length"/> bytes appended, of which <see cref="SyncedLength"/> are durable,
    /// and zeros after them up to the reserved size (kept as a number, not as bytes).
    /// </summary>
    private sealed class Inode
    {
        public byte[] Data = new byte[256];
        public int Length;
        public int SyncedLength;
        public long Reserved;
        public long SyncedReserved;

        public long Size => Math.Max(Length, Reserved);

        /// <summary>Makes room for <paramref name="length"/> appended bytes, zeroing any after the current end.</summary>
        public void Grow(int length)
        {
            if (length > Data.Length)
            {
                Array.Resize(ref Data, Math.Max(Data.Length * 2, length));
            }
            if (length > Length)
            {
                Data.AsSpan(Length, length - Length).Clear();
            }
        }
    }

    private sealed class AppendFile(SimulatedDevice device, Inode inode, int generation) : IAppendFile
    {
        public long Length
        {
            get
            {
                lock (device._lock)
                {
                    return inode.Length;
                }
            }
        }

        public void Append(ReadOnlySpan<byte> data)
        {
            lock (device._lock)
            {
                Check();
                inode.Grow(inode.Length + data.Length);
                data.CopyTo(inode.Data.AsSpan(inode.Length));
                inode.Length += data.Length;
            }
        }

        public void Preallocate(long bytes)
        {
            lock (device._lock)
            {
                Check();
                inode.Reserved = Math.Max(inode.Reserved, bytes);
            }
        }

        public void Sync()
        {
            lock (device._lock)
            {
                Check();
                inode.SyncedLength = inode.Length;
                inode.SyncedReserved = inode.Reserved;
            }
        }

        public void Dispose()
        {
        }

        private void Check()
        {
            if (generation != device._generation)
            {
                throw new IOException("the file was opened before a crash");
            }
            device.Step();
        }
    }
}

/// <summary>The write or sync at which a <see cref="SimulatedDevice"/> was told to crash.</summary>
public sealed class SimulatedCrashException() : IOException("simulated crash");

/// <summary>What a <see cref="SimulatedDevice.Crash"/> did to the files with unsynced bytes.</summary>
public sealed record CrashReport(IReadOnlyList<CrashDamage> Damage);

/// <summary>
/// One file's loss: of <see cref="UnsyncedBytes"/> after <see cref="SyncedLength"/>, the first
/// <see cref="KeptBytes"/> survived, with one bit flipped at <see cref="FlippedOffset"/> when set.
/// </summary>
public sealed record CrashDamage(string Path, long SyncedLength, long UnsyncedBytes, long KeptBytes, long? FlippedOffset);
