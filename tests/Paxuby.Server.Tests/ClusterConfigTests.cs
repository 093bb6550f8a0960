using Paxuby.Server.Configuration;

namespace Paxuby.Server.Tests;

public sealed class ClusterConfigTests
{
    [Fact]
    public void Seed_format_with_only_addrs_gets_defaults()
    {
        ClusterConfig config = ClusterConfig.Parse("addrs:\n  - 127.0.0.1:6660\n  - 127.0.0.1:6661\n  - 127.0.0.1:6662\n");
        Assert.Equal(3, config.Endpoints.Count);
        Assert.Equal(6661, config.Endpoints[1].Port);
        Assert.Equal("data", config.DataDir);
        Assert.Null(config.Requirepass);
        Assert.Equal(512L * 1024 * 1024, config.ProtoMaxBulkLen);
    }

    [Fact]
    public void Optional_settings_are_read_with_underscored_names()
    {
        ClusterConfig config = ClusterConfig.Parse("addrs: [localhost:7000]\nrequirepass: pw\ndata_dir: /tmp/x\nexpire_sweep_interval_ms: 50\n");
        Assert.Equal("pw", config.Requirepass);
        Assert.Equal("/tmp/x", config.DataDir);
        Assert.Equal(50, config.ExpireSweepIntervalMs);
        Assert.Equal(Paxuby.Storage.FsyncPolicy.Always, config.FsyncPolicy);
        Assert.Equal(Paxuby.Storage.FsyncPolicy.EverySec, ClusterConfig.Parse("addrs: [localhost:1]\nfsync: everysec\n").FsyncPolicy);
        Assert.True(ClusterConfig.IsLocal(config.Endpoints[0]));
    }

    [Theory]
    [InlineData("addrs: []\n", "'addrs' must list at least one host:port")]
    [InlineData("addrs: [127.0.0.1]\n", "'127.0.0.1' is not host:port")]
    [InlineData("addrs: [127.0.0.1:99999]\n", "is not host:port")]
    [InlineData("addrs: [db.example:6660]\n", "host must be an IP address or localhost")]
    [InlineData("addrs: [127.0.0.1:1, 127.0.0.1:1]\n", "listed twice")]
    [InlineData("addrs: [127.0.0.1:1]\nno_such_setting: 1\n", "no_such_setting")]
    [InlineData("addrs: [127.0.0.1:1\n", "config.yaml")]
    [InlineData("addrs: [127.0.0.1:1]\nfsync: sometimes\n", "fsync must be always, everysec or no")]
    public void Invalid_config_is_refused_with_a_clear_message(string yaml, string expected)
    {
        ConfigException error = Assert.Throws<ConfigException>(() => ClusterConfig.Parse(yaml));
        Assert.Contains(expected, error.Message);
    }
}
