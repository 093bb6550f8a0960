using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Paxuby.Server.Cluster;

/// <summary>
/// One dedicated thread, at the lowest CPU priority, for background work that must not take
/// cores from the replicas' loops: serialising and writing a snapshot is tens of milliseconds of
/// CPU, and on a small machine every one of them is a millisecond the loops wait. Work runs one
/// item at a time, in the order posted; the queue is bounded.
/// </summary>
internal sealed partial class LowPriorityWorker
{
    /// <summary>The nice value of the thread on Linux: the weakest claim on a CPU the scheduler knows.</summary>
    public const int Nice = 19;

    private const int Capacity = 16;

    private readonly BlockingCollection<Action> _queue = new(Capacity);
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public LowPriorityWorker(string name)
    {
        new Thread(Run) { IsBackground = true, Name = name }.Start();
    }

    /// <summary>Queues <paramref name="work"/>; false once the worker is stopping.</summary>
    public bool TryPost(Action work) => !_queue.IsAddingCompleted && _queue.TryAdd(work);

    /// <summary>Completes once the work already posted has run and the thread has ended.</summary>
    public Task StopAsync()
    {
        _queue.CompleteAdding();
        return _stopped.Task;
    }

    private void Run()
    {
        try
        {
            if (OperatingSystem.IsLinux())
            {
                // Raising one's own nice value needs no privilege; failing to is harmless.
                _ = SetPriority(PriorityOfProcess, GetThreadId(), Nice);
            }
            foreach (Action work in _queue.GetConsumingEnumerable())
            {
                work();
            }
        }
        finally
        {
            _stopped.TrySetResult();
        }
    }

    // On Linux "process" here means the thread whose id is given.
    private const int PriorityOfProcess = 0;

    [LibraryImport("libc", EntryPoint = "setpriority")]
    private static partial int SetPriority(int which, int who, int priority);

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetThreadId();
}
