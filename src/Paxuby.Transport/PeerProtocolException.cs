namespace Paxuby.Transport;

/// <summary>
/// A peer sent bytes that do not follow the peer protocol (bad frame, bad handshake, undecodable
/// message). The link that carried them is closed; the node keeps running.
/// </summary>
public sealed class PeerProtocolException : IOException
{
    public PeerProtocolException(string message)
        : base(message)
    {
    }

    public PeerProtocolException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
