using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Paxuby.Consensus;

namespace Paxuby.Transport.Tests;

public class PeerNetworkTests
{
    private static byte[] Counter(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        return bytes;
    }

    private static Message Accept(int from, int to, long slot)
    {
        var ballot = new Ballot(1, from);
        return new Message
        {
            Type = MessageType.Accept,
            From = from,
            To = to,
            Ballot = ballot,
            Slot = slot,
            CommitIndex = slot - 1,
            RequestTick = slot * 10,
            Batch = Messages.Batch(slot, ballot, 2),
        };
    }

    private static async Task WaitAllUpAsync(TestNode[] nodes)
    {
        foreach (var node in nodes)
        {
            await node.WaitUpAsync(nodes.Where(n => n != node).Select(n => n.Id).ToArray());
        }
    }

    [Fact]
    public async Task Three_nodes_all_pairs_exchange_paxos_messages_in_fifo_order_per_link()
    {
        var nodes = await TestNode.StartClusterAsync(3);
        try
        {
            await WaitAllUpAsync(nodes);
            const int perLink = 300;
            foreach (var sender in nodes)
            {
                foreach (var receiver in nodes.Where(n => n != sender))
                {
                    for (var slot = 1; slot <= perLink; slot++)
                    {
                        Assert.True(sender.Network.TrySend(receiver.Id, Accept(sender.Id, receiver.Id, slot)));
                    }
                }
            }
            foreach (var receiver in nodes)
            {
                foreach (var sender in nodes.Where(n => n != receiver))
                {
                    await receiver.Handler.WaitUntilAsync(() => receiver.Handler.Frames(sender.Id).Count == perLink, $"{perLink} frames {sender.Id}->{receiver.Id}");
                    var messages = receiver.Handler.PaxosFrom(sender.Id);
                    Assert.Equal(Enumerable.Range(1, perLink).Select(s => (long)s), messages.Select(m => m.Slot));
                    Messages.AssertEqual(Accept(sender.Id, receiver.Id, 7), messages[6]);
                }
            }
            var stats = nodes[0].Network.GetStats();
            Assert.Equal(new[] { 2, 3 }, stats.Select(s => s.PeerId));
            Assert.All(stats, s => Assert.True(s.Connected));
            Assert.All(stats, s => Assert.Equal(perLink, s.FramesSent));
            Assert.All(stats, s => Assert.Equal(perLink, s.FramesReceived));
            Assert.All(stats, s => Assert.Equal(0, s.Drops));
        }
        finally
        {
            await TestNode.DisposeAllAsync(nodes);
        }
    }

    [Fact]
    public async Task Twenty_thousand_small_frames_each_way_arrive_in_order()
    {
        var nodes = await TestNode.StartClusterAsync(2);
        try
        {
            await WaitAllUpAsync(nodes);
            const int count = 20_000;
            var send1 = Task.Run(() => Enumerable.Range(0, count).All(i => nodes[0].Network.TrySend(2, FrameTypes.ForwardRequest, Counter(i))));
            var send2 = Task.Run(() => Enumerable.Range(0, count).All(i => nodes[1].Network.TrySend(1, FrameTypes.ForwardReply, Counter(i))));
            Assert.True(await send1);
            Assert.True(await send2);
            await nodes[1].Handler.WaitUntilAsync(() => nodes[1].Handler.Frames(1).Count == count, "all frames 1->2");
            await nodes[0].Handler.WaitUntilAsync(() => nodes[0].Handler.Frames(2).Count == count, "all frames 2->1");
            Assert.Equal(Enumerable.Range(0, count), nodes[1].Handler.CountersFrom(1));
            Assert.Equal(Enumerable.Range(0, count), nodes[0].Handler.CountersFrom(2));
            Assert.All(nodes[1].Handler.Frames(1), f => Assert.Equal(FrameTypes.ForwardRequest, f.Type));
        }
        finally
        {
            await TestNode.DisposeAllAsync(nodes);
        }
    }

    [Fact]
    public async Task Large_frames_spanning_many_pipe_segments_arrive_intact()
    {
        var nodes = await TestNode.StartClusterAsync(2);
        try
        {
            await WaitAllUpAsync(nodes);
            var sizes = new[] { 1, 100_000, 1 << 20, 3 * (1 << 20) + 7, 10 };
            var payloads = sizes.Select(size =>
            {
                var bytes = new byte[size];
                new Random(size).NextBytes(bytes);
                return bytes;
            }).ToArray();
            foreach (var payload in payloads)
            {
                Assert.True(nodes[0].Network.TrySend(2, FrameTypes.SnapshotChunk, payload));
            }
            await nodes[1].Handler.WaitUntilAsync(() => nodes[1].Handler.Frames(1).Count == payloads.Length, "the large frames");
            var received = nodes[1].Handler.Frames(1);
            for (var i = 0; i < payloads.Length; i++)
            {
                // SequenceEqual: xunit's collection diffing is slow on megabyte arrays.
                Assert.True(payloads[i].AsSpan().SequenceEqual(received[i].Payload), $"frame {i} of {sizes[i]} bytes differs");
            }
        }
        finally
        {
            await TestNode.DisposeAllAsync(nodes);
        }
    }

