using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Paxuby.Bench.Load;

internal enum Operation
{
    Set,
    Get,
}

/// <summary>
/// N copies of one encoded command (SET key value, or GET key) back to back. Keys are
/// <c>key:NNNNNNNN</c>, fixed width, so a new key is eight digits written in place: refilling a
/// batch allocates nothing.
/// </summary>
internal sealed class CommandBatch
{
    public const int KeyDigits = 8;
    private static readonly StandardFormat DigitsFormat = new('D', KeyDigits);

    private readonly byte[] _bytes;
    private readonly int _commandLength;
    private readonly int _digitsOffset;

    public CommandBatch(Operation operation, int commands, int valueBytes)
    {
        string key = "key:" + new string('0', KeyDigits);
        string command = operation switch
        {
            Operation.Set => $"*3\r\n$3\r\nSET\r\n${key.Length}\r\n{key}\r\n${valueBytes}\r\n{new string('v', valueBytes)}\r\n",
            _ => $"*2\r\n$3\r\nGET\r\n${key.Length}\r\n{key}\r\n",
        };
        byte[] one = Encoding.ASCII.GetBytes(command);
        _commandLength = one.Length;
        _digitsOffset = command.IndexOf(key, StringComparison.Ordinal) + "key:".Length;
        _bytes = new byte[_commandLength * commands];
        for (int i = 0; i < commands; i++) one.CopyTo(_bytes, i * _commandLength);
        Count = commands;
    }

    public int Count { get; }

    /// <summary>The first <paramref name="commands"/> commands of the batch, ready to send.</summary>
    public ReadOnlyMemory<byte> Bytes(int commands) => _bytes.AsMemory(0, commands * _commandLength);

    public void FillRandom(Random random, int keyCount)
    {
        for (int i = 0; i < Count; i++) SetKey(i, random.Next(keyCount));
    }

    public void FillSequential(int firstKey, int commands)
    {
        for (int i = 0; i < commands; i++) SetKey(i, firstKey + i);
    }

    private void SetKey(int command, int key)
    {
        Span<byte> digits = _bytes.AsSpan(command * _commandLength + _digitsOffset, KeyDigits);
        Utf8Formatter.TryFormat(key, digits, out _, DigitsFormat);
    }

    public static string KeyName(int key) => "key:" + key.ToString("D" + KeyDigits, System.Globalization.CultureInfo.InvariantCulture);
}
