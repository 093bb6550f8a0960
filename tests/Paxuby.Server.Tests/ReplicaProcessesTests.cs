using System.Text.RegularExpressions;
using System.Diagnostics;
using Xunit.Abstractions;

namespace Paxuby.Server.Tests;

/// <summary>
/// Three replicas as three processes (<c>--node N</c>) replicating over TCP: losing the leader to
/// kill -9 or to a long pause costs a short gap and no acknowledged write, and never a stale read.
/// </summary>
public sealed class ReplicaProcessesTests(ITestOutputHelper output)
{
    [Fact]
    public void Write_through_one_process_is_read_through_the_others()
    {
        using var cluster = new ReplicaProcesses();
        using RawClient first = cluster.Connect(0);
        using RawClient second = cluster.Connect(1);
        using RawClient third = cluster.Connect(2);
        Assert.Equal("+OK\r\n", first.Call("SET", "shared", "one"));
        Assert.Equal("$3\r\none\r\n", second.Call("GET", "shared"));
        Assert.Equal("$3\r\none\r\n", third.Call("GET", "shared"));
        Assert.Equal(":1\r\n", third.Call("INCR", "visits"));
        Assert.Equal(":2\r\n", second.Call("INCR", "visits"));
        Assert.Equal("$1\r\n2\r\n", first.Call("GET", "visits"));
        // Acknowledged means a majority holds it: the other replica of that majority, at least.
        Assert.Equal(":1\r\n", second.Call("WAIT", "2", "100"));
    }

    [Fact]
    public void Message_published_at_one_process_reaches_subscribers_of_the_others()
    {
        using var cluster = new ReplicaProcesses();
        int leader = cluster.WaitForLeader();
        using RawClient first = cluster.Connect((leader + 1) % 3);
        using RawClient second = cluster.Connect((leader + 2) % 3);
        // A write through each follower reaches the leader only over its link: both links are up.
        Assert.Equal("+OK\r\n", first.Call("SET", "link", "1"));
        Assert.Equal("+OK\r\n", second.Call("SET", "link", "2"));
        Assert.Equal("*3\r\n$9\r\nsubscribe\r\n$4\r\nnews\r\n:1\r\n", first.Call("SUBSCRIBE", "news"));
        Assert.Equal("*3\r\n$10\r\npsubscribe\r\n$2\r\nn*\r\n:1\r\n", second.Call("PSUBSCRIBE", "n*"));
        using RawClient publisher = cluster.Connect(leader);
        // PUBLISH counts the receivers of its own replica, as Redis Cluster does.
        Assert.Equal(":0\r\n", publisher.Call("PUBLISH", "news", "hello"));
        Assert.Equal("*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$5\r\nhello\r\n", first.ReadReply());
        Assert.Equal("*4\r\n$8\r\npmessage\r\n$2\r\nn*\r\n$4\r\nnews\r\n$5\r\nhello\r\n", second.ReadReply());
    }

    [Fact]
    public void Every_replica_says_master_to_clients_and_names_the_leader_in_info()
    {
        using var cluster = new ReplicaProcesses();
        int leader = cluster.WaitForLeader();
        using (RawClient writer = cluster.Connect((leader + 1) % 3))
        {
            for (int i = 0; i < 20; i++) Assert.Equal("+OK\r\n", writer.Call("SET", "k" + i, "v"));
        }
        for (int i = 0; i < 3; i++)
        {
            using RawClient client = cluster.Connect(i);
            string consensus = client.Call("INFO", "consensus");
            Assert.Contains($"paxos_replica:{i}\r\n", consensus);
            Assert.Contains(i == leader ? "paxos_role:leader\r\n" : "paxos_role:follower\r\n", consensus);
            Assert.Contains($"paxos_leader_addr:127.0.0.1:{cluster.Ports[leader]}\r\n", consensus);
            Assert.Matches(@"paxos_fsyncs:[1-9]\d*\r\n", consensus);
            string replication = client.Call("INFO", "replication");
            Assert.Contains("role:master\r\n", replication);
            Assert.Contains($"paxuby_leader_addr:127.0.0.1:{cluster.Ports[leader]}\r\n", replication);
            Assert.StartsWith("*3\r\n$6\r\nmaster\r\n", client.Call("ROLE"));
        }
    }

