namespace Paxuby.Storage;

/// <summary>The real files: unbuffered appends (callers batch), fallocate, fdatasync, directory fsync.</summary>
public sealed class FileSystemDevice : IStorageDevice
{
    public static readonly FileSystemDevice Instance = new();

    private FileSystemDevice()
    {
    }

    public void CreateDirectory(string directory) => Directory.CreateDirectory(directory);

    public IReadOnlyList<string> List(string directory, string extension)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }
        var names = new List<string>();
        foreach (var path in Directory.EnumerateFiles(directory, "*" + extension))
        {
            names.Add(Path.GetFileName(path));
        }
        return names;
    }

    public bool Exists(string path) => File.Exists(path);

    public long Length(string path) => new FileInfo(path).Length;

    public int Read(string path, long offset, Span<byte> buffer)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var total = 0;
        while (total < buffer.Length)
        {
            var read = RandomAccess.Read(handle, buffer[total..], offset + total);
            if (read == 0)
            {
                break;
            }
            total += read;
        }
        return total;
    }

    public byte[] ReadAll(string path) => File.ReadAllBytes(path);

    public Stream OpenRead(string path) =>
        new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 64 * 1024);

    public IAppendFile Create(string path) => new AppendFile(Open(path, FileMode.CreateNew));

    public IAppendFile OpenAppend(string path)
    {
        var stream = Open(path, FileMode.Open);
        stream.Seek(0, SeekOrigin.End);
        return new AppendFile(stream);
    }

    public IAppendFile OpenAppendAt(string path, long offset)
    {
        var stream = Open(path, FileMode.Open);
        stream.Seek(offset, SeekOrigin.Begin);
        return new AppendFile(stream);
    }

    public void Truncate(string path, long length)
    {
        using var stream = Open(path, FileMode.Open);
        stream.SetLength(length);
        DurableSync.File(stream);
    }

    public void Rename(string from, string to) => File.Move(from, to, overwrite: true);

    public void Delete(string path) => File.Delete(path);

    public void SyncDirectory(string directory) => DurableSync.Directory(directory);

    // No FileStream buffer: callers batch records and write them with one call.
    private static FileStream Open(string path, FileMode mode) =>
        new(path, mode, FileAccess.Write, FileShare.Read | FileShare.Delete, bufferSize: 0);

    private sealed class AppendFile(FileStream stream) : IAppendFile
    {
        private long _length = stream.Position;

        public long Length => _length;

        public void Append(ReadOnlySpan<byte> data)
        {
            stream.Write(data);
            _length += data.Length;
        }

        public void Preallocate(long bytes) => FileSpace.Reserve(stream, bytes);

        public void Sync() => DurableSync.File(stream);

        public void Dispose() => stream.Dispose();
    }
}
