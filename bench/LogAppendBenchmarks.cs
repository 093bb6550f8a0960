using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Paxuby.Consensus;
using Paxuby.Storage;

namespace Paxuby.Bench;

/// <summary>
/// Appends through <see cref="GroupCommitLog"/> to a write-ahead log in a temporary directory on
/// the real disk, with 1, 16 and 64 concurrent appenders each awaiting its acknowledgement before
/// its next append, under <see cref="FsyncPolicy.Always"/> and <see cref="FsyncPolicy.EverySec"/>.
/// One operation is one acknowledged append of a 100-byte SET-sized entry. The RecordsPerFsync
/// column is appends divided by data fsyncs over the whole run of a case (warm-up included),
/// counted by a device wrapped around the real files.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Columns))]
public class LogAppendBenchmarks
{
    private const int AppendsPerInvoke = 512;

    private string _directory = "";
    private FsyncCountingDevice _device = new();
    private WriteAheadLog? _log;
    private GroupCommitLog? _group;
    private PersistRecords _record = PersistRecords.Empty;
    private long _appends;

    [Params(1, 16, 64)]
    public int Appenders { get; set; }

    [Params(FsyncPolicy.Always, FsyncPolicy.EverySec)]
    public FsyncPolicy Policy { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "paxuby-bench-wal-" + Guid.NewGuid().ToString("N"));
        _device = new FsyncCountingDevice();
        _log = WriteAheadLog.Open(_directory, device: _device);
        _group = new GroupCommitLog(_log, Policy);
        var ballot = new Ballot(1, 0);
        var command = new Command(1, 1, 1_800_000_000_000, new byte[100]);
        _record = new PersistRecords([new LogEntry(1, ballot, new Batch(new BatchId(ballot, 1), 1_800_000_000_000, [command]))], null, null);
    }

    [Benchmark(OperationsPerInvoke = AppendsPerInvoke)]
    public Task Append()
    {
        var tasks = new Task[Appenders];
        for (var i = 0; i < tasks.Length; i++)
        {
            tasks[i] = AppendMany(AppendsPerInvoke / Appenders);
        }
        _appends += AppendsPerInvoke;
        return Task.WhenAll(tasks);
    }

    private async Task AppendMany(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await _group!.AppendAsync(_record).ConfigureAwait(false);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _group!.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _log!.Dispose();
        Directory.Delete(_directory, recursive: true);
        var perFsync = _device.Fsyncs == 0 ? double.PositiveInfinity : (double)_appends / _device.Fsyncs;
        Console.WriteLine($"// LogAppend {Policy} x{Appenders}: {_appends} appends, {_device.Fsyncs} fsyncs, {perFsync:F1} records/fsync");
        RecordsPerFsyncColumn.Save(Policy, Appenders, perFsync);
    }

    private sealed class Columns : ManualConfig
    {
        public Columns() => AddColumn(new RecordsPerFsyncColumn());
    }

    /// <summary>The real files, counting data fsyncs (the benchmark runs in its own process: the count goes through a file).</summary>
    private sealed class FsyncCountingDevice : IStorageDevice
    {
        private readonly IStorageDevice _files = FileSystemDevice.Instance;
        private long _fsyncs;

        public long Fsyncs => Interlocked.Read(ref _fsyncs);

        public void CreateDirectory(string directory) => _files.CreateDirectory(directory);

        public IReadOnlyList<string> List(string directory, string extension) => _files.List(directory, extension);

        public bool Exists(string path) => _files.Exists(path);

        public long Length(string path) => _files.Length(path);

        public int Read(string path, long offset, Span<byte> buffer) => _files.Read(path, offset, buffer);

        public byte[] ReadAll(string path) => _files.ReadAll(path);

        public Stream OpenRead(string path) => _files.OpenRead(path);

        public IAppendFile Create(string path) => new Counted(_files.Create(path), this);

        public IAppendFile OpenAppend(string path) => new Counted(_files.OpenAppend(path), this);

        public IAppendFile OpenAppendAt(string path, long offset) => new Counted(_files.OpenAppendAt(path, offset), this);

        public void Truncate(string path, long length) => _files.Truncate(path, length);

        public void Rename(string from, string to) => _files.Rename(from, to);

        public void Delete(string path) => _files.Delete(path);

        public void SyncDirectory(string directory) => _files.SyncDirectory(directory);

        private sealed class Counted(IAppendFile file, FsyncCountingDevice device) : IAppendFile
        {
            public long Length => file.Length;

            public void Append(ReadOnlySpan<byte> data) => file.Append(data);

            public void Preallocate(long bytes) => file.Preallocate(bytes);

            public void Sync()
            {
                file.Sync();
                Interlocked.Increment(ref device._fsyncs);
            }

            public void Dispose() => file.Dispose();
        }
    }

    private sealed class RecordsPerFsyncColumn : IColumn
    {
        private static readonly string Store = Path.Combine(Path.GetTempPath(), "paxuby-bench-records-per-fsync.txt");

        public string Id => nameof(RecordsPerFsyncColumn);

        public string ColumnName => "RecordsPerFsync";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => "Acknowledged appends per data fsync over the case's whole run";

        public static void Save(FsyncPolicy policy, int appenders, double perFsync) =>
            File.AppendAllText(Store, $"{policy} {appenders} {perFsync.ToString("F1", CultureInfo.InvariantCulture)}\n");

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var key = $"{benchmarkCase.Parameters[nameof(Policy)]} {benchmarkCase.Parameters[nameof(Appenders)]} ";
            if (!File.Exists(Store))
            {
                return "?";
            }
            var line = File.ReadLines(Store).LastOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
            return line is null ? "?" : line[key.Length..];
        }

        public bool IsAvailable(Summary summary) => true;

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    }
}
