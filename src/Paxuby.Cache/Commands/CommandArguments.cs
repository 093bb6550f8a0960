using Paxuby.Cache.Commands.Strings;
using Paxuby.Resp;

namespace Paxuby.Cache.Commands;

/// <summary>Argument parsing shared by the key commands, with Redis's exact error replies.</summary>
internal static class CommandArguments
{
    private static ReadOnlySpan<byte> IntOutOfRange => "ERR value is out of range, value must between -2147483648 and 2147483647"u8;

    /// <summary>Redis's getLongLongFromObjectOrReply: false once "not an integer" has been replied.</summary>
    public static bool TryGetInt64(RespWriter reply, ReadOnlySpan<byte> text, out long value)
    {
        if (RedisInteger.TryParse(text, out value)) return true;
        reply.WriteError(CacheErrors.NotInteger);
        return false;
    }

    /// <summary>Redis's getIntFromObjectOrReply: an int, else the integer or range error.</summary>
    public static bool TryGetInt32(RespWriter reply, ReadOnlySpan<byte> text, out int value)
    {
        value = 0;
        if (!TryGetInt64(reply, text, out long wide)) return false;
        if (wide is < int.MinValue or > int.MaxValue)
        {
            reply.WriteError(IntOutOfRange);
            return false;
        }
        value = (int)wide;
        return true;
    }

    /// <summary>A database index as MOVE and COPY read it: an int, then in range.</summary>
    public static bool TryGetDatabaseIndex(RespWriter reply, ReadOnlySpan<byte> text, out int index)
    {
        if (!TryGetInt32(reply, text, out index)) return false;
        if (Keyspace.IsValidIndex(index)) return true;
        reply.WriteError(CacheErrors.DbIndexOutOfRange);
        return false;
    }
}
