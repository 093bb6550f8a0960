using System.Buffers.Text;

namespace Paxuby.Server.Sessions;

/// <summary>Finds where each element of an array reply starts and ends, without decoding it.</summary>
public static class ReplySplitter
{
    public readonly record struct Element(int Start, int Length)
    {
        public ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> reply) => reply.Slice(Start, Length);
    }

    /// <summary>False for a null array; throws for anything that is not a whole array reply.</summary>
    public static bool TrySplitArray(ReadOnlySpan<byte> reply, out Element[] elements)
    {
        int offset = 0;
        if (reply.IsEmpty) throw new InvalidDataException("empty reply");
        if (reply[0] == (byte)'_' || reply.StartsWith("*-1\r\n"u8))
        {
            elements = [];
            return false;
        }
        if (reply[0] != (byte)'*') throw new InvalidDataException("not an array reply");
        long count = ReadLength(reply, ref offset);
        elements = new Element[count];
        for (int i = 0; i < count; i++)
        {
            int start = offset;
            Skip(reply, ref offset);
            elements[i] = new Element(start, offset - start);
        }
        return true;
    }

    /// <summary>Moves past one whole value of any RESP2/RESP3 type.</summary>
    public static void Skip(ReadOnlySpan<byte> reply, ref int offset)
    {
        byte type = reply[offset];
        switch (type)
        {
            case (byte)'+' or (byte)'-' or (byte)':' or (byte)'_' or (byte)',' or (byte)'#' or (byte)'(':
                offset = LineEnd(reply, offset) + 2;
                break;
            case (byte)'$' or (byte)'=' or (byte)'!':
                long length = ReadLength(reply, ref offset);
                if (length >= 0) offset += (int)length + 2;
                break;
            case (byte)'*' or (byte)'~' or (byte)'>':
                long items = ReadLength(reply, ref offset);
                for (long i = 0; i < items; i++) Skip(reply, ref offset);
                break;
            case (byte)'%' or (byte)'|':
                long pairs = ReadLength(reply, ref offset);
                for (long i = 0; i < pairs * 2; i++) Skip(reply, ref offset);
                if (type == (byte)'|') Skip(reply, ref offset);
                break;
            default:
                throw new InvalidDataException($"unknown reply type '{(char)type}'");
        }
    }

    private static long ReadLength(ReadOnlySpan<byte> reply, ref int offset)
    {
        int end = LineEnd(reply, offset);
        if (!Utf8Parser.TryParse(reply[(offset + 1)..end], out long value, out _)) throw new InvalidDataException("bad length");
        offset = end + 2;
        return value;
    }

    private static int LineEnd(ReadOnlySpan<byte> reply, int offset)
    {
        int relative = reply[offset..].IndexOf("\r\n"u8);
        if (relative < 0) throw new InvalidDataException("unterminated line");
        return offset + relative;
    }
}
