using Microsoft.Extensions.Logging;

namespace Paxuby.Transport.Tests;

/// <summary>Keeps every log line so that tests can wait for a refusal to be logged.</summary>
internal sealed class TestLogger(string name) : ILogger
{
    private readonly object _lock = new();
    private readonly List<(LogLevel Level, string Text)> _lines = [];

    public Signal Signal { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var text = formatter(state, exception) + (exception is null ? "" : $" ({exception.GetType().Name}: {exception.Message})");
        lock (_lock)
        {
            _lines.Add((logLevel, text));
        }
        Signal.Pulse();
    }

    public bool Contains(LogLevel level, string text)
    {
        lock (_lock)
        {
            return _lines.Any(l => l.Level == level && l.Text.Contains(text, StringComparison.Ordinal));
        }
    }

    public int Count(LogLevel level, string text)
    {
        lock (_lock)
        {
            return _lines.Count(l => l.Level == level && l.Text.Contains(text, StringComparison.Ordinal));
        }
    }

    public Task WaitForAsync(LogLevel level, string text) => Signal.WaitUntilAsync(() => Contains(level, text), $"{name} to log {level} '{text}'");

    public override string ToString()
    {
        lock (_lock)
        {
            return string.Join(Environment.NewLine, _lines.Select(l => $"{name} {l.Level}: {l.Text}"));
        }
    }
}