    [Fact]
    public async Task A_restarted_peer_on_the_same_port_is_reconnected_and_frames_flow_again()
    {
        var nodes = await TestNode.StartClusterAsync(3);
        TestNode? restarted = null;
        try
        {
            await WaitAllUpAsync(nodes);
            var port = nodes[1].EndPoint.Port;
            await nodes[1].DisposeAsync();
            await nodes[0].WaitDownAsync(2);
            await nodes[2].WaitDownAsync(2);
            // Disposal closed the listener too.
            using (var probe = new TcpClient())
            {
                await Assert.ThrowsAsync<SocketException>(() => probe.ConnectAsync(IPAddress.Loopback, port));
            }
            Assert.False(nodes[0].Network.TrySend(2, FrameTypes.Paxos, [1]));

            restarted = await TestNode.BindAsync(2, port: port);
            await restarted.Network.StartAsync(TestNode.PeersOf(2, [nodes[0], nodes[2]]));
            await restarted.WaitUpAsync(1, 3);
            await nodes[0].WaitUpAsync(2);
            await nodes[2].WaitUpAsync(2);

            Assert.True(nodes[0].Network.TrySend(2, Accept(1, 2, 1)));
            Assert.True(nodes[2].Network.TrySend(2, Accept(3, 2, 1)));
            Assert.True(restarted.Network.TrySend(1, Accept(2, 1, 5)));
            Assert.True(restarted.Network.TrySend(3, Accept(2, 3, 5)));
            await restarted.Handler.WaitUntilAsync(() => restarted.Handler.Frames().Count == 2, "frames to the restarted node");
            await nodes[0].Handler.WaitUntilAsync(() => nodes[0].Handler.PaxosFrom(2).Any(m => m.Slot == 5), "frame from the restarted node to 1");
            await nodes[2].Handler.WaitUntilAsync(() => nodes[2].Handler.PaxosFrom(2).Any(m => m.Slot == 5), "frame from the restarted node to 3");
            Assert.Equal(1, nodes[0].Network.GetStats().Single(s => s.PeerId == 2).Reconnects);
            Assert.Equal([(2, true), (2, false), (2, true)], nodes[0].Handler.Events().Where(e => e.Peer == 2));
        }
        finally
        {
            await TestNode.DisposeAllAsync([nodes[0], nodes[2], restarted]);
        }
    }

    [Fact]
    public async Task A_wrong_cluster_id_is_refused_and_both_sides_log_why()
    {
        var one = await TestNode.BindAsync(1, o => With(o, clusterId: "cluster-a"));
        var two = await TestNode.BindAsync(2, o => With(o, clusterId: "cluster-b"));
        try
        {
            await one.Network.StartAsync(TestNode.PeersOf(1, [two]));
            await two.Network.StartAsync(TestNode.PeersOf(2, [one]));
            await two.Logger.WaitForAsync(LogLevel.Warning, "cluster id mismatch");
            await one.Logger.WaitForAsync(LogLevel.Warning, "refused by the peer: cluster id mismatch");
            // The dialer backs off and tries again: a second refusal proves it kept failing.
            await two.Logger.Signal.WaitUntilAsync(() => two.Logger.Count(LogLevel.Warning, "cluster id mismatch") >= 2, "a second refusal");
            Assert.Empty(one.Handler.Events());
            Assert.Empty(two.Handler.Events());
            Assert.False(one.Network.TrySend(2, FrameTypes.Paxos, [1]));
            Assert.Empty(two.Handler.Frames());
        }
        finally
        {
            await TestNode.DisposeAllAsync([one, two]);
        }
    }

