using System.Buffers;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Paxuby.Cache;
using Paxuby.Resp;
using Paxuby.Server.Cluster;
using Paxuby.Server.Engine;

namespace Paxuby.Server.Tests;

/// <summary>
/// Three replicas running the real Multi-Paxos core in one process: commands enter at any replica,
/// every replica applies the same log, and a cut-off leader is replaced.
/// </summary>
public sealed class LocalClusterTests : IAsyncLifetime
{
    private LocalCluster _cluster = null!;
    private long _sequence;
    private readonly long _clientId = Random.Shared.NextInt64(1, long.MaxValue);

    public Task InitializeAsync()
    {
        _cluster = new LocalCluster(3, new ClusterOptions { CommandTimeout = TimeSpan.FromSeconds(5), Seed = 7 }, TimeProvider.System, NullLogger.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private async Task<string> Write(int node, params string[] args)
    {
        byte[] reply = await _cluster.EngineFor(node).SubmitWriteAsync(_clientId, ++_sequence, CacheCommandCodec.EncodeSingle(0, 2, RespCommand.Of(args)), CancellationToken.None);
        return Encoding.UTF8.GetString(reply);
    }

    private async Task<string> Read(int node, params string[] args)
    {
        var reply = new ArrayBufferWriter<byte>();
        await _cluster.EngineFor(node).ReadAsync(CacheCommandCodec.EncodeSingle(0, 2, RespCommand.Of(args)), reply, CancellationToken.None);
        return Encoding.UTF8.GetString(reply.WrittenSpan);
    }

    [Fact]
    public async Task Write_through_one_replica_is_read_through_every_other()
    {
        Assert.Equal("+OK\r\n", await Write(0, "SET", "k", "v"));
        Assert.Equal("$1\r\nv\r\n", await Read(1, "GET", "k"));
        Assert.Equal("$1\r\nv\r\n", await Read(2, "GET", "k"));
    }

    private ConsensusStats Stats(int node) => _cluster.EngineFor(node).GetStats().Consensus!;

    [Fact]
    public async Task Reads_are_counted_as_served_on_the_leaders_lease_or_through_the_loop()
    {
        Assert.Equal("+OK\r\n", await Write(0, "SET", "k", "v"));
        int leader = _cluster.LeaderId;
        int follower = (leader + 1) % 3;

        ConsensusStats followerBefore = Stats(follower);
        Assert.Equal("$1\r\nv\r\n", await Read(follower, "GET", "k"));
        ConsensusStats followerAfter = Stats(follower);
        Assert.Equal(followerBefore.LoopReads + 1, followerAfter.LoopReads);
        Assert.Equal(followerBefore.LeaseReads, followerAfter.LeaseReads);

        // Until its lease is established a leader's reads go through its loop too; each read counts once.
        ConsensusStats leaderBefore = Stats(leader);
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        int reads = 0;
        while (Stats(leader).LeaseReads == leaderBefore.LeaseReads)
        {
            Assert.True(DateTime.UtcNow < deadline, "the leader never served a read on its lease");
            Assert.Equal("$1\r\nv\r\n", await Read(leader, "GET", "k"));
            reads++;
        }
        ConsensusStats leaderAfter = Stats(leader);
        Assert.Equal(reads, leaderAfter.LeaseReads - leaderBefore.LeaseReads + leaderAfter.LoopReads - leaderBefore.LoopReads);
    }

    [Fact]
    public async Task Concurrent_increments_through_all_replicas_are_each_applied_once()
    {
        var engines = Enumerable.Range(0, 3).Select(_cluster.EngineFor).ToArray();
        var clients = Enumerable.Range(0, 30).Select(c => (Id: Random.Shared.NextInt64(1, long.MaxValue), Engine: engines[c % 3])).ToArray();
        await Task.WhenAll(clients.Select(async client =>
        {
            for (long seq = 1; seq <= 10; seq++)
            {
                byte[] reply = await client.Engine.SubmitWriteAsync(client.Id, seq, CacheCommandCodec.EncodeSingle(0, 2, RespCommand.Of("INCR", "counter")), CancellationToken.None);
                Assert.StartsWith(":", Encoding.UTF8.GetString(reply));
            }
        }));
        Assert.Equal("$3\r\n300\r\n", await Read(2, "GET", "counter"));
    }

    [Fact]
    public async Task Every_replica_applies_the_same_log_and_holds_the_same_state()
    {
        for (int i = 0; i < 50; i++) await Write(i % 3, "SET", "key" + i, "value" + i);
        await Write(1, "DEL", "key7");
        await Write(2, "EXPIRE", "key8", "100");
        byte[][] snapshots = await _cluster.SnapshotsWhenCaughtUpAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(3, snapshots.Length);
        Assert.Equal(snapshots[0], snapshots[1]);
        Assert.Equal(snapshots[0], snapshots[2]);
    }

    [Fact]
    public async Task Writes_submitted_together_by_one_client_are_applied_in_order()
    {
        IReadOnlyList<ValueTask<byte[]>> replies = Enumerable.Range(1, 200)
            .Select(i => _cluster.EngineFor(1).SubmitWriteAsync(_clientId, ++_sequence,
                CacheCommandCodec.EncodeSingle(0, 2, RespCommand.Of("APPEND", "ordered", $"{i % 10}")), CancellationToken.None))
            .ToList();
        int length = 0;
        foreach (ValueTask<byte[]> reply in replies)
        {
            Assert.Equal($":{++length}\r\n", Encoding.UTF8.GetString(await reply));
        }
        string expected = string.Concat(Enumerable.Range(1, 200).Select(i => i % 10));
        Assert.Equal($"$200\r\n{expected}\r\n", await Read(0, "GET", "ordered"));
    }

    [Fact]
    public async Task Retried_command_with_the_same_client_and_sequence_is_applied_once()
    {
        byte[] incr = CacheCommandCodec.EncodeSingle(0, 2, RespCommand.Of("INCR", "once"));
        byte[] first = await _cluster.EngineFor(0).SubmitWriteAsync(42, 1, incr, CancellationToken.None);
        byte[] retry = await _cluster.EngineFor(1).SubmitWriteAsync(42, 1, incr, CancellationToken.None);
        Assert.Equal(":1\r\n", Encoding.UTF8.GetString(first));
        Assert.Equal(":1\r\n", Encoding.UTF8.GetString(retry));
        Assert.Equal("$1\r\n1\r\n", await Read(2, "GET", "once"));
    }

    [Fact]
    public async Task Isolated_leader_is_replaced_serves_no_stale_read_and_catches_up_when_healed()
    {
        Assert.Equal("+OK\r\n", await Write(0, "SET", "x", "before"));
        int oldLeader = _cluster.LeaderId;
        Assert.InRange(oldLeader, 0, 2);
        int other = (oldLeader + 1) % 3;

        _cluster.SetIsolated(oldLeader, true);
        // The majority elects a new leader once the old one's leases run out, and takes writes again.
        Assert.Equal("+OK\r\n", await Write(other, "SET", "x", "after"));
        Assert.NotEqual(oldLeader, _cluster.LeaderId);

        // The old leader has no majority of leases: it must not answer from its stale copy.
        string staleRead = await Read(oldLeader, "GET", "x");
        Assert.StartsWith("-TRYAGAIN", staleRead);

        _cluster.SetIsolated(oldLeader, false);
        Assert.Equal("$5\r\nafter\r\n", await Read(oldLeader, "GET", "x"));
        byte[][] snapshots = await _cluster.SnapshotsWhenCaughtUpAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(3, snapshots.Length);
        Assert.Equal(snapshots[0], snapshots[oldLeader]);
    }

    [Fact]
    public async Task Write_without_a_majority_fails_with_a_clear_error()
    {
        await Write(0, "SET", "warm", "up");
        int leader = _cluster.LeaderId;
        _cluster.SetIsolated((leader + 1) % 3, true);
        _cluster.SetIsolated((leader + 2) % 3, true);
        string reply = await Write(leader, "SET", "lonely", "1");
        Assert.StartsWith("-TRYAGAIN", reply);
        Assert.Contains("may or may not have been applied", reply);
    }

    [Fact]
    public async Task Replica_cut_off_while_the_others_compact_their_logs_catches_up_through_a_snapshot()
    {
        await using var cluster = new LocalCluster(3, new ClusterOptions { Seed = 11, SnapshotLogBytes = 2048, SnapshotRetainSlots = 8 }, TimeProvider.System, NullLogger.Instance);
        ICommandEngine first = cluster.EngineFor(0);
        long sequence = 0;
        async Task<string> Set(ICommandEngine engine, string key, string value) => Encoding.UTF8.GetString(
            await engine.SubmitWriteAsync(_clientId, ++sequence, CacheCommandCodec.EncodeSingle(0, 2, RespCommand.Of("SET", key, value)), CancellationToken.None));

        Assert.Equal("+OK\r\n", await Set(first, "warm", "up"));
        int leader = cluster.LeaderId;
        int cut = (leader + 1) % 3;
        cluster.SetIsolated(cut, true);
        for (int i = 0; i < 300; i++) Assert.Equal("+OK\r\n", await Set(cluster.EngineFor(leader), "key" + i, new string('v', 100)));
        ConsensusStats leaderStats = cluster.EngineFor(leader).GetStats().Consensus!;
        Assert.True(leaderStats.SnapshotsTaken > 0, "the leader took no snapshot");
        Assert.True(leaderStats.LogSlots < 100, $"the leader still holds {leaderStats.LogSlots} log slots in memory");

        cluster.SetIsolated(cut, false);
        byte[][] states = await cluster.SnapshotsWhenCaughtUpAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(states[0], states[cut]);
        Assert.True(cluster.EngineFor(cut).GetStats().Consensus!.SnapshotsInstalled >= 1, "the replica caught up without a snapshot");
        var reply = new ArrayBufferWriter<byte>();
        await cluster.EngineFor(cut).ReadAsync(CacheCommandCodec.EncodeSingle(0, 2, RespCommand.Of("STRLEN", "key299")), reply, CancellationToken.None);
        Assert.Equal(":100\r\n", Encoding.UTF8.GetString(reply.WrittenSpan));
    }

    /// <summary>
    /// A snapshot holds up its replica's loop: the leader's holds up every write, so the leader
    /// waits for twice the log the followers snapshot after (staggered up to 1.33× among replicas).
    /// </summary>
    [Fact]
    public async Task Followers_snapshot_before_the_leader_which_waits_for_twice_the_log()
    {
        const long snapshotLogBytes = 16 * 1024;
        await using var cluster = new LocalCluster(3, new ClusterOptions { Seed = 13, SnapshotLogBytes = snapshotLogBytes }, TimeProvider.System, NullLogger.Instance);
        long sequence = 0;
        Assert.Equal("+OK\r\n", Encoding.UTF8.GetString(await cluster.EngineFor(0).SubmitWriteAsync(
            _clientId, ++sequence, CacheCommandCodec.EncodeSingle(0, 2, RespCommand.Of("SET", "warm", "up")), CancellationToken.None)));
        int leader = cluster.LeaderId;
        int[] followers = Enumerable.Range(0, 3).Where(n => n != leader).ToArray();
        ConsensusStats Stats(int node) => cluster.EngineFor(node).GetStats().Consensus!;
        async Task WriteUntil(Func<bool> done, int limit)
        {
            for (int i = 0; i < limit && !done(); i++)
            {
                await cluster.EngineFor(leader).SubmitWriteAsync(_clientId, ++sequence,
                    CacheCommandCodec.EncodeSingle(0, 2, RespCommand.Of("SET", "key" + sequence, new string('v', 100))), CancellationToken.None);
            }
        }

        // Past where any follower snapshots (its threshold is staggered up to 1.33×), short of 2×.
        await WriteUntil(() => followers.All(f => Stats(f).SnapshotsTaken > 0) && Stats(leader).LogBytesSinceSnapshot >= snapshotLogBytes * 3 / 2, limit: 1000);

        Assert.All(followers, f => Assert.True(Stats(f).SnapshotsTaken > 0, $"follower {f} took no snapshot"));
        Assert.True(Stats(leader).LogBytesSinceSnapshot >= snapshotLogBytes * 3 / 2, $"the leader wrote only {Stats(leader).LogBytesSinceSnapshot} bytes of log");
        Assert.Equal(0, Stats(leader).SnapshotsTaken);

        await WriteUntil(() => Stats(leader).SnapshotsTaken > 0, limit: 1000);
        Assert.True(Stats(leader).SnapshotsTaken > 0, "the leader never took a snapshot");
        Assert.Equal(leader, cluster.LeaderId);
    }

    [Fact]
    public async Task Pipelined_writes_through_a_follower_keep_their_order_across_a_leader_change()
    {
        Assert.Equal("+OK\r\n", await Write(0, "SET", "warm", "up"));
        int leader = _cluster.LeaderId;
        int via = (leader + 1) % 3;
        ICommandEngine engine = _cluster.EngineFor(via);
        var replies = new List<ValueTask<byte[]>>();
        for (int i = 0; i < 400; i++)
        {
            if (i == 200) _cluster.SetIsolated(leader, true);
            replies.Add(engine.SubmitWriteAsync(_clientId, ++_sequence, CacheCommandCodec.EncodeSingle(0, 2, RespCommand.Of("APPEND", "ordered", "x")), CancellationToken.None));
        }
        long previous = 0;
        foreach (ValueTask<byte[]> pending in replies)
        {
            string reply = Encoding.UTF8.GetString(await pending);
            Assert.StartsWith(":", reply); // none lost, none overtaken by a later one
            long length = long.Parse(reply[1..^2]);
            Assert.Equal(previous + 1, length);
            previous = length;
        }
        Assert.Equal(":400\r\n", Encoding.UTF8.GetString(await engine.SubmitWriteAsync(_clientId, ++_sequence,
            CacheCommandCodec.EncodeSingle(0, 2, RespCommand.Of("STRLEN", "ordered")), CancellationToken.None)));
    }
}
