using System.Buffers;
using System.IO.Pipelines;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Paxuby.Cache;
using Paxuby.Resp;
using Paxuby.Server.Engine;
using Paxuby.Server.Hosting;

namespace Paxuby.Server.Sessions;

/// <summary>
/// One client connection: reads every complete command the socket delivered, executes them in
/// order and flushes the replies once per batch. The class is split by command family
/// (connection, server, transactions, pub/sub) into partial files.
/// </summary>
public sealed partial class ClientSession
{
    /// <summary>Pushes (pub/sub messages) waiting for the connection; past this the client is too slow and is closed.</summary>
    private const int PushQueueCapacity = 65_536;

    /// <summary>Replies buffered before a flush in the middle of a batch, so a deep pipeline of big replies stays bounded.</summary>
    private const int FlushThresholdBytes = 256 * 1024;

    private readonly NodeContext _node;
    private readonly IDuplexPipe _transport;
    private readonly RespCommand _command = new();
    private readonly ArrayBufferWriter<byte> _encoded = new(1024);
    private readonly SemaphoreSlim _outputGate = new(1, 1);
    private readonly CancellationTokenSource _closed = new();
    private Channel<QueuedPush>? _pushes;
    private bool _closeAfterFlush;
    private long _writeSequence;

    /// <summary>A pipelined connection's writes travel to the log together, up to this many at once.</summary>
    private const int MaxWritesInFlight = 256;

    private readonly Queue<ValueTask<byte[]>> _writesInFlight = new();

    public ClientSession(NodeContext node, IDuplexPipe transport, string remoteAddress, string localAddress)
    {
        _node = node;
        _transport = transport;
        Id = node.NextClientId();
        RemoteAddress = remoteAddress;
        LocalAddress = localAddress;
        CreatedAtMs = node.NowMs;
        LastCommandAtMs = CreatedAtMs;
        Authenticated = string.IsNullOrEmpty(node.Settings.Requirepass);
    }

    public long Id { get; }

    /// <summary>Names this connection's writes in the log, unique across replicas and restarts (exactly-once).</summary>
    public long ClientId { get; } = Random.Shared.NextInt64(1, long.MaxValue);

    public string RemoteAddress { get; }

    public string LocalAddress { get; }

    public string? Name { get; private set; }

    public string? LibraryName { get; private set; }

    public string? LibraryVersion { get; private set; }

    public int Db { get; private set; }

    /// <summary>2 or 3, switched by HELLO.</summary>
    public int Protocol { get; private set; } = 2;

    public bool Authenticated { get; private set; }

    public long CreatedAtMs { get; }

    public long LastCommandAtMs { get; private set; }

    public string LastCommandName { get; private set; } = "NULL";

    private PipeWriter Output => _transport.Output;

    private RespWriter Reply => new(Output, Protocol);

    /// <summary>Runs until the client disconnects, QUITs, is killed, or sends a protocol error.</summary>
    public async Task RunAsync(CancellationToken shutdown)
    {
        using CancellationTokenSource linked = CancellationTokenSource.CreateLinkedTokenSource(shutdown, _closed.Token);
        CancellationToken cancel = linked.Token;
        PipeReader input = _transport.Input;
        try
        {
            while (!_closeAfterFlush)
            {
                ReadResult result = await input.ReadAsync(cancel);
                ReadOnlySequence<byte> buffer = result.Buffer;
                Interlocked.Add(ref _node.Stats.NetInputBytes, buffer.Length);
                await _outputGate.WaitAsync(cancel);
                try
                {
                    await ExecuteBatchAsync(buffer, input, result.IsCompleted, cancel);
                    await Output.FlushAsync(cancel);
                }
                finally
                {
                    _outputGate.Release();
                }
                if (result.IsCompleted) break;
            }
        }
        catch (OperationCanceledException)
        {
            // Killed, or the node is stopping.
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _node.Logger.LogDebug("client {Id} connection ended: {Message}", Id, e.Message);
        }
        finally
        {
            OnClosed();
            // Completing output sends what is buffered and then a FIN; the listener lingers on input until the client closes.
            await Output.CompleteAsync();
        }
    }

    private async ValueTask ExecuteBatchAsync(ReadOnlySequence<byte> buffer, PipeReader input, bool isCompleted, CancellationToken cancel)
    {
        ReadOnlySequence<byte> remaining = buffer;
        RespProtocolException? protocolError = null;
        try
        {
            while (!_closeAfterFlush)
            {
                bool parsed;
                try
                {
                    parsed = RespReader.TryReadCommand(ref remaining, _command, Authenticated ? _node.Limits : _node.UnauthenticatedLimits);
                }
                catch (RespProtocolException e)
                {
                    protocolError = e;
                    _closeAfterFlush = true;
                    break;
                }
                if (!parsed) break;
                if (_command.Count == 0) continue;
                if (!LentThread.TryTakeCommand()) await Task.Yield();
                ValueTask execution = ExecuteAsync(_command, cancel);
                if (!execution.IsCompletedSuccessfully) await execution;
                if (Output.CanGetUnflushedBytes && Output.UnflushedBytes > FlushThresholdBytes) await Output.FlushAsync(cancel);
            }
            // Replies of writes still in flight come before anything after them, the error included.
            // Awaited here rather than through DrainWritesAsync: a lone write per read (one client,
            // no pipelining) then suspends one state machine, not three.
            while (_writesInFlight.Count > 0) Output.Write(await _writesInFlight.Dequeue());
            if (protocolError is not null) Reply.WriteError(protocolError);
        }
        finally
        {
            // Everything up to the last whole command is consumed; the rest has been examined.
            input.AdvanceTo(remaining.Start, remaining.End);
        }
    }

    /// <summary>Closes the connection after pending replies are flushed (CLIENT KILL, slow subscriber).</summary>
    public void Kill() => _closed.Cancel();

    private void OnClosed()
    {
        _node.Clients.TryRemove(Id, out _);
        UnsubscribeAll();
        _pushes?.Writer.TryComplete();
    }
}
