namespace Paxuby.Resp;

/// <summary>Protocol byte strings, each defined once.</summary>
public static class RespStrings
{
    public static ReadOnlySpan<byte> Crlf => "\r\n"u8;
    public static ReadOnlySpan<byte> Ok => "+OK\r\n"u8;
    public static ReadOnlySpan<byte> Queued => "+QUEUED\r\n"u8;
    public static ReadOnlySpan<byte> Pong => "+PONG\r\n"u8;
    public static ReadOnlySpan<byte> NullBulk => "$-1\r\n"u8;
    public static ReadOnlySpan<byte> NullArray => "*-1\r\n"u8;
    public static ReadOnlySpan<byte> Null3 => "_\r\n"u8;
    public static ReadOnlySpan<byte> EmptyArray => "*0\r\n"u8;
    public static ReadOnlySpan<byte> Zero => ":0\r\n"u8;
    public static ReadOnlySpan<byte> One => ":1\r\n"u8;
}
