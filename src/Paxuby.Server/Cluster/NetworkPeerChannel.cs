using System.Buffers;
using Microsoft.Extensions.Logging;
using Paxuby.Consensus;
using Paxuby.Transport;

namespace Paxuby.Server.Cluster;

/// <summary>
/// A replica's links to replicas in other processes: what its loop sends is encoded onto the peer
/// network, and what peers send is decoded and handed to the loop. A frame that does not decode,
/// or a Paxos message that claims another sender than the authenticated link, is dropped and logged.
/// </summary>
internal sealed class NetworkPeerChannel(int selfId, ILogger logger) : IPeerChannel, IPeerFrameHandler
{
    // Sends come only from the node loop's thread, so one scratch buffer serves them all.
    private readonly ArrayBufferWriter<byte> _scratch = new(4096);
    private PeerNetwork? _network;
    private ReplicaNode? _node;
    private PubSub.PubSubHub? _pubSub;

    public void Attach(PeerNetwork network, ReplicaNode node)
    {
        _network = network;
        _node = node;
    }

    /// <summary>Relays PUBLISH between this process's subscribers and the other replicas'.</summary>
    public void AttachPubSub(PubSub.PubSubHub hub, IReadOnlyList<int> peers)
    {
        _pubSub = hub;
        hub.Relay = (channel, message) =>
        {
            // From client sessions' threads: a fresh frame, not the loop's scratch buffer.
            byte[] frame = PeerFrameCodec.WritePublish(channel, message);
            foreach (int peer in peers) _network?.TrySend(peer, FrameTypes.Publish, frame);
        };
    }

    public void Send(Message message) => _network?.TrySend(message.To, message);

    public void Send(PeerFrame frame)
    {
        if (_network is null) return;
        _scratch.ResetWrittenCount();
        byte frameType;
        switch (frame)
        {
            case ForwardedReply reply:
                PeerFrameCodec.WriteReply(_scratch, reply);
                frameType = FrameTypes.ForwardReply;
                break;
            case SnapshotChunk chunk:
                PeerFrameCodec.WriteChunk(_scratch, chunk);
                frameType = FrameTypes.SnapshotChunk;
                break;
            case SnapshotAck ack:
                PeerFrameCodec.WriteAck(_scratch, ack);
                frameType = FrameTypes.SnapshotAck;
                break;
            default:
                PeerFrameCodec.WriteRequest(_scratch, frame);
                frameType = FrameTypes.ForwardRequest;
                break;
        }
        _network.TrySend(frame.To, frameType, _scratch.WrittenSpan);
    }

    public void OnFrame(int peer, byte frameType, ReadOnlySpan<byte> payload)
    {
        ReplicaNode? node = _node;
        if (node is null) return;
        try
        {
            switch (frameType)
            {
                case FrameTypes.Paxos:
                    Message message = PaxosMessageCodec.Read(payload);
                    if (message.From != peer || message.To != selfId)
                    {
                        Malformed(peer, $"a Paxos message from {message.From} to {message.To} on the link of replica {peer}");
                        return;
                    }
                    node.Deliver(message);
                    break;
                case FrameTypes.ForwardRequest:
                    node.Deliver(PeerFrameCodec.ReadRequest(peer, selfId, payload));
                    break;
                case FrameTypes.ForwardReply:
                    node.Deliver(PeerFrameCodec.ReadReply(peer, selfId, payload));
                    break;
                case FrameTypes.SnapshotChunk:
                    node.Deliver(PeerFrameCodec.ReadChunk(peer, selfId, payload));
                    break;
                case FrameTypes.SnapshotAck:
                    node.Deliver(PeerFrameCodec.ReadAck(peer, selfId, payload));
                    break;
                case FrameTypes.Publish:
                    var (channel, published) = PeerFrameCodec.ReadPublish(payload);
                    _pubSub?.DeliverRelayed(channel, published);
                    break;
                default:
                    Malformed(peer, $"unknown frame type {frameType}");
                    break;
            }
        }
        catch (Exception e) when (e is PeerProtocolException or InvalidDataException)
        {
            Malformed(peer, e.Message);
        }
    }

    public void OnPeerUp(int peer) => logger.LogInformation("replica {Self}: link to replica {Peer} up", selfId, peer);

    public void OnPeerDown(int peer) => logger.LogInformation("replica {Self}: link to replica {Peer} down", selfId, peer);

    private void Malformed(int peer, string what)
    {
        logger.LogWarning("replica {Self}: dropped a malformed frame from replica {Peer}: {What}", selfId, peer, what);
    }
}