    [Theory]
    [InlineData("secret-one", "secret-two", "secrets differ")]
    [InlineData("secret-one", null, "has no cluster secret configured")]
    [InlineData(null, "secret-two", "requires a cluster secret")]
    public async Task A_secret_mismatch_is_refused(string? dialerSecret, string? acceptorSecret, string reason)
    {
        var one = await TestNode.BindAsync(1, o => With(o, secret: dialerSecret));
        var two = await TestNode.BindAsync(2, o => With(o, secret: acceptorSecret));
        try
        {
            await one.Network.StartAsync(TestNode.PeersOf(1, [two]));
            await two.Network.StartAsync(TestNode.PeersOf(2, [one]));
            await one.Logger.WaitForAsync(LogLevel.Warning, reason);
            await two.Logger.WaitForAsync(LogLevel.Warning, "refused peer connection");
            Assert.Empty(one.Handler.Events());
            Assert.Empty(two.Handler.Events());
            Assert.False(one.Network.TrySend(2, FrameTypes.Paxos, [1]));
            Assert.Empty(two.Handler.Frames());
        }
        finally
        {
            await TestNode.DisposeAllAsync([one, two]);
        }
    }

    [Fact]
    public async Task The_same_secret_on_both_sides_links_up()
    {
        var nodes = await TestNode.StartClusterAsync(3, o => With(o, secret: "shared-secret"));
        try
        {
            await WaitAllUpAsync(nodes);
            Assert.True(nodes[0].Network.TrySend(3, FrameTypes.Paxos, [9]));
            await nodes[2].Handler.WaitUntilAsync(() => nodes[2].Handler.Frames(1).Count == 1, "a frame 1->3");
        }
        finally
        {
            await TestNode.DisposeAllAsync(nodes);
        }
    }

