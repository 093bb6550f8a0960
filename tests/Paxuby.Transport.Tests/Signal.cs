namespace Paxuby.Transport.Tests;

/// <summary>
/// Lets a test wait for a condition that a handler or logger makes true: every change pulses the
/// signal, the waiter re-checks. The timeout only guards against a hang; it never synchronises.
/// </summary>
internal sealed class Signal
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Pulse() => Interlocked.Exchange(ref _changed, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    public async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            var changed = Volatile.Read(ref _changed).Task;
            if (condition())
            {
                return;
            }
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                Assert.Fail($"timed out after {Timeout.TotalSeconds} s waiting for {what}");
            }
            await Task.WhenAny(changed, Task.Delay(left));
        }
    }
}
