using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Pipelines.Sockets.Unofficial;

namespace Paxuby.Transport;

/// <summary>How links come to be and go: accepting and dialing, the handshake timeout, backoff,
/// and installing a handshaken connection as a peer's link.</summary>
public sealed partial class PeerNetwork
{
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
