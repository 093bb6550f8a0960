using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Paxuby.Storage;

/// <summary>
/// Flushing file data, and directory entries, to the disk. On Linux fdatasync skips the inode
/// timestamps that fsync also writes (file size changes are still flushed: they are needed to
/// read the data back); elsewhere FileStream.Flush(true) does a full fsync.
/// </summary>
internal static partial class DurableSync
{
    public static void File(FileStream stream)
    {
        if (OperatingSystem.IsLinux())
        {
            if (FdataSync(stream.SafeFileHandle) != 0)
            {
                throw new IOException($"fdatasync failed on {stream.Name}: errno {Marshal.GetLastPInvokeError()}");
            }
            return;
        }
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Makes a file created or removed in <paramref name="directory"/> survive a power failure.</summary>
    public static void Directory(string directory)
    {
        // Windows has no directory fsync: NTFS journals its metadata itself.
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return;
        }
        var fd = Open(directory, 0 /* O_RDONLY */);
        if (fd < 0)
        {
            throw new IOException($"cannot open directory {directory}: errno {Marshal.GetLastPInvokeError()}");
        }
        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"fsync failed on directory {directory}: errno {Marshal.GetLastPInvokeError()}");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
    private static partial int FdataSync(SafeFileHandle fd);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
