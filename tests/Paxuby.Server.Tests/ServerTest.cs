namespace Paxuby.Server.Tests;

/// <summary>A test class with its own in-process replica, started before each test and stopped after.</summary>
public abstract class ServerTest : IAsyncLifetime
{
    protected TestServer Server { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Server = new TestServer();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