    [Fact]
    public async Task Garbage_huge_lengths_wrong_versions_and_silence_do_not_disturb_the_other_links()
    {
        var nodes = await TestNode.StartClusterAsync(2, o => With(o, handshakeTimeout: TimeSpan.FromMilliseconds(300)));
        var raws = new List<RawPeer>();
        try
        {
            await WaitAllUpAsync(nodes);
            var target = nodes[1].EndPoint;
            var huge = new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 1, 64 };
            var wrongVersion = new byte[] { 10, 0, 0, 0, 9, 64, 0, 0, 0, 0, 0, 0 };
            var garbage = new byte[4096];
            new Random(5).NextBytes(garbage);
            var tooShort = new byte[] { 1, 0, 0, 0, 1 };
            foreach (var bytes in new[] { huge, wrongVersion, garbage, tooShort, Array.Empty<byte>() })
            {
                var raw = await RawPeer.ConnectAsync(target);
                raws.Add(raw);
                if (bytes.Length > 0)
                {
                    await raw.SendAsync(bytes);
                }
            }
            foreach (var raw in raws)
            {
                await raw.WaitClosedAsync();
            }
            Assert.True(nodes[1].Logger.Contains(LogLevel.Warning, "exceeds the limit"));
            Assert.True(nodes[1].Logger.Contains(LogLevel.Warning, "version 9"));
            Assert.True(nodes[1].Logger.Contains(LogLevel.Warning, "no handshake within"));

            Assert.True(nodes[0].Network.TrySend(2, Accept(1, 2, 1)));
            Assert.True(nodes[1].Network.TrySend(1, Accept(2, 1, 1)));
            await nodes[1].Handler.WaitUntilAsync(() => nodes[1].Handler.Frames(1).Count == 1, "a frame 1->2");
            await nodes[0].Handler.WaitUntilAsync(() => nodes[0].Handler.Frames(2).Count == 1, "a frame 2->1");
            Assert.Equal([(2, true)], nodes[0].Handler.Events());
            Assert.Equal([(1, true)], nodes[1].Handler.Events());
        }
        finally
        {
            foreach (var raw in raws)
            {
                await raw.DisposeAsync();
            }
            await TestNode.DisposeAllAsync(nodes);
        }
    }

    [Theory]
    [InlineData(new byte[] { 10, 0, 0, 0, 7, 1, 0, 0, 0, 0, 0, 0 }, "version 7")]
    [InlineData(new byte[] { 0, 0, 0, 64, 1, 1 }, "exceeds the limit")]
    [InlineData(new byte[] { 2, 0, 0, 0, 1, 65 }, "not allowed on an open link")]
    public async Task A_bad_frame_from_a_handshaken_peer_closes_only_that_link(byte[] badFrame, string error)
    {
        // Node 2 expects node 1 to dial it (a raw socket plays node 1) and itself dials node 3.
        var two = await TestNode.BindAsync(2);
        var three = await TestNode.BindAsync(3);
        try
        {
            await two.Network.StartAsync(new Dictionary<int, EndPoint> { [1] = new IPEndPoint(IPAddress.Loopback, 1), [3] = three.EndPoint });
            await three.Network.StartAsync(TestNode.PeersOf(3, [two]));
            await two.WaitUpAsync(3);

            await using var fake = await RawPeer.ConnectAsync(two.EndPoint);
            await fake.DialHandshakeAsync("test-cluster", 1, 2);
            await two.WaitUpAsync(1);
            await fake.SendAsync(badFrame);
            await two.WaitDownAsync(1);
            await fake.WaitClosedAsync();
            Assert.True(two.Logger.Contains(LogLevel.Error, error), two.Logger.ToString());

            Assert.True(two.Network.TrySend(3, FrameTypes.Paxos, [1]));
            await three.Handler.WaitUntilAsync(() => three.Handler.Frames(2).Count == 1, "a frame 2->3");
            Assert.True(two.Handler.IsUp(3));
        }
        finally
        {
            await TestNode.DisposeAllAsync([two, three]);
        }
    }

    [Fact]
    public async Task A_peer_that_never_reads_fills_only_its_own_queue()
    {
        // Node 1 dials node 2 (real) and node 3 (a raw socket that handshakes, then never reads).
        using var fakeListener = new TcpListener(IPAddress.Loopback, 0);
        fakeListener.Start();
        var one = await TestNode.BindAsync(1, o => With(o, maxQueuedBytes: 256 * 1024));
        var two = await TestNode.BindAsync(2);
        RawPeer? fake = null;
        try
        {
            await one.Network.StartAsync(new Dictionary<int, EndPoint> { [2] = two.EndPoint, [3] = fakeListener.LocalEndpoint });
            await two.Network.StartAsync(TestNode.PeersOf(2, [one]));
            fake = RawPeer.Wrap(await fakeListener.AcceptTcpClientAsync());
            await fake.AcceptHandshakeAsync();
            await one.WaitUpAsync(2, 3);

            var payload = new byte[16 * 1024];
            var accepted = 0;
            // Kernel buffers and the send pipe absorb some megabytes first; the cap only stops a broken bound.
            while (one.Network.TrySend(3, FrameTypes.SnapshotChunk, payload))
            {
                Assert.True(++accepted < 20_000, "the send queue of a peer that never reads did not fill up");
            }
            Assert.True(one.Network.GetStats().Single(s => s.PeerId == 3).Drops >= 1);
            Assert.True(one.Network.GetStats().Single(s => s.PeerId == 3).QueuedBytes <= 256 * 1024 + payload.Length + 6);

            for (var i = 0; i < 100; i++)
            {
                Assert.True(one.Network.TrySend(2, FrameTypes.Paxos, Counter(i)));
            }
            await two.Handler.WaitUntilAsync(() => two.Handler.Frames(1).Count == 100, "frames 1->2 while 3 is stuck");
            Assert.Equal(Enumerable.Range(0, 100), two.Handler.CountersFrom(1));
        }
        finally
        {
            await TestNode.DisposeAllAsync([one, two]);
            if (fake is not null)
            {
                await fake.DisposeAsync();
            }
            fakeListener.Stop();
        }
    }

    [Fact]
    public async Task Frames_that_arrive_together_with_the_handshake_are_delivered_at_once()
    {
        using var fakeListener = new TcpListener(IPAddress.Loopback, 0);
        fakeListener.Start();
        var one = await TestNode.BindAsync(1);
        try
        {
            await one.Network.StartAsync(new Dictionary<int, EndPoint> { [2] = fakeListener.LocalEndpoint });
            await using var fake = RawPeer.Wrap(await fakeListener.AcceptTcpClientAsync());
            // Ready and two frames in one write: the node must not wait for more bytes to see them.
            await fake.AcceptHandshakeAsync([.. RawPeer.Frame(FrameTypes.Paxos, Counter(1)), .. RawPeer.Frame(FrameTypes.Paxos, Counter(2))]);
            await one.Handler.WaitUntilAsync(() => one.Handler.Frames(2).Count == 2, "the frames sent with Ready");
            Assert.Equal([1, 2], one.Handler.CountersFrom(2));
            Assert.Equal([(2, true)], one.Handler.Events());
        }
        finally
        {
            await one.DisposeAsync();
            fakeListener.Stop();
        }
    }

    [Fact]
    public async Task A_new_valid_connection_for_a_pair_replaces_the_old_one()
    {
        var nodes = await TestNode.StartClusterAsync(2);
        try
        {
            await WaitAllUpAsync(nodes);
            // A second handshake as node 1 takes over the pair: node 1's own link is dropped, and
            // node 1 re-dials and takes it back in turn.
            await using var fake = await RawPeer.ConnectAsync(nodes[1].EndPoint);
            await fake.DialHandshakeAsync("test-cluster", 1, 2);
            await fake.WaitClosedAsync();
            await nodes[0].Handler.WaitUntilAsync(() => nodes[0].Handler.Events().Count == 3, "node 1 to lose and regain its link");
            Assert.Equal([(2, true), (2, false), (2, true)], nodes[0].Handler.Events());
            // On the accepting side the link was replaced, never down.
            Assert.Equal([(1, true)], nodes[1].Handler.Events());
            Assert.Equal(2, nodes[1].Network.GetStats().Single().Reconnects);

            Assert.True(nodes[0].Network.TrySend(2, FrameTypes.Paxos, Counter(7)));
            await nodes[1].Handler.WaitUntilAsync(() => nodes[1].Handler.Frames(1).Count == 1, "a frame on the new link");
        }
        finally
        {
            await TestNode.DisposeAllAsync(nodes);
        }
    }

    [Fact]
    public async Task A_peer_that_accepts_but_never_answers_the_handshake_times_out_and_is_retried()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var one = await TestNode.BindAsync(1, o => With(o, handshakeTimeout: TimeSpan.FromMilliseconds(200)));
        var accepted = new List<TcpClient>();
        try
        {
            await one.Network.StartAsync(new Dictionary<int, EndPoint> { [2] = silent.LocalEndpoint });
            accepted.Add(await silent.AcceptTcpClientAsync());
            await one.Logger.WaitForAsync(LogLevel.Warning, "did not complete a handshake within 200 ms");
            // The dialer gives up on that connection and dials again.
            accepted.Add(await silent.AcceptTcpClientAsync());
            Assert.Empty(one.Handler.Events());
            Assert.False(one.Network.IsConnected(2));
        }
        finally
        {
            await one.DisposeAsync();
            accepted.ForEach(c => c.Dispose());
            silent.Stop();
        }
    }

    [Fact]
    public async Task Sends_to_unknown_or_unconnected_peers_and_oversized_frames_are_counted_drops()
    {
        var one = await TestNode.BindAsync(1, o => With(o, maxFrameBytes: 4096));
        var two = await TestNode.BindAsync(2, o => With(o, maxFrameBytes: 4096));
        try
        {
            Assert.False(one.Network.TrySend(2, FrameTypes.Paxos, [1]));
            Assert.Equal(1, one.Network.UnknownPeerDrops);
            await one.Network.StartAsync(TestNode.PeersOf(1, [two]));
            Assert.False(one.Network.TrySend(9, FrameTypes.Paxos, [1]));
            Assert.Equal(2, one.Network.UnknownPeerDrops);

            await two.Network.StartAsync(TestNode.PeersOf(2, [one]));
            await one.WaitUpAsync(2);
            await two.WaitUpAsync(1);
            Assert.False(one.Network.TrySend(2, FrameTypes.Paxos, new byte[4095]));
            Assert.True(one.Network.TrySend(2, FrameTypes.Paxos, new byte[4094]));
            Assert.Throws<ArgumentOutOfRangeException>(() => one.Network.TrySend(2, FrameTypes.Hello, [1]));
            await two.Handler.WaitUntilAsync(() => two.Handler.Frames(1).Count == 1, "the largest allowed frame");
            var stats = one.Network.GetStats().Single();
            Assert.Equal(1, stats.Drops);
            Assert.Equal(1, stats.FramesSent);
            Assert.Equal(4094 + 6, stats.BytesSent);
            Assert.Equal(0, stats.Reconnects);
        }
        finally
        {
            await TestNode.DisposeAllAsync([one, two]);
        }
        Assert.False(one.Network.TrySend(2, FrameTypes.Paxos, [1]));
    }

    private static PeerNetworkOptions With(
        PeerNetworkOptions o,
        string? clusterId = null,
        string? secret = null,
        TimeSpan? handshakeTimeout = null,
        long? maxQueuedBytes = null,
        int? maxFrameBytes = null) => new()
        {
            SelfId = o.SelfId,
            ListenEndPoint = o.ListenEndPoint,
            ClusterId = clusterId ?? o.ClusterId,
            Secret = secret is null ? o.Secret : System.Text.Encoding.UTF8.GetBytes(secret),
            ReconnectMin = o.ReconnectMin,
            ReconnectMax = o.ReconnectMax,
            HandshakeTimeout = handshakeTimeout ?? o.HandshakeTimeout,
            MaxQueuedBytesPerPeer = maxQueuedBytes ?? o.MaxQueuedBytesPerPeer,
            MaxFrameBytes = maxFrameBytes ?? o.MaxFrameBytes,
        };
}
