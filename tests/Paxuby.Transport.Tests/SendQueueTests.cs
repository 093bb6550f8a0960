namespace Paxuby.Transport.Tests;

public class SendQueueTests
{
    [Fact]
    public void The_frame_bound_refuses_the_frame_past_it()
    {
        var queue = new SendQueue(maxBytes: 1 << 20, maxFrames: 3);
        Assert.True(queue.TryEnqueue(1, [1]));
        Assert.True(queue.TryEnqueue(1, [2]));
        Assert.True(queue.TryEnqueue(1, [3]));
        Assert.False(queue.TryEnqueue(1, [4]));
    }

    [Fact]
    public void The_byte_bound_refuses_frames_but_an_empty_queue_takes_one_large_frame()
    {
        var queue = new SendQueue(maxBytes: 100, maxFrames: 1000);
        Assert.True(queue.TryEnqueue(1, new byte[500]));
        Assert.False(queue.TryEnqueue(1, [1]));

        var taken = queue.Take(out var frames, out var bytes);
        Assert.Equal(1, frames);
        Assert.Equal(506, bytes);
        queue.Release(taken, frames, bytes);
        Assert.Equal(0, queue.QueuedBytes);
        Assert.True(queue.TryEnqueue(1, new byte[40]));
        Assert.True(queue.TryEnqueue(1, new byte[40]));
        Assert.False(queue.TryEnqueue(1, new byte[40]));
    }

    [Fact]
    public void Take_returns_every_frame_in_order_across_chunks()
    {
        var queue = new SendQueue(maxBytes: 10 << 20, maxFrames: 100_000);
        var expected = new List<byte>();
        for (var i = 0; i < 20_000; i++)
        {
            var payload = new byte[i % 7];
            Array.Fill(payload, (byte)i);
            Assert.True(queue.TryEnqueue((byte)(1 + i % 63), payload));
            expected.AddRange(BitConverter.GetBytes(payload.Length + 2));
            expected.Add(1);
            expected.Add((byte)(1 + i % 63));
            expected.AddRange(payload);
        }
        var taken = queue.Take(out var frames, out var bytes);
        Assert.True(taken.Count > 1);
        Assert.Equal(20_000, frames);
        Assert.Equal(expected.Count, bytes);
        Assert.Equal(expected, taken.SelectMany(c => c.Span.ToArray()));
        queue.Release(taken, frames, bytes);
    }

    [Fact]
    public void A_closed_queue_refuses_frames()
    {
        var queue = new SendQueue(maxBytes: 1000, maxFrames: 10);
        Assert.True(queue.TryEnqueue(1, [1]));
        queue.Close();
        Assert.False(queue.TryEnqueue(1, [1]));
        Assert.Equal(0, queue.QueuedBytes);
    }
}
