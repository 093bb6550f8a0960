using Paxuby.Cache;
using Paxuby.Resp;

namespace Paxuby.Bench;

/// <summary>SET and GET of the same keys (key:00000000 …, 100-byte values), encoded once as the state machine takes them.</summary>
internal sealed class EncodedCommands
{
    public EncodedCommands(int keyCount)
    {
        string value = new('v', 100);
        Sets = new byte[keyCount][];
        Gets = new byte[keyCount][];
        for (int i = 0; i < keyCount; i++)
        {
            string key = $"key:{i:D8}";
            Sets[i] = CacheCommandCodec.EncodeSingle(0, 2, RespCommand.Of("SET", key, value));
            Gets[i] = CacheCommandCodec.EncodeSingle(0, 2, RespCommand.Of("GET", key));
        }
    }

    public byte[][] Sets { get; }

    public byte[][] Gets { get; }
}
