namespace Paxuby.Transport;

/// <summary>
/// The byte after the version in every frame. 1..63 belong to the users of the transport; 64 and
/// above are the transport's own (handshake). The numbers go on the wire: append-only.
/// </summary>
public static class FrameTypes
{
    public const byte Paxos = 1;
    public const byte ForwardRequest = 2;
    public const byte ForwardReply = 3;
    public const byte SnapshotChunk = 4;
    public const byte SnapshotAck = 5;
    public const byte Publish = 6;

    /// <summary>Highest frame type a user of the transport may send.</summary>
    public const byte MaxUser = 63;

    internal const byte Hello = 64;
    internal const byte Welcome = 65;
    internal const byte Proof = 66;
    internal const byte Ready = 67;
    internal const byte Refuse = 68;

    public static bool IsUser(byte frameType) => frameType is >= 1 and <= MaxUser;
}
