using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Pipelines.Sockets.Unofficial;
using Paxuby.Server.Sessions;

namespace Paxuby.Server.Hosting;

/// <summary>Accepts Redis clients on one replica's port and runs a session for each.</summary>
public sealed class ClientListener : IAsyncDisposable
{
    private static readonly PipeOptions ConnectionPipeOptions = new(
        pauseWriterThreshold: 4 * 1024 * 1024,
        resumeWriterThreshold: 2 * 1024 * 1024,
        minimumSegmentSize: 16 * 1024,
        // Inline: a received command runs on the thread that read it, and a flushed reply is sent
        // by the thread that wrote it, with no hop through the thread pool in between.
        readerScheduler: PipeScheduler.Inline,
        writerScheduler: PipeScheduler.Inline,
        useSynchronizationContext: false);

    private static readonly TimeSpan LingerTimeout = TimeSpan.FromSeconds(2);

    private readonly NodeContext _node;
    private readonly Socket _socket;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _sessions = [];
    private Task? _acceptLoop;
    private ITimer? _idleCheck;

    public ClientListener(NodeContext node)
    {
        _node = node;
        _socket = new Socket(node.Endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
    }

    /// <summary>The bound address (the actual port when the configured one was 0).</summary>
    public IPEndPoint LocalEndpoint => (IPEndPoint)_socket.LocalEndPoint!;

    public void Start()
    {
        _socket.Bind(_node.Endpoint);
        _socket.Listen(512);
        _node.Endpoint = LocalEndpoint;
        _node.Settings.Set("port", LocalEndpoint.Port.ToString());
        _acceptLoop = AcceptLoopAsync();
        _idleCheck = _node.Time.CreateTimer(_ => CloseIdleClients(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    /// <summary>Redis's <c>timeout</c>: a client idle that many seconds is closed, except a subscriber, which waits for messages.</summary>
    private void CloseIdleClients()
    {
        if (!long.TryParse(_node.Settings.Get("timeout"), out long timeoutSeconds) || timeoutSeconds <= 0) return;
        long now = _node.NowMs;
        foreach (ClientSession client in _node.Clients.Values)
        {
            if (!client.IsSubscribed && now - client.LastCommandAtMs > timeoutSeconds * 1000) client.Kill();
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _socket.AcceptAsync(_stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stopping.IsCancellationRequested) return;
                _node.Logger.LogWarning("accept failed: {Message}", e.Message);
                continue;
            }
            Interlocked.Increment(ref _node.Stats.ConnectionsReceived);
            client.NoDelay = true;
            SocketConnection connection = SocketConnection.Create(client, ConnectionPipeOptions, SocketConnectionOptions.InlineReads | SocketConnectionOptions.InlineWrites);
            string remote = client.RemoteEndPoint?.ToString() ?? "?";
            string local = client.LocalEndPoint?.ToString() ?? "?";
            if (_node.Clients.Count >= _node.Config.Maxclients)
            {
                Interlocked.Increment(ref _node.Stats.RejectedConnections);
                _ = RejectAsync(connection);
                continue;
            }
            var session = new ClientSession(_node, connection, remote, local);
            _node.Clients[session.Id] = session;
            lock (_sessions)
            {
                _sessions.RemoveAll(t => t.IsCompleted);
                _sessions.Add(RunSessionAsync(session, connection));
            }
        }
    }

    private async Task RunSessionAsync(ClientSession session, SocketConnection connection)
    {
        await Task.Yield();
        try
        {
            await session.RunAsync(_stopping.Token);
        }
        catch (Exception e)
        {
            _node.Logger.LogError(e, "client {Id} failed", session.Id);
        }
        finally
        {
            await LingerThenDisposeAsync(connection);
        }
    }

    /// <summary>
    /// Disposing at once could drop replies still queued for the socket (a QUIT's +OK, a protocol
    /// error); waiting for the client to close after our FIN lets them out, within a bound.
    /// </summary>
    private static async Task LingerThenDisposeAsync(SocketConnection connection)
    {
        using var linger = new CancellationTokenSource(LingerTimeout);
        try
        {
            while (true)
            {
                ReadResult result = await connection.Input.ReadAsync(linger.Token);
                connection.Input.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted || result.IsCanceled) break;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException or ObjectDisposedException)
        {
            // The client did not close in time, or the socket is gone already.
        }
        finally
        {
            await connection.Input.CompleteAsync();
            connection.Dispose();
        }
    }

    private static async Task RejectAsync(SocketConnection connection)
    {
        try
        {
            await connection.Output.WriteAsync("-ERR max number of clients reached\r\n"u8.ToArray());
            await connection.Output.CompleteAsync();
        }
        finally
        {
            await LingerThenDisposeAsync(connection);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        if (_idleCheck is not null) await _idleCheck.DisposeAsync();
        _socket.Dispose();
        if (_acceptLoop is not null) await _acceptLoop;
        Task[] running;
        lock (_sessions) running = _sessions.ToArray();
        await Task.WhenAll(running).WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { });
    }
}
