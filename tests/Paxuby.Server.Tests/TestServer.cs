using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Paxuby.Server.Configuration;
using Paxuby.Server.Hosting;

namespace Paxuby.Server.Tests;

/// <summary>An in-process replica on a free loopback port, stopped and cleaned up on dispose.</summary>
public sealed class TestServer : IAsyncDisposable
{
    private readonly PaxubyServer _server;
    private readonly string _dataDir;

    public TestServer(string? requirepass = null, long protoMaxBulkLen = 512L * 1024 * 1024, TimeProvider? time = null)
    {
        _dataDir = Path.Combine(Path.GetTempPath(), "paxuby-test-" + Guid.NewGuid().ToString("N"));
        var config = new ClusterConfig
        {
            Addrs = ["127.0.0.1:0"],
            DataDir = _dataDir,
            Requirepass = requirepass,
            ProtoMaxBulkLen = protoMaxBulkLen,
        };
        _server = PaxubyServer.Start(config, [0], NullLoggerFactory.Instance, time);
    }

    public IPEndPoint Endpoint => _server.ClientEndpoints[0];

    public int Port => Endpoint.Port;

    public string Address => $"127.0.0.1:{Port}";

    public RawClient Connect() => new(Endpoint);

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        if (Directory.Exists(_dataDir)) Directory.Delete(_dataDir, recursive: true);
    }
}
