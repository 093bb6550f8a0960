using System.Net;

namespace Paxuby.Transport;

/// <summary>One node's view of the peer network. Both ends of a link must agree on
/// <see cref="ClusterId"/> and <see cref="Secret"/>.</summary>
public sealed class PeerNetworkOptions
{
    public int SelfId { get; init; }

    /// <summary>Peer id → the endpoint its <see cref="PeerNetwork"/> listens on; self excluded.
    /// May instead be given to <see cref="PeerNetwork.StartAsync(IReadOnlyDictionary{int, EndPoint}, CancellationToken)"/>
    /// once every listener is bound (tests on port 0).</summary>
    public IReadOnlyDictionary<int, EndPoint> Peers { get; init; } = new Dictionary<int, EndPoint>();

    /// <summary>Where to listen for peers with lower ids; port 0 picks a free port
    /// (see <see cref="PeerNetwork.LocalEndPoint"/>).</summary>
    public EndPoint ListenEndPoint { get; init; } = new IPEndPoint(IPAddress.Loopback, 0);

    /// <summary>Identifies the cluster (e.g. a hash of the configured address list), so that nodes
    /// of different clusters never link up. At most <see cref="MaxClusterIdBytes"/> UTF-8 bytes.</summary>
    public string ClusterId { get; init; } = "";

    /// <summary>cluster_secret: when set, each end proves it knows it (HMAC-SHA256 over fresh nonces).</summary>
    public byte[]? Secret { get; init; }

    public int MaxFrameBytes { get; init; } = 64 * 1024 * 1024;

    public long MaxQueuedBytesPerPeer { get; init; } = 64L * 1024 * 1024;

    public int MaxQueuedFramesPerPeer { get; init; } = 65_536;

    public TimeSpan ReconnectMin { get; init; } = TimeSpan.FromMilliseconds(50);

    public TimeSpan ReconnectMax { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Connections still in their handshake beyond this are closed at once, so a flood
    /// of strangers cannot exhaust the node.</summary>
    public int MaxPendingHandshakes { get; init; } = 64;

    public const int MaxClusterIdBytes = 255;

    internal void Validate()
    {
        if (System.Text.Encoding.UTF8.GetByteCount(ClusterId) > MaxClusterIdBytes)
        {
            throw new ArgumentException($"ClusterId is longer than {MaxClusterIdBytes} UTF-8 bytes");
        }
        if (MaxFrameBytes < 1024)
        {
            throw new ArgumentException($"MaxFrameBytes {MaxFrameBytes} is below 1024");
        }
        if (MaxQueuedBytesPerPeer < 1 || MaxQueuedFramesPerPeer < 1)
        {
            throw new ArgumentException("send queue bounds must be positive");
        }
        if (ReconnectMin <= TimeSpan.Zero || ReconnectMax < ReconnectMin || HandshakeTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("ReconnectMin, ReconnectMax and HandshakeTimeout must be positive and ordered");
        }
        ArgumentNullException.ThrowIfNull(ListenEndPoint);
    }
}
