using System.Buffers;
using System.IO.Pipelines;
using Microsoft.Extensions.Logging;
using Pipelines.Sockets.Unofficial;

namespace Paxuby.Transport;

/// <summary>
/// One established (handshaken) connection to a peer: a receive loop that hands frames to the
/// handler and a single writer that drains the send queue into the socket, flushing once per
/// drained batch. When either loop ends, for whatever reason, the whole link closes.
/// </summary>
internal sealed class PeerLink
{
    private readonly PeerState _peer;
    private readonly SocketConnection _connection;
    private readonly IPeerFrameHandler _handler;
    private readonly ILogger _logger;
    private readonly int _maxFrameBytes;
    private readonly CancellationTokenSource _closing = new();
    private Task? _completion;

    public PeerLink(PeerState peer, SocketConnection connection, IPeerFrameHandler handler, ILogger logger, PeerNetworkOptions options)
    {
        _peer = peer;
        _connection = connection;
        _handler = handler;
        _logger = logger;
        _maxFrameBytes = options.MaxFrameBytes;
        Queue = new SendQueue(options.MaxQueuedBytesPerPeer, options.MaxQueuedFramesPerPeer);
    }

    public SendQueue Queue { get; }

    /// <summary>Completes (never faults) when the link has closed and released its socket.</summary>
    public Task Completion => Volatile.Read(ref _completion) ?? Task.CompletedTask;

    public void Start() => Volatile.Write(ref _completion, RunAsync());

    /// <summary>Asks the link to close; <see cref="Completion"/> tells when it has.</summary>
    public void Close()
    {
        try
        {
            _closing.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task RunAsync()
    {
        await Task.Yield();
        var receive = ReceiveLoopAsync(_closing.Token);
        var send = SendLoopAsync(_closing.Token);
        await Task.WhenAny(receive, send);
        _closing.Cancel();
        // Aborting the socket wakes a writer stuck in a flush to a peer that stopped reading.
        _connection.Dispose();
        // Both loops catch everything: awaiting them cannot throw. Only then are the pipes
        // completed, which returns their memory: a handler may be reading it until then.
        await Task.WhenAll(receive, send);
        await PeerNetwork.CloseAsync(_connection);
        Queue.Close();
        _closing.Dispose();
    }

    private async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        var input = _connection.Input;
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(cancellationToken);
                var buffer = result.Buffer;
                try
                {
                    while (FrameReader.TryRead(ref buffer, _maxFrameBytes, out var frameType, out var payload))
                    {
                        if (!Deliver(frameType, payload))
                        {
                            return;
                        }
                    }
                }
                finally
                {
                    input.AdvanceTo(buffer.Start, result.Buffer.End);
                }
                if (result.IsCompleted || result.IsCanceled)
                {
                    if (!buffer.IsEmpty)
                    {
                        _logger.LogWarning("link to peer {Peer} closed in the middle of a frame ({Bytes} bytes pending)", _peer.Id, buffer.Length);
                    }
                    else
                    {
                        _logger.LogInformation("link to peer {Peer} closed by the peer", _peer.Id);
                    }
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (PeerProtocolException e)
        {
            _logger.LogError("closing the link to peer {Peer}: protocol error: {Message}", _peer.Id, e.Message);
        }
        catch (Exception e) when (IsConnectionError(e))
        {
            _logger.LogInformation("link to peer {Peer} lost: {Message}", _peer.Id, e.Message);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "closing the link to peer {Peer} after an unexpected error while receiving", _peer.Id);
        }
    }

    /// <summary>False once this link has been replaced: its late frames are not delivered.</summary>
    private bool Deliver(byte frameType, in ReadOnlySequence<byte> payload)
    {
        if (!FrameTypes.IsUser(frameType))
        {
            throw new PeerProtocolException($"frame type {frameType} is not allowed on an open link");
        }
        if (_peer.Link != this)
        {
            return false;
        }
        Interlocked.Increment(ref _peer.FramesReceived);
        Interlocked.Add(ref _peer.BytesReceived, FrameFormat.HeaderBytes + payload.Length);
        if (payload.IsSingleSegment)
        {
            _handler.OnFrame(_peer.Id, frameType, payload.FirstSpan);
            return true;
        }
        // A frame split across pipe segments is stitched in a pooled buffer, never allocated.
        var length = (int)payload.Length;
        var copy = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            payload.CopyTo(copy);
            _handler.OnFrame(_peer.Id, frameType, copy.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
        return true;
    }

    private async Task SendLoopAsync(CancellationToken cancellationToken)
    {
        PipeWriter output = _connection.Output;
        try
        {
            while (await Queue.WaitAsync(cancellationToken))
            {
                var taken = Queue.Take(out var frames, out var bytes);
                try
                {
                    foreach (var chunk in taken)
                    {
                        output.Write(chunk.Span);
                    }
                }
                finally
                {
                    Queue.Release(taken, frames, bytes);
                }
                if (frames == 0)
                {
                    continue;
                }
                Interlocked.Add(ref _peer.FramesSent, frames);
                Interlocked.Add(ref _peer.BytesSent, bytes);
                var flush = await output.FlushAsync(cancellationToken);
                if (flush.IsCompleted || flush.IsCanceled)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e) when (IsConnectionError(e))
        {
            _logger.LogInformation("link to peer {Peer} lost while sending: {Message}", _peer.Id, e.Message);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "closing the link to peer {Peer} after an unexpected error while sending", _peer.Id);
        }
    }

    private static bool IsConnectionError(Exception e) =>
        e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException or ConnectionResetException or ConnectionAbortedException;
}
