namespace Paxuby.Storage;

/// <summary>
/// The log's next segment, written full of zeros and synced on a background thread before the log
/// needs it. Appends over blocks already written change no block map, so an fdatasync flushes their
/// data alone. Over reserved blocks (fallocate's unwritten extents) every append converts extents,
/// and each fdatasync also writes the inode synchronously: one more write per sync, on a block the
/// inodes of neighbouring files share.
/// </summary>
internal sealed class SpareSegment(IStorageDevice device, string directory, long bytes) : IDisposable
{
    /// <summary>Not a segment's extension: recovery and listings never see a spare.</summary>
    public const string FileName = "next-segment.spare";

    // Synced a small step at a time, with a pause between steps: a live segment's fsync finds at
    // most 64 KiB of zeros in the disk's way (1 MiB steps more than doubled a single client's p99
    // while a spare was written), and zeros take at most 8 MB/s of the disk. A log growing faster
    // than that (pipelined writes, whose fsyncs carry many records each) outruns its spares and
    // reserves its segments instead, rather than having every byte written twice.
    private const int ZeroStepBytes = 64 * 1024;
    private static readonly TimeSpan PauseBetweenSteps = TimeSpan.FromMilliseconds(8);

    private readonly string _path = Path.Combine(directory, FileName);
    private readonly CancellationTokenSource _stop = new();
    private Task<bool> _prepared = Task.FromResult(false);

    /// <summary>The spare being written: true once it is written and synced, false when writing it failed.</summary>
    public Task<bool> Prepared => _prepared;

    /// <summary>Whether a spare is written and synced, ready to become a segment.</summary>
    public bool IsReady => _prepared.IsCompletedSuccessfully && _prepared.Result;

    /// <summary>Starts writing a spare unless one is ready or being written.</summary>
    public void StartPreparing()
    {
        if (!_prepared.IsCompleted || IsReady)
        {
            return;
        }
        _prepared = Task.Run(Prepare);
    }

    /// <summary>
    /// Renames the ready spare to <paramref name="segmentPath"/> (replacing a file there) and opens it
    /// for appending at its start; null when no spare is ready. The caller syncs the directory.
    /// </summary>
    public IAppendFile? TryTake(string segmentPath)
    {
        if (!IsReady)
        {
            return null;
        }
        _prepared = Task.FromResult(false);
        device.Rename(_path, segmentPath);
        return device.OpenAppendAt(segmentPath, 0);
    }

    /// <summary>Stops a spare being written and waits for it; the file stays, and the next log opened here rewrites it.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        _prepared.Wait();
        _stop.Dispose();
    }

    private async Task<bool> Prepare()
    {
        try
        {
            // A spare left by an earlier run may be incomplete or unsynced: start it anew.
            device.Delete(_path);
            using var file = device.Create(_path);
            var zeros = new byte[ZeroStepBytes];
            for (var left = bytes; left > 0; left -= zeros.Length)
            {
                file.Append(zeros.AsSpan(0, (int)Math.Min(left, zeros.Length)));
                file.Sync();
                if (left > zeros.Length)
                {
                    await Task.Delay(PauseBetweenSteps, _stop.Token);
                }
            }
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            // No spare (a full disk, say, or the log closing): the next segment is reserved the usual way.
            return false;
        }
    }
}
