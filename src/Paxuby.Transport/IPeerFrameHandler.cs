namespace Paxuby.Transport;

/// <summary>
/// Receives what the links deliver. Called on a link's receive loop: a handler copies or decodes
/// what it needs synchronously (the payload is valid only during the call) and never blocks, or
/// it stalls that link. Events of one peer never overlap; different peers' may run concurrently.
/// </summary>
public interface IPeerFrameHandler
{
    void OnFrame(int peer, byte frameType, ReadOnlySpan<byte> payload);

    /// <summary>A link to <paramref name="peer"/> finished its handshake; sends may now succeed.</summary>
    void OnPeerUp(int peer);

    /// <summary>The link to <paramref name="peer"/> closed; frames still queued for it were discarded.</summary>
    void OnPeerDown(int peer);
}
