using System.Text;
using Paxuby.Cache;
using Paxuby.Server.Sessions;

namespace Paxuby.Server.PubSub;

/// <summary>Channel and pattern subscriptions of one replica's clients.</summary>
public sealed class PubSubHub
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, HashSet<ClientSession>> _channels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<ClientSession>> _patterns = new(StringComparer.Ordinal);

    public void Subscribe(string channel, ClientSession session) => Add(_channels, channel, session);

    public void Unsubscribe(string channel, ClientSession session) => Remove(_channels, channel, session);

    public void PSubscribe(string pattern, ClientSession session) => Add(_patterns, pattern, session);

    public void PUnsubscribe(string pattern, ClientSession session) => Remove(_patterns, pattern, session);

    /// <summary>
    /// Passes a published message on to the replicas in other processes (their subscribers get it
    /// too); null when every replica runs in this process and shares this hub.
    /// </summary>
    public Action<byte[], byte[]>? Relay { get; set; }

    /// <summary>
    /// Delivers a message to every subscriber here and relays it to the other replicas; returns
    /// how many received it here (PUBLISH's reply, as Redis Cluster counts it: this node's).
    /// </summary>
    public long Publish(byte[] channel, byte[] message)
    {
        long delivered = DeliverRelayed(channel, message);
        Relay?.Invoke(channel, message);
        return delivered;
    }

    /// <summary>Delivers a message published at another replica to the subscribers here.</summary>
    public long DeliverRelayed(byte[] channel, byte[] message)
    {
        string channelName = Encoding.UTF8.GetString(channel);
        List<ClientSession> direct = [];
        List<(byte[] Pattern, ClientSession Session)> byPattern = [];
        lock (_gate)
        {
            if (_channels.TryGetValue(channelName, out var subscribers)) direct.AddRange(subscribers);
            foreach (var (pattern, sessions) in _patterns)
            {
                byte[] patternBytes = Encoding.UTF8.GetBytes(pattern);
                if (!GlobPattern.IsMatch(patternBytes, channel, ignoreCase: false)) continue;
                foreach (ClientSession session in sessions) byPattern.Add((patternBytes, session));
            }
        }
        foreach (ClientSession session in direct) session.PushMessage(channel, message);
        foreach (var (pattern, session) in byPattern) session.PushPatternMessage(pattern, channel, message);
        return direct.Count + byPattern.Count;
    }

    public List<string> ActiveChannels(byte[]? pattern)
    {
        lock (_gate)
        {
            return _channels.Keys
                .Where(c => pattern is null || GlobPattern.IsMatch(pattern, Encoding.UTF8.GetBytes(c), ignoreCase: false))
                .ToList();
        }
    }

    public int PatternCount
    {
        get { lock (_gate) return _patterns.Count; }
    }

    public int ChannelCount
    {
        get { lock (_gate) return _channels.Count; }
    }

    public int SubscriberCount(string channel)
    {
        lock (_gate) return _channels.TryGetValue(channel, out var sessions) ? sessions.Count : 0;
    }

    private void Add(Dictionary<string, HashSet<ClientSession>> map, string name, ClientSession session)
    {
        lock (_gate)
        {
            if (!map.TryGetValue(name, out var sessions)) map[name] = sessions = [];
            sessions.Add(session);
        }
    }

    private void Remove(Dictionary<string, HashSet<ClientSession>> map, string name, ClientSession session)
    {
        lock (_gate)
        {
            if (map.TryGetValue(name, out var sessions) && sessions.Remove(session) && sessions.Count == 0) map.Remove(name);
        }
    }
}
