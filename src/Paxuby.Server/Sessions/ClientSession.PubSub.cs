using Paxuby.Cache;
using System.Text;
using System.Threading.Channels;
using Paxuby.Resp;

namespace Paxuby.Server.Sessions;

/// <summary>SUBSCRIBE PSUBSCRIBE UNSUBSCRIBE PUNSUBSCRIBE PUBSUB, and delivery of published messages.</summary>
public sealed partial class ClientSession
{
    private readonly HashSet<string> _channels = new(StringComparer.Ordinal);
    private readonly HashSet<string> _patterns = new(StringComparer.Ordinal);

    private readonly record struct QueuedPush(byte[]? Pattern, byte[] Channel, byte[] Message);

    public bool IsSubscribed => _channels.Count + _patterns.Count > 0;

    private int SubscriptionCount => _channels.Count + _patterns.Count;

    private void Subscribe(RespCommand command, bool pattern)
    {
        EnsurePushPump();
        for (int i = 1; i < command.Count; i++)
        {
            string name = command.GetString(i);
            if (pattern)
            {
                if (_patterns.Add(name)) _node.PubSub.PSubscribe(name, this);
            }
            else if (_channels.Add(name))
            {
                _node.PubSub.Subscribe(name, this);
            }
            WriteSubscriptionReply(pattern ? "psubscribe"u8 : "subscribe"u8, command[i]);
        }
    }

    private void Unsubscribe(RespCommand command, bool pattern)
    {
        HashSet<string> set = pattern ? _patterns : _channels;
        ReadOnlySpan<byte> kind = pattern ? "punsubscribe"u8 : "unsubscribe"u8;
        if (command.Count == 1)
        {
            if (set.Count == 0)
            {
                WriteSubscriptionReply(kind, null);
                return;
            }
            foreach (string name in set.ToList())
            {
                RemoveSubscription(name, pattern);
                WriteSubscriptionReply(kind, Encoding.UTF8.GetBytes(name));
            }
            return;
        }
        for (int i = 1; i < command.Count; i++)
        {
            RemoveSubscription(command.GetString(i), pattern);
            WriteSubscriptionReply(kind, command[i]);
        }
    }

    private void RemoveSubscription(string name, bool pattern)
    {
        if (pattern)
        {
            if (_patterns.Remove(name)) _node.PubSub.PUnsubscribe(name, this);
        }
        else if (_channels.Remove(name))
        {
            _node.PubSub.Unsubscribe(name, this);
        }
    }

    private void UnsubscribeAll()
    {
        foreach (string channel in _channels) _node.PubSub.Unsubscribe(channel, this);
        foreach (string pattern in _patterns) _node.PubSub.PUnsubscribe(pattern, this);
        _channels.Clear();
        _patterns.Clear();
    }

    private void WriteSubscriptionReply(ReadOnlySpan<byte> kind, ReadOnlySpan<byte> name, bool nameIsNull = false)
    {
        RespWriter reply = Reply;
        reply.WritePushHeader(3);
        reply.WriteBulkString(kind);
        if (nameIsNull) reply.WriteNull();
        else reply.WriteBulkString(name);
        reply.WriteInteger(SubscriptionCount);
    }

    private void WriteSubscriptionReply(ReadOnlySpan<byte> kind, byte[]? name)
    {
        if (name is null) WriteSubscriptionReply(kind, [], nameIsNull: true);
        else WriteSubscriptionReply(kind, (ReadOnlySpan<byte>)name);
    }

    private void PubSubCommand(RespCommand command)
    {
        string sub = command.GetString(1).ToLowerInvariant();
        switch (sub)
        {
            case "channels" when command.Count <= 3:
                List<string> channels = _node.PubSub.ActiveChannels(command.Count == 3 ? command[2].ToArray() : null);
                Reply.WriteArrayHeader(channels.Count);
                foreach (string channel in channels) Reply.WriteBulkString(channel);
                break;
            case "numsub":
                Reply.WriteMapHeader(command.Count - 2);
                for (int i = 2; i < command.Count; i++)
                {
                    Reply.WriteBulkString(command[i]);
                    Reply.WriteInteger(_node.PubSub.SubscriberCount(command.GetString(i)));
                }
                break;
            case "numpat" when command.Count == 2:
                Reply.WriteInteger(_node.PubSub.PatternCount);
                break;
            case "help" when command.Count == 2:
                WriteHelp("PUBSUB", ["CHANNELS [<pattern>]", "NUMPAT", "NUMSUB [<channel> ...]"]);
                break;
            case "channels" or "numpat" or "help":
                CacheErrors.WriteWrongArity(Reply, "pubsub|" + sub);
                break;
            default:
                CacheErrors.WriteUnknownSubcommand(Reply, command);
                break;
        }
    }

    /// <summary>Queues a published message for this subscriber; a subscriber too slow to keep up is closed.</summary>
    public void PushMessage(byte[] channel, byte[] message) => Enqueue(new QueuedPush(null, channel, message));

    public void PushPatternMessage(byte[] pattern, byte[] channel, byte[] message) => Enqueue(new QueuedPush(pattern, channel, message));

    private void Enqueue(QueuedPush push)
    {
        if (_pushes is not null && !_pushes.Writer.TryWrite(push)) Kill();
    }

    private void EnsurePushPump()
    {
        if (_pushes is not null) return;
        _pushes = Channel.CreateBounded<QueuedPush>(new BoundedChannelOptions(PushQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _ = PumpPushesAsync(_pushes.Reader);
    }

    /// <summary>Writes queued messages between command batches; the output gate keeps replies and pushes whole.</summary>
    private async Task PumpPushesAsync(ChannelReader<QueuedPush> pushes)
    {
        try
        {
            while (await pushes.WaitToReadAsync(_closed.Token))
            {
                await _outputGate.WaitAsync(_closed.Token);
                try
                {
                    while (pushes.TryRead(out QueuedPush push))
                    {
                        RespWriter writer = Reply;
                        if (push.Pattern is null)
                        {
                            writer.WritePushHeader(3);
                            writer.WriteBulkString("message"u8);
                        }
                        else
                        {
                            writer.WritePushHeader(4);
                            writer.WriteBulkString("pmessage"u8);
                            writer.WriteBulkString(push.Pattern);
                        }
                        writer.WriteBulkString(push.Channel);
                        writer.WriteBulkString(push.Message);
                    }
                    await Output.FlushAsync(_closed.Token);
                }
                finally
                {
                    _outputGate.Release();
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException or ObjectDisposedException)
        {
            // The connection is gone; nothing left to deliver.
        }
    }
}
