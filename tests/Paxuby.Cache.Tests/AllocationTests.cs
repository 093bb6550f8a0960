using System.Buffers;

namespace Paxuby.Cache.Tests;

/// <summary>The common key commands allocate nothing per command once buffers have grown.</summary>
public sealed class AllocationTests
{
    [Theory]
    [InlineData(false, "exists", "present", "missing")]
    [InlineData(false, "ttl", "present")]
    [InlineData(false, "pttl", "present")]
    [InlineData(false, "type", "present")]
    [InlineData(false, "dbsize")]
    [InlineData(true, "del", "missing")]
    [InlineData(true, "expire", "missing", "10")]
    [InlineData(true, "persist", "present")]
    [InlineData(true, "exists", "present")]
    public void Command_allocates_nothing_once_warm(bool write, params string[] command)
    {
        var cache = new CacheHarness();
        cache.Keyspace[0].Set("present"u8, [1, 2, 3], cache.NowMs + 60_000);
        byte[] encoded = cache.Encode(command);
        var reply = new ArrayBufferWriter<byte>(256);
        void Run()
        {
            reply.ResetWrittenCount();
            if (write) cache.Machine.Apply(cache.NowMs, encoded, reply);
            else cache.Machine.Read(cache.NowMs, encoded, reply);
        }
        for (int i = 0; i < 10; i++) Run();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) Run();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
