using Paxuby.Consensus;

namespace Paxuby.Server.Cluster;

/// <summary>Links between the replicas of one process: a frame goes straight into the receiver's loop, unless either end is cut off.</summary>
internal sealed class InMemoryPeerHub(ReplicaNode[] nodes) : IPeerChannel
{
    private readonly bool[] _isolated = new bool[nodes.Length];

    public bool IsIsolated(int node) => Volatile.Read(ref _isolated[node]);

    public void SetIsolated(int node, bool isolated) => Volatile.Write(ref _isolated[node], isolated);

    public void Send(Message message)
    {
        if (Connected(message.From, message.To)) nodes[message.To].Deliver(message);
    }

    public void Send(PeerFrame frame)
    {
        if (Connected(frame.From, frame.To)) nodes[frame.To].Deliver(frame);
    }

    private bool Connected(int from, int to) => (uint)to < (uint)nodes.Length && !IsIsolated(from) && !IsIsolated(to);
}
