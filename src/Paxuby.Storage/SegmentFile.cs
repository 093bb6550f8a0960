using System.Globalization;

namespace Paxuby.Storage;

/// <summary>
/// A segment is named after the number of its first record (zero-padded, so names sort as numbers):
/// <c>00000000000000000042.wal</c> starts with record 42.
/// </summary>
internal readonly record struct SegmentFile(long FirstRecordNumber, string Path)
{
    private const string Extension = ".wal";
    private const int Digits = 20;

    public string Name => System.IO.Path.GetFileName(Path);

    public static string NameFor(long firstRecordNumber) =>
        firstRecordNumber.ToString(new string('0', Digits), CultureInfo.InvariantCulture) + Extension;

    /// <summary>The segments in <paramref name="directory"/> in record order; other files are ignored.</summary>
    public static List<SegmentFile> List(IStorageDevice device, string directory)
    {
        var segments = new List<SegmentFile>();
        foreach (var name in device.List(directory, Extension))
        {
            var stem = System.IO.Path.GetFileNameWithoutExtension(name);
            if (stem.Length == Digits
                && long.TryParse(stem, NumberStyles.None, CultureInfo.InvariantCulture, out var first))
            {
                segments.Add(new SegmentFile(first, System.IO.Path.Combine(directory, name)));
            }
        }
        segments.Sort((a, b) => a.FirstRecordNumber.CompareTo(b.FirstRecordNumber));
        return segments;
    }
}
