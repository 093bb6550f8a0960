using System.Threading.Tasks.Sources;

namespace Paxuby.Server.Cluster;

/// <summary>
/// The reply a client waits for: set once by the replica's loop, or cancelled by the client's
/// session (CLIENT KILL, disconnect). One object per request, awaited as a ValueTask; a
/// TaskCompletionSource with a cancellable wait around it took three. Continuations run on the
/// thread pool, unless the loop sets the reply with <see cref="TrySetResultOnThisThread"/>.
/// </summary>
internal sealed class ReplyPromise : IValueTaskSource<byte[]>
{
    private ManualResetValueTaskSourceCore<byte[]> _core = new() { RunContinuationsAsynchronously = true };
    private CancellationTokenRegistration _cancellation;
    private int _settled;

    /// <summary>The wait for the reply; ends early, cancelled, when <paramref name="cancel"/> fires.</summary>
    public ValueTask<byte[]> WaitAsync(CancellationToken cancel)
    {
        if (cancel.CanBeCanceled)
        {
            _cancellation = cancel.UnsafeRegister(static (state, token) => ((ReplyPromise)state!).TrySetCanceled(token), this);
        }
        return new ValueTask<byte[]>(this, _core.Version);
    }

    public bool TrySetResult(byte[] reply)
    {
        if (Interlocked.Exchange(ref _settled, 1) != 0) return false;
        _core.SetResult(reply);
        return true;
    }

    /// <summary>
    /// Sets the reply and runs the waiting session's continuation on this thread, now: the
    /// replica's loop answers its writes itself, as a Redis event loop writes its replies, rather
    /// than queueing each session to the thread pool and waking a worker for it.
    /// </summary>
    public bool TrySetResultOnThisThread(byte[] reply)
    {
        if (Interlocked.Exchange(ref _settled, 1) != 0) return false;
        _core.RunContinuationsAsynchronously = false;
        _core.SetResult(reply);
        return true;
    }

    public bool TrySetCanceled(CancellationToken token = default)
    {
        if (Interlocked.Exchange(ref _settled, 1) != 0) return false;
        _core.SetException(new OperationCanceledException(token));
        return true;
    }

    public byte[] GetResult(short token)
    {
        // The wait is over: its cancellation is no longer needed (the session's token outlives it).
        _cancellation.Dispose();
        return _core.GetResult(token);
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