    [Fact]
    public void Leader_killed_under_steady_writes_is_replaced_and_no_acknowledged_write_is_lost()
    {
        using var cluster = new ReplicaProcesses();
        int leader = cluster.WaitForLeader();
        int via = (leader + 1) % 3;
        int witness = (leader + 2) % 3;
        using RawClient client = cluster.Connect(via);

        var acknowledged = new List<int>();
        var clock = Stopwatch.StartNew();
        TimeSpan lastAckBeforeCrash = TimeSpan.Zero;
        TimeSpan? firstAckAfterCrash = null;
        int errors = 0;
        for (int i = 0; acknowledged.Count < 400; i++)
        {
            if (acknowledged.Count == 200 && lastAckBeforeCrash == TimeSpan.Zero)
            {
                lastAckBeforeCrash = clock.Elapsed;
                cluster.Crash(leader);
            }
            string reply = client.Call("SET", "steady:" + i, "v" + i);
            if (reply == "+OK\r\n")
            {
                acknowledged.Add(i);
                if (lastAckBeforeCrash != TimeSpan.Zero) firstAckAfterCrash ??= clock.Elapsed;
            }
            else
            {
                Assert.StartsWith("-TRYAGAIN", reply);
                errors++;
            }
        }
        TimeSpan gap = firstAckAfterCrash!.Value - lastAckBeforeCrash;
        output.WriteLine($"write gap across the leader's kill -9: {gap.TotalMilliseconds:0} ms ({errors} writes answered TRYAGAIN)");
        Assert.True(gap < TimeSpan.FromSeconds(10), $"writes resumed only after {gap}");

        using RawClient check = cluster.Connect(witness);
        foreach (int i in acknowledged) Assert.Equal(Bulk("v" + i), check.Call("GET", "steady:" + i));

        // The old leader comes back on its own data and catches up with what it missed.
        cluster.Start(leader);
        using RawClient back = cluster.Connect(leader);
        int last = acknowledged[^1];
        Assert.Equal(Bulk("v" + last), back.Call("GET", "steady:" + last));
        Assert.Equal("+OK\r\n", back.Call("SET", "after-rejoin", "yes"));
        Assert.Equal("$3\r\nyes\r\n", check.Call("GET", "after-rejoin"));
    }

    [Fact]
    public void Paused_leader_never_serves_a_stale_read_after_it_resumes()
    {
        using var cluster = new ReplicaProcesses();
        int leader = cluster.WaitForLeader();
        int other = (leader + 1) % 3;
        using RawClient atLeader = cluster.Connect(leader);
        using RawClient atOther = cluster.Connect(other);
        Assert.Equal("+OK\r\n", atLeader.Call("SET", "x", "before"));
        Assert.Equal("$6\r\nbefore\r\n", atLeader.Call("GET", "x"));

        cluster[leader].Pause();
        try
        {
            // The others elect a new leader once the paused one's leases ran out, and take the write.
            Assert.Equal("+OK\r\n", atOther.Call("SET", "x", "after"));
            // A read sent to the paused leader waits in its socket until it resumes.
            atLeader.SendCommand("GET", "x");
        }
        finally
        {
            cluster[leader].Resume();
        }
        string read = atLeader.ReadReply();
        Assert.True(read == "$5\r\nafter\r\n" || read.StartsWith("-TRYAGAIN", StringComparison.Ordinal), "stale or unexpected read: " + read);
        Assert.Equal("$5\r\nafter\r\n", atLeader.Call("GET", "x"));
    }

    [Fact]
    public void Acknowledged_writes_survive_kill_9_of_every_process()
    {
        using var cluster = new ReplicaProcesses();
        using (RawClient client = cluster.Connect(1))
        {
            for (int i = 0; i < 100; i++) Assert.Equal("+OK\r\n", client.Call("SET", "durable:" + i, "value" + i));
            Assert.Equal(":100\r\n", client.Call("INCRBY", "durable:counter", "100"));
        }
        for (int i = 0; i < 3; i++) cluster.Crash(i);
        for (int i = 0; i < 3; i++) cluster.Start(i, waitUntilReady: false);
        for (int i = 0; i < 3; i++) cluster[i].WaitUntilReady();

        using RawClient after = cluster.Connect(2);
        Assert.Equal("$7\r\nvalue42\r\n", after.Call("GET", "durable:42"));
        Assert.Equal("$7\r\nvalue99\r\n", after.Call("GET", "durable:99"));
        Assert.Equal(":101\r\n", after.Call("INCR", "durable:counter"));
    }

