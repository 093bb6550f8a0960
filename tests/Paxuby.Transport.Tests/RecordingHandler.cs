using System.Buffers.Binary;
using Paxuby.Consensus;

namespace Paxuby.Transport.Tests;

/// <summary>Records what one node's network delivers, in order, and pulses a signal on each.</summary>
internal sealed class RecordingHandler : IPeerFrameHandler
{
    private readonly object _lock = new();
    private readonly List<(int Peer, byte Type, byte[] Payload)> _frames = [];
    private readonly List<(int Peer, bool Up)> _events = [];

    public Signal Signal { get; } = new();

    public void OnFrame(int peer, byte frameType, ReadOnlySpan<byte> payload)
    {
        lock (_lock)
        {
            _frames.Add((peer, frameType, payload.ToArray()));
        }
        Signal.Pulse();
    }

    public void OnPeerUp(int peer) => Event(peer, up: true);

    public void OnPeerDown(int peer) => Event(peer, up: false);

    public List<(int Peer, byte Type, byte[] Payload)> Frames(int? peer = null)
    {
        lock (_lock)
        {
            return _frames.Where(f => peer is null || f.Peer == peer).ToList();
        }
    }

    public List<Message> PaxosFrom(int peer) =>
        Frames(peer).Where(f => f.Type == FrameTypes.Paxos).Select(f => PaxosMessageCodec.Read(f.Payload)).ToList();

    public List<int> CountersFrom(int peer) =>
        Frames(peer).Select(f => BinaryPrimitives.ReadInt32LittleEndian(f.Payload)).ToList();

    public List<(int Peer, bool Up)> Events()
    {
        lock (_lock)
        {
            return [.. _events];
        }
    }

    public bool IsUp(int peer)
    {
        lock (_lock)
        {
            var last = _events.LastOrDefault(e => e.Peer == peer);
            return last.Peer == peer && last.Up;
        }
    }

    public bool WasEverUp(int peer)
    {
        lock (_lock)
        {
            return _events.Any(e => e.Peer == peer && e.Up);
        }
    }

    public Task WaitUntilAsync(Func<bool> condition, string what) => Signal.WaitUntilAsync(condition, what);

    private void Event(int peer, bool up)
    {
        lock (_lock)
        {
            // Up and down must alternate per peer, starting with up.
            var last = _events.LastOrDefault(e => e.Peer == peer);
            Assert.True(last.Peer == peer ? last.Up != up : up, $"peer {peer} {(up ? "up" : "down")} twice in a row");
            _events.Add((peer, up));
        }
        Signal.Pulse();
    }
}
