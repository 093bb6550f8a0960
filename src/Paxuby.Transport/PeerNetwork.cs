using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Paxuby.Consensus;
using Pipelines.Sockets.Unofficial;

namespace Paxuby.Transport;

/// <summary>
/// One node's links to all its peers: exactly one TCP connection per pair (the lower id dials,
/// the higher accepts), re-dialed with backoff when it drops, a bounded send queue per link.
/// Sending never blocks and never throws for a bad peer; a slow or dead peer only loses its own
/// frames. Every failure of a link is caught, logged and ends that link only.
/// </summary>
public sealed partial class PeerNetwork : IAsyncDisposable
{
    private readonly PeerNetworkOptions _options;
    private readonly IPeerFrameHandler _handler;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _tasks = [];
    private readonly PipeOptions _sendPipe;
    private readonly PipeOptions _receivePipe;
    private Socket? _listener;
    private Dictionary<int, PeerState> _peers = [];
    private int _pendingHandshakes;
    private long _unknownPeerDrops;
    private int _started;
    private int _disposed;

    public PeerNetwork(PeerNetworkOptions options, IPeerFrameHandler handler, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handler);
        options.Validate();
        _options = options;
        _handler = handler;
        _logger = logger ?? NullLogger.Instance;
        // The writer waits on a full send pipe (and the queue then refuses frames) instead of
        // buffering without bound for a peer that stopped reading.
        _sendPipe = new PipeOptions(
            pauseWriterThreshold: 4 * 1024 * 1024,
            resumeWriterThreshold: 2 * 1024 * 1024,
            minimumSegmentSize: 16 * 1024,
            useSynchronizationContext: false);
        // A frame is parsed only once it is whole, so the receive pipe must hold the largest one.
        long receivePause = (long)options.MaxFrameBytes + FrameFormat.HeaderBytes + 64 * 1024;
        _receivePipe = new PipeOptions(
            pauseWriterThreshold: receivePause,
            resumeWriterThreshold: receivePause / 2,
            minimumSegmentSize: 16 * 1024,
            useSynchronizationContext: false);
    }

    public int SelfId => _options.SelfId;

    /// <summary>The bound listener address (the real port when configured with port 0); null before binding.</summary>
    public EndPoint? LocalEndPoint => _listener?.LocalEndPoint;

    /// <summary>Frames refused because no such peer is configured (or the network is not started).</summary>
    public long UnknownPeerDrops => Interlocked.Read(ref _unknownPeerDrops);

    /// <summary>
    /// Binds and listens (connections wait in the backlog until <see cref="StartAsync(CancellationToken)"/>),
    /// and returns the bound address, so that nodes on port 0 can learn each other's ports first.
    /// </summary>
    public Task<EndPoint> BindAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        if (_listener is null)
        {
            var listener = new Socket(_options.ListenEndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                // No SocketOptionName.ReuseAddress: on Linux .NET maps it to SO_REUSEPORT too, which
                // lets a second process bind the same port and take half the peers' connections.
                // A restarted node still gets its port back past TIME_WAIT (the runtime sets SO_REUSEADDR).
                listener.Bind(_options.ListenEndPoint);
                listener.Listen(128);
            }
            catch
            {
                listener.Dispose();
                throw;
            }
            _listener = listener;
        }
        return Task.FromResult(_listener.LocalEndPoint!);
    }

    /// <summary>Binds (if not yet), accepts peers with lower ids and dials those with higher ids,
    /// as listed in <see cref="PeerNetworkOptions.Peers"/>. Returns without waiting for links.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default) => StartAsync(_options.Peers, cancellationToken);

    /// <summary>As <see cref="StartAsync(CancellationToken)"/>, with the peers given now (their
    /// ports known only after every node bound).</summary>
    public async Task StartAsync(IReadOnlyDictionary<int, EndPoint> peers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(peers);
        if (peers.ContainsKey(_options.SelfId))
        {
            throw new ArgumentException($"peers must not contain this node's own id {_options.SelfId}", nameof(peers));
        }
        await BindAsync(cancellationToken);
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("the peer network is already started");
        }
        var states = new Dictionary<int, PeerState>();
        foreach (var (id, endPoint) in peers)
        {
            states[id] = new PeerState(id, endPoint ?? throw new ArgumentException($"peer {id} has no endpoint", nameof(peers)));
        }
        Volatile.Write(ref _peers, states);
        lock (_tasks)
        {
            _tasks.Add(AcceptLoopAsync(_listener!));
            foreach (var peer in states.Values.Where(p => p.Id > _options.SelfId))
            {
                _tasks.Add(DialLoopAsync(peer));
            }
        }
        _logger.LogInformation("node {Self} listening for peers on {EndPoint}", _options.SelfId, _listener!.LocalEndPoint);
    }

    public bool IsConnected(int peer) => _peers.TryGetValue(peer, out var state) && state.Link is not null;

    /// <summary>
    /// Queues one frame for <paramref name="peer"/> and returns at once. False, counted as a drop,
    /// when the peer is unknown, not connected, its queue is full or the frame is over the limit.
    /// </summary>
    public bool TrySend(int peer, byte frameType, ReadOnlySpan<byte> payload)
    {
        if (!FrameTypes.IsUser(frameType))
        {
            throw new ArgumentOutOfRangeException(nameof(frameType), frameType, $"user frame types are 1..{FrameTypes.MaxUser}");
        }
        if (!_peers.TryGetValue(peer, out var state))
        {
            Interlocked.Increment(ref _unknownPeerDrops);
            return false;
        }
        var link = state.Link;
        if (link is null || payload.Length > _options.MaxFrameBytes - FrameFormat.MinLength || !link.Queue.TryEnqueue(frameType, payload))
        {
            Interlocked.Increment(ref state.Drops);
            return false;
        }
        return true;
    }

    /// <summary>Queues <paramref name="message"/> as a <see cref="FrameTypes.Paxos"/> frame,
    /// encoded straight into the send queue.</summary>
    public bool TrySend(int peer, Message message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!_peers.TryGetValue(peer, out var state))
        {
            Interlocked.Increment(ref _unknownPeerDrops);
            return false;
        }
        var link = state.Link;
        if (link is null)
        {
            Interlocked.Increment(ref state.Drops);
            return false;
        }
        var size = EncodedSizeOrMax(message);
        if (size > _options.MaxFrameBytes - FrameFormat.MinLength || !link.Queue.TryEnqueue(message, size))
        {
            Interlocked.Increment(ref state.Drops);
            return false;
        }
        return true;
    }

    /// <summary>A message over 2 GB cannot be framed: it counts as too large, like any over the limit.</summary>
    private static int EncodedSizeOrMax(Message message)
    {
        try
        {
            return PaxosMessageCodec.Size(message);
        }
        catch (ArgumentException)
        {
            return int.MaxValue;
        }
    }

    /// <summary>A snapshot of every peer's counters, by ascending id.</summary>
    public IReadOnlyList<PeerStats> GetStats() =>
        _peers.Values.OrderBy(p => p.Id).Select(p => p.Snapshot()).ToArray();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _stopping.Cancel();
        _listener?.Dispose();
        foreach (var peer in _peers.Values)
        {
            peer.Link?.Close();
        }
        // Connections accepted while stopping add tasks; wait until no task is left running.
        while (true)
        {
            Task[] running;
            lock (_tasks)
            {
                _tasks.RemoveAll(t => t.IsCompleted);
                running = [.. _tasks];
            }
            if (running.Length == 0)
            {
                break;
            }
            try
            {
                await Task.WhenAll(running);
            }
            catch (Exception e)
            {
                // The tasks catch their own failures; this is a bug, but disposal must still finish.
                _logger.LogError(e, "a peer network task failed");
            }
        }
        _stopping.Dispose();
    }
}
