using System.Buffers;
using System.Text;

namespace Paxuby.Resp;

/// <summary>
/// One parsed command: its arguments copied into a buffer that the owner reuses from command to
/// command, so parsing allocates nothing once the buffer has grown to the connection's largest
/// command. Arguments stay valid until the next <see cref="Clear"/>.
/// </summary>
public sealed class RespCommand
{
    private byte[] _bytes;
    private int _used;
    private int[] _starts;
    private int[] _lengths;

    public RespCommand(int initialBytes = 256, int initialArgs = 8)
    {
        _bytes = new byte[initialBytes];
        _starts = new int[initialArgs];
        _lengths = new int[initialArgs];
    }

    /// <summary>Number of arguments, the command name included.</summary>
    public int Count { get; private set; }

    /// <summary>True when the command came as an inline line rather than a RESP array.</summary>
    public bool IsInline { get; internal set; }

    public ReadOnlySpan<byte> this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index));
            return new ReadOnlySpan<byte>(_bytes, _starts[index], _lengths[index]);
        }
    }

    public ReadOnlyMemory<byte> GetMemory(int index)
    {
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index));
        return new ReadOnlyMemory<byte>(_bytes, _starts[index], _lengths[index]);
    }

    /// <summary>Total bytes of all arguments.</summary>
    public int PayloadBytes => _used;

    public string GetString(int index) => Encoding.UTF8.GetString(this[index]);

    /// <summary>True when argument <paramref name="index"/> equals <paramref name="upperAscii"/>, ignoring ASCII case.</summary>
    public bool Is(int index, ReadOnlySpan<byte> upperAscii) =>
        index < Count && Ascii.EqualsIgnoreCase(this[index], upperAscii);

    public void Clear()
    {
        Count = 0;
        _used = 0;
        IsInline = false;
    }

    public void Add(ReadOnlySpan<byte> argument)
    {
        Span<byte> target = Reserve(argument.Length);
        argument.CopyTo(target);
    }

    public void Add(in ReadOnlySequence<byte> argument)
    {
        Span<byte> target = Reserve(checked((int)argument.Length));
        argument.CopyTo(target);
    }

    public void Add(string argument) => Add(Encoding.UTF8.GetBytes(argument));

    /// <summary>Appends an argument of <paramref name="length"/> bytes and returns the span to fill.</summary>
    public Span<byte> Reserve(int length)
    {
        if (Count == _starts.Length)
        {
            Array.Resize(ref _starts, _starts.Length * 2);
            Array.Resize(ref _lengths, _lengths.Length * 2);
        }
        if (_used + length > _bytes.Length)
        {
            long wanted = Math.Max((long)_bytes.Length * 2, (long)_used + length);
            Array.Resize(ref _bytes, (int)Math.Min(wanted, Array.MaxLength));
        }
        _starts[Count] = _used;
        _lengths[Count] = length;
        Count++;
        _used += length;
        return new Span<byte>(_bytes, _used - length, length);
    }

    /// <summary>Builds a command from strings (tests, tools and the server's own commands).</summary>
    public static RespCommand Of(params string[] arguments)
    {
        var command = new RespCommand();
        foreach (string argument in arguments) command.Add(argument);
        return command;
    }

    public override string ToString()
    {
        var sb = new StringBuilder();
        for (int i = 0; i < Count; i++)
        {
            if (i > 0) sb.Append(' ');
            sb.Append(Encoding.UTF8.GetString(this[i]));
        }
        return sb.ToString();
    }
}
