using Paxuby.Bench.Load;

namespace Paxuby.Bench.Tests;

public class ServerGcTests
{
    [Fact]
    public void The_collections_come_from_paxubys_memory_section_and_gen0_counts_them_all()
    {
        const string info = "# Memory\r\nused_memory:472790208\r\ngc_heap_bytes:472854232\r\ngc_gen0_collections:8\r\n"
            + "gc_gen1_collections:6\r\ngc_gen2_collections:5\r\ngc_pause_total_ms:265\r\ngc_last_pause_ms:0\r\n";

        Assert.Equal(new ServerGc(8, 5, 265), ServerGc.Parse(info));
    }

    [Fact]
    public void A_server_without_gc_fields_reports_none()
    {
        Assert.Null(ServerGc.Parse("# Memory\r\nused_memory:1000\r\nmem_allocator:jemalloc-5.3.0\r\n"));
    }

    [Fact]
    public void The_workloads_collections_are_the_difference_of_two_readings()
    {
        Assert.Equal(new ServerGc(3, 1, 40), ServerGc.Between(new ServerGc(8, 5, 265), new ServerGc(11, 6, 305)));
        Assert.Null(ServerGc.Between(null, new ServerGc(1, 0, 1)));
    }
}
