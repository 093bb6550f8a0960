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
public sealed class PeerNetwork : IAsyncDisposable
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
                // A restarted node must get its port back while old connections sit in TIME_WAIT.
                listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
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
        var size = PaxosMessageCodec.Size(message);
        if (size > _options.MaxFrameBytes - FrameFormat.MinLength || !link.Queue.TryEnqueue(message, size))
        {
            Interlocked.Increment(ref state.Drops);
            return false;
        }
        return true;
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

    private async Task AcceptLoopAsync(Socket listener)
    {
        await Task.Yield();
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(_stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stopping.IsCancellationRequested)
                {
                    return;
                }
                _logger.LogWarning("accepting a peer connection failed: {Message}", e.Message);
                // Out of descriptors or similar: pause instead of spinning on the same error.
                if (!await BackoffAsync(1))
                {
                    return;
                }
                continue;
            }
            if (Interlocked.Increment(ref _pendingHandshakes) > _options.MaxPendingHandshakes)
            {
                Interlocked.Decrement(ref _pendingHandshakes);
                _logger.LogWarning("refusing a connection from {Remote}: {Max} handshakes already pending", socket.RemoteEndPoint, _options.MaxPendingHandshakes);
                socket.Dispose();
                continue;
            }
            lock (_tasks)
            {
                _tasks.RemoveAll(t => t.IsCompleted);
                _tasks.Add(AcceptPeerAsync(socket));
            }
        }
    }

    private async Task AcceptPeerAsync(Socket socket)
    {
        await Task.Yield();
        var remote = "?";
        SocketConnection? connection = null;
        int peerId;
        try
        {
            remote = socket.RemoteEndPoint?.ToString() ?? remote;
            ConfigureSocket(socket);
            connection = SocketConnection.Create(socket, _sendPipe, _receivePipe);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            timeout.CancelAfter(_options.HandshakeTimeout);
            peerId = await PeerHandshake.AcceptAsync(connection, _options, _peers.ContainsKey, timeout.Token);
        }
        catch (Exception e)
        {
            if (!_stopping.IsCancellationRequested)
            {
                var reason = e is OperationCanceledException ? $"no handshake within {_options.HandshakeTimeout.TotalMilliseconds} ms" : e.Message;
                _logger.LogWarning("refused peer connection from {Remote}: {Reason}", remote, reason);
            }
            if (connection is not null)
            {
                await CloseAsync(connection);
            }
            socket.Dispose();
            return;
        }
        finally
        {
            Interlocked.Decrement(ref _pendingHandshakes);
        }
        await RunLinkAsync(_peers[peerId], connection);
    }

    private async Task DialLoopAsync(PeerState peer)
    {
        await Task.Yield();
        var failures = 0;
        while (!_stopping.IsCancellationRequested)
        {
            SocketConnection? connection = null;
            var socket = new Socket(peer.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
                timeout.CancelAfter(_options.HandshakeTimeout);
                ConfigureSocket(socket);
                await socket.ConnectAsync(peer.EndPoint, timeout.Token);
                connection = SocketConnection.Create(socket, _sendPipe, _receivePipe);
                await PeerHandshake.DialAsync(connection, _options, peer.Id, timeout.Token);
            }
            catch (Exception e)
            {
                if (connection is not null)
                {
                    await CloseAsync(connection);
                }
                socket.Dispose();
                if (_stopping.IsCancellationRequested)
                {
                    return;
                }
                failures++;
                LogDialFailure(peer, e, failures);
                if (!await BackoffAsync(failures))
                {
                    return;
                }
                continue;
            }
            failures = 0;
            await RunLinkAsync(peer, connection);
            if (!await BackoffAsync(0))
            {
                return;
            }
        }
    }

    private void LogDialFailure(PeerState peer, Exception e, int failures)
    {
        switch (e)
        {
            case PeerProtocolException:
                _logger.LogWarning("handshake with peer {Peer} at {EndPoint} failed: {Reason}", peer.Id, peer.EndPoint, e.Message);
                break;
            case OperationCanceledException:
                _logger.LogWarning("peer {Peer} at {EndPoint} did not complete a handshake within {Timeout} ms", peer.Id, peer.EndPoint, _options.HandshakeTimeout.TotalMilliseconds);
                break;
            default:
                // Refused connections are routine while a peer restarts: say so once, then quietly.
                _logger.Log(failures == 1 ? LogLevel.Information : LogLevel.Debug,
                    "cannot reach peer {Peer} at {EndPoint}: {Message}", peer.Id, peer.EndPoint, e.Message);
                break;
        }
    }

    /// <summary>Exponential backoff from ReconnectMin to ReconnectMax with jitter, so that nodes
    /// restarted together do not dial in lockstep. False when stopping.</summary>
    private async Task<bool> BackoffAsync(int failures)
    {
        var min = _options.ReconnectMin.TotalMilliseconds;
        var max = _options.ReconnectMax.TotalMilliseconds;
        var delay = Math.Min(max, min * Math.Pow(2, Math.Min(failures, 30)));
        delay = delay / 2 + Random.Shared.NextDouble() * delay / 2;
        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(delay), _stopping.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Installs a handshaken connection as the peer's link, runs it until it closes, then
    /// removes it. A newer link replaces an older one silently; up/down fire only on real
    /// transitions, each under the peer's lock together with the swap, so they alternate.</summary>
    private async Task RunLinkAsync(PeerState peer, SocketConnection connection)
    {
        var link = new PeerLink(peer, connection, _handler, _logger, _options);
        PeerLink? old;
        lock (peer.EventLock)
        {
            if (_stopping.IsCancellationRequested)
            {
                old = null;
                link = null;
            }
            else
            {
                old = peer.Link;
                peer.Link = link;
                if (peer.EverLinked)
                {
                    Interlocked.Increment(ref peer.Reconnects);
                }
                peer.EverLinked = true;
                if (old is null)
                {
                    _logger.LogInformation("link to peer {Peer} is up", peer.Id);
                    RaiseEvent(peer, up: true);
                }
            }
        }
        if (link is null)
        {
            await CloseAsync(connection);
            return;
        }
        if (old is not null)
        {
            _logger.LogInformation("peer {Peer} connected again: replacing its old link", peer.Id);
            old.Close();
            // The old link's receive loop must be over before the new one delivers a frame.
            await old.Completion;
        }

        link.Start();
        if (_stopping.IsCancellationRequested)
        {
            link.Close();
        }
        await link.Completion;

        lock (peer.EventLock)
        {
            if (peer.Link == link)
            {
                peer.Link = null;
                _logger.LogInformation("link to peer {Peer} is down", peer.Id);
                RaiseEvent(peer, up: false);
            }
        }
    }

    /// <summary>Called under the peer's lock; a failing handler is logged, never fatal.</summary>
    private void RaiseEvent(PeerState peer, bool up)
    {
        try
        {
            if (up)
            {
                _handler.OnPeerUp(peer.Id);
            }
            else
            {
                _handler.OnPeerDown(peer.Id);
            }
        }
        catch (Exception e)
        {
            _logger.LogError(e, "peer {Event} handler for peer {Peer} failed", up ? "up" : "down", peer.Id);
        }
    }

    private static void ConfigureSocket(Socket socket)
    {
        socket.NoDelay = true;
        try
        {
            // A peer that vanished without a FIN/RST is noticed in seconds, not in minutes.
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, 5);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, 1);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, 3);
        }
        catch (SocketException)
        {
            // Keep-alive tuning is not available everywhere; the link still works without it.
        }
    }

    internal static async Task CloseAsync(SocketConnection connection)
    {
        try
        {
            connection.Dispose();
            await connection.Input.CompleteAsync();
            await connection.Output.CompleteAsync();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or SocketException)
        {
            // Already torn down: nothing left to release.
        }
    }
}
