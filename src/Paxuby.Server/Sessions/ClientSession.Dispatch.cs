using System.Buffers;
using System.Text;
using Paxuby.Cache;
using Paxuby.Resp;

namespace Paxuby.Server.Sessions;

public sealed partial class ClientSession
{
    private async ValueTask ExecuteAsync(RespCommand command, CancellationToken cancel)
    {
        Interlocked.Increment(ref _node.Stats.CommandsProcessed);
        LastCommandAtMs = _node.NowMs;
        CommandInfo? info = CommandTable.Find(command[0]);
        if (!IsPipelinedWrite(info, command)) await DrainWritesAsync(cancel);
        if (info is null)
        {
            DoomTransaction();
            CacheErrors.WriteUnknownCommand(Reply, command);
            return;
        }
        LastCommandName = info.Name;
        if (!info.AcceptsArgumentCount(command.Count))
        {
            DoomTransaction();
            CacheErrors.WriteWrongArity(Reply, info.Name);
            return;
        }
        if (!Authenticated && (info.Flags & CommandFlags.NoAuth) == 0)
        {
            DoomTransaction();
            Reply.WriteError("NOAUTH Authentication required."u8);
            return;
        }
        if (Protocol == 2 && IsSubscribed && !IsAllowedWhileSubscribed(info.Name))
        {
            Reply.WriteError($"ERR Can't execute '{info.Name}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context");
            return;
        }
        if (InTransaction && !IsTransactionControl(info.Name))
        {
            Queue(command, info);
            return;
        }
        if (info.IsServer)
        {
            await ExecuteServerCommandAsync(info, command, cancel);
        }
        else if (info.IsWrite)
        {
            _encoded.ResetWrittenCount();
            CacheCommandCodec.EncodeSingle(_encoded, Db, Protocol, command);
            _writesInFlight.Enqueue(_node.Engine.SubmitWriteAsync(ClientId, ++_writeSequence, _encoded.WrittenMemory, cancel));
            if (_writesInFlight.Count >= MaxWritesInFlight) await AwaitOldestWriteAsync();
        }
        else
        {
            _encoded.ResetWrittenCount();
            CacheCommandCodec.EncodeSingle(_encoded, Db, Protocol, command);
            await _node.Engine.ReadAsync(_encoded.WrittenMemory, Output, cancel);
        }
    }

    /// <summary>
    /// True for a write that can go to the log while earlier ones are still in flight: a plain
    /// state-machine write that passes every check below. Anything else waits until the writes
    /// before it are answered, so replies keep the order of the commands and reads see the writes.
    /// </summary>
    private bool IsPipelinedWrite(CommandInfo? info, RespCommand command) =>
        info is { IsWrite: true, IsServer: false } && info.AcceptsArgumentCount(command.Count) && Authenticated
        && !InTransaction && !(Protocol == 2 && IsSubscribed);

    /// <summary>Writes the replies of every write in flight, oldest first.</summary>
    private async ValueTask DrainWritesAsync(CancellationToken cancel)
    {
        while (_writesInFlight.Count > 0) await AwaitOldestWriteAsync();
    }

    private async ValueTask AwaitOldestWriteAsync()
    {
        byte[] reply = await _writesInFlight.Dequeue();
        Output.Write(reply);
    }

    /// <summary>An error found before execution dooms the transaction being queued, if any (EXECABORT).</summary>
    private void DoomTransaction()
    {
        if (InTransaction) _transactionDoomed = true;
    }

    private static bool IsAllowedWhileSubscribed(string name) => name is
        "subscribe" or "unsubscribe" or "psubscribe" or "punsubscribe" or "ssubscribe" or "sunsubscribe"
        or "ping" or "quit" or "reset";

    private static bool IsTransactionControl(string name) => name is "exec" or "discard" or "multi" or "watch" or "quit" or "reset";

    private ValueTask ExecuteServerCommandAsync(CommandInfo info, RespCommand command, CancellationToken cancel)
    {
        switch (info.Name)
        {
            case "ping": Ping(command); break;
            case "echo": Reply.WriteBulkString(command[1]); break;
            case "quit": Reply.WriteOk(); _closeAfterFlush = true; break;
            case "reset": ResetConnection(); break;
            case "hello": Hello(command); break;
            case "auth": Auth(command); break;
            case "select": Select(command); break;
            case "client": ClientCommand(command); break;
            case "info": Info(command); break;
            case "config": ConfigCommand(command); break;
            case "command": CommandCommand(command); break;
            case "time": Time(); break;
            case "role": Role(); break;
            case "lastsave": Reply.WriteInteger(_node.StartedAt.ToUnixTimeSeconds()); break;
            case "wait": Wait(command); break;
            case "save": Reply.WriteOk(); break;
            case "bgsave": Reply.WriteSimpleString("Background saving started"u8); break;
            case "subscribe": Subscribe(command, pattern: false); break;
            case "psubscribe": Subscribe(command, pattern: true); break;
            case "unsubscribe": Unsubscribe(command, pattern: false); break;
            case "punsubscribe": Unsubscribe(command, pattern: true); break;
            case "publish": Reply.WriteInteger(_node.PubSub.Publish(command[1].ToArray(), command[2].ToArray())); break;
            case "pubsub": PubSubCommand(command); break;
            case "multi": Multi(); break;
            case "exec": return ExecAsync(cancel);
            case "discard": Discard(); break;
            case "watch": Watch(command); break;
            case "unwatch": ClearWatches(); Reply.WriteOk(); break;
            // A client stopping one replica of a cluster is an operator's decision, made with a signal.
            case "shutdown": Reply.WriteError("ERR SHUTDOWN is disabled on Paxuby replicas: stop the process with SIGTERM or Ctrl+C"); break;
            case "debug": Reply.WriteError($"ERR DEBUG {Truncate(command.GetString(1))} is not supported"); break;
            default:
                Reply.WriteError($"ERR unknown command '{Truncate(command.GetString(0))}', with args beginning with: ");
                break;
        }
        return ValueTask.CompletedTask;
    }

    private static string Truncate(string text) => text.Length <= 128 ? text : text[..128];

    private static string Upper(ReadOnlySpan<byte> name) => Encoding.UTF8.GetString(name).ToUpperInvariant();

    /// <summary>
    /// WAIT: the caller's writes were each acknowledged only once a majority of replicas had
    /// accepted them, so at least half the others (rounded down) hold them already: that many is
    /// the answer, at once, whatever the number asked for.
    /// </summary>
    private void Wait(RespCommand command)
    {
        if (!RedisInteger.TryParse(command[1], out _) || !RedisInteger.TryParse(command[2], out long timeout))
        {
            Reply.WriteError(CacheErrors.NotInteger);
            return;
        }
        if (timeout < 0)
        {
            Reply.WriteError("ERR timeout is negative"u8);
            return;
        }
        Reply.WriteInteger(_node.Config.Addrs.Count / 2); // 0 for a replica that serves alone
    }
}