    [Fact]
    public void Replica_down_while_the_others_compact_rejoins_through_a_snapshot_and_all_restart_from_snapshots()
    {
        using var cluster = new ReplicaProcesses(extraConfig: "snapshot_log_bytes: 4096\n");
        int leader = cluster.WaitForLeader();
        int down = (leader + 1) % 3;
        cluster.Crash(down);
        using (RawClient client = cluster.Connect(leader))
        {
            // One at a time, so one slot each: past the 1,024 slots a log keeps below its snapshot.
            for (int i = 0; i < 1200; i++) Assert.Equal("+OK\r\n", client.Call("SET", "snap:" + i, "value" + i));
            Assert.Matches(@"paxos_snapshots_taken:[1-9]\d*\r\n", client.Call("INFO", "consensus"));
        }

        cluster.Start(down);
        using (RawClient rejoined = cluster.Connect(down))
        {
            Assert.Equal(Bulk("value1199"), rejoined.Call("GET", "snap:1199"));
            // The read went through the leader; the rejoined replica installs the snapshot on its own time.
            DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (!Regex.IsMatch(rejoined.Call("INFO", "consensus"), @"paxos_snapshots_installed:[1-9]\d*\r\n"))
            {
                Assert.True(DateTime.UtcNow < deadline, "the rejoined replica never installed a snapshot");
                Thread.Yield();
            }
        }

        for (int i = 0; i < 3; i++) cluster.Crash(i);
        for (int i = 0; i < 3; i++) cluster.Start(i, waitUntilReady: false);
        for (int i = 0; i < 3; i++) cluster[i].WaitUntilReady();
        for (int i = 0; i < 3; i++) Assert.Contains("restored its snapshot of slot", cluster[i].Output);
        using RawClient after = cluster.Connect(down);
        Assert.Equal(Bulk("value0"), after.Call("GET", "snap:0"));
        Assert.Equal(Bulk("value1199"), after.Call("GET", "snap:1199"));
    }

    [Fact]
    public void Replica_with_a_log_damaged_in_the_middle_rejoins_as_a_learner_and_votes_again_once_caught_up()
    {
        using var cluster = new ReplicaProcesses();
        int leader = cluster.WaitForLeader();
        int damaged = (leader + 1) % 3;
        int other = (leader + 2) % 3;
        using RawClient writer = cluster.Connect(leader);
        for (int i = 0; i < 200; i++) Assert.Equal("+OK\r\n", writer.Call("SET", "before:" + i, "v" + i));

        cluster.Crash(damaged);
        string segment = Directory.GetFiles(Path.Combine(cluster.Directory, "data", $"node-{damaged}", "wal"), "*.wal").Single();
        byte[] bytes = File.ReadAllBytes(segment);
        // Halfway through the records, not through the preallocated zeros after them.
        int recordsEnd = bytes.AsSpan().LastIndexOfAnyExcept((byte)0) + 1;
        bytes[recordsEnd / 2] ^= 0x40;
        File.WriteAllBytes(segment, bytes);

        cluster.Start(damaged);
        Assert.Contains("rejoins as a learner", cluster[damaged].Output);
        using RawClient atDamaged = cluster.Connect(damaged);
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        int written = 0;
        // New writes give it an instance that began after it started: once that is decided and
        // it has caught up to it, it votes again.
        while (atDamaged.Call("INFO", "consensus").Contains("paxos_rebuilding:1\r\n", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, "the damaged replica never finished its rebuild");
            Assert.Equal("+OK\r\n", writer.Call("SET", "after:" + written, "w"));
            written++;
        }
        Assert.Equal(Bulk("v199"), atDamaged.Call("GET", "before:199"));

        // With the third replica gone, the leader needs the rebuilt one's vote to commit.
        cluster.Crash(other);
        Assert.Equal("+OK\r\n", writer.Call("SET", "needs-its-vote", "yes"));
        Assert.Equal(Bulk("yes"), atDamaged.Call("GET", "needs-its-vote"));
    }

    private static string Bulk(string value) => $"${value.Length}\r\n{value}\r\n";
}
