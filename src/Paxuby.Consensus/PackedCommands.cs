using System.Buffers.Binary;
using System.Collections;

namespace Paxuby.Consensus;

/// <summary>
/// A batch's commands in one array, laid out as the log and the wire encode them:
/// <code>command = clientId i64, sequence i64, timestampMs i64, length i32, length bytes</code>
/// A decided batch stays in the in-memory log until the next snapshot. Held as objects, that is two
/// per command (the command and its payload), each of which every collection must trace and copy;
/// held packed, it is one array. Reading a command gives a new <see cref="Command"/> whose payload
/// is a slice of the array. The arrays are allocated on the pinned object heap: a decided batch
/// outlives many collections, and there the collector never copies it from one generation to the
/// next (it is freed by a full, background collection once the log drops it).
/// </summary>
public sealed class PackedCommands : IReadOnlyList<Command>
{
    public const int HeaderBytes = 3 * sizeof(long) + sizeof(int);

    private static readonly PackedCommands EmptyInstance = new([], []);

    private readonly byte[] data;
    // Where each command's header starts in data.
    private readonly int[] starts;

    private PackedCommands(byte[] data, int[] starts)
    {
        this.data = data;
        this.starts = starts;
    }

    public static PackedCommands Empty => EmptyInstance;

    /// <summary>The commands as encoded, in order; written to the log and the wire as they are.</summary>
    public ReadOnlySpan<byte> Encoded => data;

    public int Count => starts.Length;

    /// <summary>Sum of <see cref="Command.SizeBytes"/> over the commands.</summary>
    public int SizeBytes => data.Length - (HeaderBytes - Command.OverheadBytes) * starts.Length;

    public Command this[int index]
    {
        get
        {
            var header = data.AsSpan(starts[index], HeaderBytes);
            var length = BinaryPrimitives.ReadInt32LittleEndian(header[24..]);
            return new Command(
                BinaryPrimitives.ReadInt64LittleEndian(header),
                BinaryPrimitives.ReadInt64LittleEndian(header[8..]),
                BinaryPrimitives.ReadInt64LittleEndian(header[16..]),
                new ReadOnlyMemory<byte>(data, starts[index] + HeaderBytes, length));
        }
    }

    /// <summary>The command at <paramref name="index"/> without allocating: its identity and a view of its payload.</summary>
    public ReadOnlySpan<byte> Read(int index, out long clientId, out long sequence)
    {
        var header = data.AsSpan(starts[index], HeaderBytes);
        clientId = BinaryPrimitives.ReadInt64LittleEndian(header);
        sequence = BinaryPrimitives.ReadInt64LittleEndian(header[8..]);
        return data.AsSpan(starts[index] + HeaderBytes, BinaryPrimitives.ReadInt32LittleEndian(header[24..]));
    }

    public static PackedCommands Pack(IReadOnlyList<Command> commands)
    {
        ArgumentNullException.ThrowIfNull(commands);
        if (commands is PackedCommands packed) return packed;
        if (commands.Count == 0) return EmptyInstance;
        long size = 0;
        for (var i = 0; i < commands.Count; i++) size += HeaderBytes + commands[i].Payload.Length;
        if (size > Array.MaxLength) throw new ArgumentException($"{commands.Count} commands of {size} bytes are too large for one batch");
        var data = Allocate<byte>((int)size);
        var starts = Allocate<int>(commands.Count);
        var offset = 0;
        for (var i = 0; i < commands.Count; i++)
        {
            var command = commands[i];
            starts[i] = offset;
            var header = data.AsSpan(offset, HeaderBytes);
            BinaryPrimitives.WriteInt64LittleEndian(header, command.ClientId);
            BinaryPrimitives.WriteInt64LittleEndian(header[8..], command.Sequence);
            BinaryPrimitives.WriteInt64LittleEndian(header[16..], command.TimestampMs);
            BinaryPrimitives.WriteInt32LittleEndian(header[24..], command.Payload.Length);
            command.Payload.Span.CopyTo(data.AsSpan(offset + HeaderBytes));
            offset += HeaderBytes + command.Payload.Length;
        }
        return new PackedCommands(data, starts);
    }

    /// <summary>
    /// Copies <paramref name="count"/> encoded commands from the start of <paramref name="source"/>;
    /// false, with <paramref name="error"/> saying why, when they do not fit in it. Nothing is
    /// allocated for a count or length the bytes cannot hold.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> source, int count, out PackedCommands commands, out int bytesRead, out string? error)
    {
        commands = EmptyInstance;
        bytesRead = 0;
        error = null;
        if (count < 0 || count > source.Length / HeaderBytes)
        {
            error = $"command count {count} does not fit in {source.Length} bytes";
            return false;
        }
        if (count == 0) return true;
        var starts = Allocate<int>(count);
        var offset = 0;
        for (var i = 0; i < count; i++)
        {
            if (source.Length - offset < HeaderBytes)
            {
                error = $"command {i} needs {HeaderBytes} bytes, {source.Length - offset} left";
                return false;
            }
            var length = BinaryPrimitives.ReadInt32LittleEndian(source[(offset + 24)..]);
            if (length < 0 || length > source.Length - offset - HeaderBytes)
            {
                error = $"command {i} has length {length} with {source.Length - offset - HeaderBytes} bytes left";
                return false;
            }
            starts[i] = offset;
            offset += HeaderBytes + length;
        }
        var data = Allocate<byte>(offset);
        source[..offset].CopyTo(data);
        commands = new PackedCommands(data, starts);
        bytesRead = offset;
        return true;
    }

    /// <summary>The array this batch holds its bytes in (tests check where it lives).</summary>
    internal byte[] Data => data;

    private static T[] Allocate<T>(int length) => GC.AllocateUninitializedArray<T>(length, pinned: true);

    public Enumerator GetEnumerator() => new(this);

    IEnumerator<Command> IEnumerable<Command>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public struct Enumerator(PackedCommands commands) : IEnumerator<Command>
    {
        private int index = -1;

        public readonly Command Current => commands[index];

        readonly object IEnumerator.Current => Current;

        public bool MoveNext() => ++index < commands.Count;

        public void Reset() => index = -1;

        public readonly void Dispose()
        {
        }
    }
}
