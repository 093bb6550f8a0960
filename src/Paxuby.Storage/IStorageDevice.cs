namespace Paxuby.Storage;

/// <summary>
/// The files the write-ahead log and the snapshot store live in. <see cref="FileSystemDevice"/> is
/// the real disk; <see cref="SimulatedDevice"/> is an in-memory disk that loses unsynced writes on
/// <see cref="SimulatedDevice.Crash"/>, for crash-consistency tests.
/// <para>
/// Durability follows POSIX: written bytes survive a power failure once the file is synced; a file
/// created, renamed or deleted survives once its directory is synced.
/// </para>
/// </summary>
public interface IStorageDevice
{
    void CreateDirectory(string directory);

    /// <summary>Names (not paths) of the files in <paramref name="directory"/> ending in <paramref name="extension"/>; none when it is missing.</summary>
    IReadOnlyList<string> List(string directory, string extension);

    bool Exists(string path);

    long Length(string path);

    /// <summary>Reads up to <paramref name="buffer"/>'s length from <paramref name="offset"/>; fewer only at the end of the file.</summary>
    int Read(string path, long offset, Span<byte> buffer);

    byte[] ReadAll(string path);

    /// <summary>A read-only, seekable stream over the file.</summary>
    Stream OpenRead(string path);

    /// <summary>Creates a new, empty file for appending; fails if it exists.</summary>
    IAppendFile Create(string path);

    /// <summary>Opens an existing file for appending at its end.</summary>
    IAppendFile OpenAppend(string path);

    /// <summary>
    /// Opens an existing file for appending at <paramref name="offset"/>, as if it ended there: for a
    /// file whose bytes from there on are the zeros of <see cref="IAppendFile.Preallocate"/>.
    /// </summary>
    IAppendFile OpenAppendAt(string path, long offset);

    /// <summary>Cuts the file to <paramref name="length"/> bytes and syncs it.</summary>
    void Truncate(string path, long length);

    /// <summary>Renames <paramref name="from"/> to <paramref name="to"/>, replacing <paramref name="to"/> if it exists.</summary>
    void Rename(string from, string to);

    /// <summary>Deletes the file; nothing when it is missing.</summary>
    void Delete(string path);

    /// <summary>Makes files created, renamed or deleted in <paramref name="directory"/> survive a power failure.</summary>
    void SyncDirectory(string directory);
}

/// <summary>A file open for appending.</summary>
public interface IAppendFile : IDisposable
{
    long Length { get; }

    void Append(ReadOnlySpan<byte> data);

    /// <summary>
    /// Reserves the file's space up to <paramref name="bytes"/>: past what is appended it reads as
    /// zeros, and appends inside it change no file size, so a sync writes their data alone. A hint:
    /// where the file system cannot reserve space, nothing happens.
    /// </summary>
    void Preallocate(long bytes);

    /// <summary>Makes everything appended so far survive a power failure.</summary>
    void Sync();
}
