namespace Paxuby.Storage;

/// <summary>
/// The state machine's snapshots in one directory (see <see cref="SnapshotFormat"/> for the file
/// layout). One writer or receiver at a time. Writing: <see cref="BeginWrite"/>, then
/// <see cref="SnapshotWriter.Commit"/>. Restarting: <see cref="FindNewestValid"/>, then
/// <see cref="OpenRead"/>. Sending to a lagging replica: <see cref="ReadChunk"/> on the leader,
/// <see cref="BeginReceive"/> on the replica.
/// </summary>
public sealed class SnapshotStore
{
    private readonly IStorageDevice _device;
    private readonly bool _keepPrevious;

    /// <param name="keepPrevious">Keep the newest snapshot and one older one (else only the newest).</param>
    public SnapshotStore(string directory, IStorageDevice? device = null, bool keepPrevious = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = directory;
        _device = device ?? FileSystemDevice.Instance;
        _keepPrevious = keepPrevious;
        _device.CreateDirectory(directory);
    }

    public string Directory { get; }

    /// <summary>Starts writing the snapshot of the state through <paramref name="slot"/>; write the payload into it.</summary>
    public SnapshotWriter BeginWrite(long slot)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        var path = PathOf(slot, SnapshotFormat.Writing);
        _device.Delete(path);
        return new SnapshotWriter(this, _device, path, slot);
    }

    /// <summary>
    /// The newest snapshot whose header, length and checksum check out; every newer one that does
    /// not is named in <paramref name="rejected"/> with the reason. Null when there is none.
    /// </summary>
    public SnapshotInfo? FindNewestValid(out IReadOnlyList<string> rejected)
    {
        var problems = new List<string>();
        rejected = problems;
        foreach (var slot in Slots(SnapshotFormat.Committed).OrderDescending())
        {
            var path = PathOf(slot, SnapshotFormat.Committed);
            if (SnapshotFormat.Verify(_device, path, slot) is { } problem)
            {
                problems.Add($"{Path.GetFileName(path)}: {problem}");
                continue;
            }
            return new SnapshotInfo(slot, _device.Length(path));
        }
        return null;
    }

    /// <summary>The payload of <paramref name="snapshot"/>, header and trailer stripped (verified by <see cref="FindNewestValid"/>).</summary>
    public Stream OpenRead(SnapshotInfo snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var stream = _device.OpenRead(PathOf(snapshot.Slot, SnapshotFormat.Committed));
        return new SnapshotPayloadStream(stream, SnapshotFormat.HeaderBytes, snapshot.PayloadLength);
    }

    /// <summary>
    /// Reads the raw file bytes of <paramref name="snapshot"/> from <paramref name="offset"/> for
    /// sending; returns how many (0 at the end). Throws <see cref="FileNotFoundException"/> once a
    /// newer snapshot has pruned it: start sending the newest one instead.
    /// </summary>
    public int ReadChunk(SnapshotInfo snapshot, long offset, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset, snapshot.Length);
        var count = (int)Math.Min(destination.Length, snapshot.Length - offset);
        return _device.Read(PathOf(snapshot.Slot, SnapshotFormat.Committed), offset, destination[..count]);
    }

    /// <summary>
    /// Starts, or resumes, receiving the snapshot of <paramref name="slot"/> that is
    /// <paramref name="totalLength"/> bytes long: a <c>.part</c> file of that slot left by an earlier
    /// attempt is continued from its length. Partial files of other slots are deleted.
    /// </summary>
    public SnapshotReceiver BeginReceive(long slot, long totalLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        ArgumentOutOfRangeException.ThrowIfLessThan(totalLength, SnapshotFormat.OverheadBytes);
        foreach (var other in Slots(SnapshotFormat.Receiving).Where(s => s != slot))
        {
            _device.Delete(PathOf(other, SnapshotFormat.Receiving));
        }
        var path = PathOf(slot, SnapshotFormat.Receiving);
        IAppendFile file;
        if (_device.Exists(path) && _device.Length(path) <= totalLength)
        {
            file = _device.OpenAppend(path);
        }
        else
        {
            _device.Delete(path);
            file = _device.Create(path);
            _device.SyncDirectory(Directory);
        }
        return new SnapshotReceiver(this, _device, path, slot, totalLength, file);
    }

    internal string PathOf(long slot, string extension) => Path.Combine(Directory, SnapshotFormat.NameFor(slot, extension));

    /// <summary>Deletes snapshots beyond the newest (and the one before it when kept), temporary files, and partial files the newest supersedes.</summary>
    internal void Prune()
    {
        var committed = Slots(SnapshotFormat.Committed).OrderDescending().ToList();
        var newest = committed.Count > 0 ? committed[0] : -1;
        foreach (var slot in committed.Skip(_keepPrevious ? 2 : 1))
        {
            _device.Delete(PathOf(slot, SnapshotFormat.Committed));
        }
        foreach (var slot in Slots(SnapshotFormat.Writing))
        {
            _device.Delete(PathOf(slot, SnapshotFormat.Writing));
        }
        foreach (var slot in Slots(SnapshotFormat.Receiving).Where(s => s <= newest))
        {
            _device.Delete(PathOf(slot, SnapshotFormat.Receiving));
        }
        _device.SyncDirectory(Directory);
    }

    private List<long> Slots(string extension)
    {
        var slots = new List<long>();
        foreach (var name in _device.List(Directory, extension))
        {
            if (SnapshotFormat.TryParseSlot(name, extension, out var slot))
            {
                slots.Add(slot);
            }
        }
        return slots;
    }
}
