using System.Buffers;
using Paxuby.Cache;
using Paxuby.Resp;

namespace Paxuby.Server.Sessions;

/// <summary>
/// MULTI/EXEC/DISCARD/WATCH/UNWATCH. The queued state-machine commands of one EXEC travel as a
/// single log command, so the whole transaction is applied atomically, at one point of the log,
/// on every replica; WATCH tokens travel with it and the state machine checks them there.
/// </summary>
public sealed partial class ClientSession
{
    private List<(RespCommand Command, CommandInfo Info)>? _queued;
    private bool _transactionDoomed;
    private readonly List<WatchedKey> _watched = [];
    private readonly ArrayBufferWriter<byte> _transactionReply = new(256);

    private bool InTransaction => _queued is not null;

    private void Multi()
    {
        if (InTransaction)
        {
            Reply.WriteError(CacheErrors.MultiNested);
            return;
        }
        _queued = [];
        _transactionDoomed = false;
        Reply.WriteOk();
    }

    private void Queue(RespCommand command, CommandInfo info)
    {
        if ((info.Flags & CommandFlags.NoMulti) != 0)
        {
            DoomTransaction();
            Reply.WriteError("ERR Command not allowed inside a transaction"u8);
            return;
        }
        var copy = new RespCommand(command.PayloadBytes + 16, command.Count);
        for (int i = 0; i < command.Count; i++) copy.Add(command[i]);
        _queued!.Add((copy, info));
        Output.Write(RespStrings.Queued);
    }

    private void Discard()
    {
        if (!InTransaction)
        {
            Reply.WriteError(CacheErrors.DiscardWithoutMulti);
            return;
        }
        DiscardTransaction();
        ClearWatches();
        Reply.WriteOk();
    }

    private void DiscardTransaction()
    {
        _queued = null;
        _transactionDoomed = false;
    }

    private void Watch(RespCommand command)
    {
        if (InTransaction)
        {
            Reply.WriteError(CacheErrors.WatchInsideMulti);
            return;
        }
        for (int i = 1; i < command.Count; i++)
        {
            _watched.Add(new WatchedKey(Db, command[i].ToArray(), _node.Engine.GetWatchVersion(Db, command[i])));
        }
        Reply.WriteOk();
    }

    private void ClearWatches() => _watched.Clear();

    private async ValueTask ExecAsync(CancellationToken cancel)
    {
        if (!InTransaction)
        {
            Reply.WriteError(CacheErrors.ExecWithoutMulti);
            return;
        }
        var queued = _queued!;
        bool doomed = _transactionDoomed;
        DiscardTransaction();
        if (doomed)
        {
            ClearWatches();
            Reply.WriteError(CacheErrors.ExecAbort);
            return;
        }

        var replicated = new List<RespCommand>();
        foreach (var (command, info) in queued)
        {
            if (ExecutesInStateMachine(info)) replicated.Add(command);
        }
        ReplySplitter.Element[] replicatedReplies = [];
        _transactionReply.ResetWrittenCount();
        if (replicated.Count > 0 || _watched.Count > 0)
        {
            byte[] encoded = CacheCommandCodec.EncodeTransaction(Db, Protocol, replicated, _watched);
            _transactionReply.Write(await _node.Engine.SubmitWriteAsync(ClientId, ++_writeSequence, encoded, cancel));
            if (!ReplySplitter.TrySplitArray(_transactionReply.WrittenSpan, out replicatedReplies))
            {
                // A null array: a watched key changed, nothing ran.
                ClearWatches();
                Reply.WriteNullArray();
                return;
            }
        }
        ClearWatches();

        Reply.WriteArrayHeader(queued.Count);
        int next = 0;
        foreach (var (command, info) in queued)
        {
            if (ExecutesInStateMachine(info))
            {
                ReadOnlySpan<byte> element = replicatedReplies[next++].Slice(_transactionReply.WrittenSpan);
                Output.Write(element);
                if (info.Name == "select" && element.SequenceEqual(RespStrings.Ok)) Db = ParseDb(command);
            }
            else
            {
                await ExecuteServerCommandAsync(info, command, cancel);
            }
        }
    }

    /// <summary>Commands of the keyspace and SELECT run inside the replicated transaction; the rest on this node.</summary>
    private static bool ExecutesInStateMachine(CommandInfo info) => !info.IsServer || info.Name == "select";

    private static int ParseDb(RespCommand select) => RedisInteger.TryParse(select[1], out long db) ? (int)db : 0;
}
