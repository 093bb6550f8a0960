using System.Buffers;
using Paxuby.Server.Engine;

namespace Paxuby.Server.Cluster;

/// <summary>One replica's door into the cluster: what its client sessions call.</summary>
internal sealed class ReplicaNodeEngine(ReplicaNode node) : ICommandEngine
{
    // The log keeps the bytes past this call, so the proposal owns a copy, taken before any await.
    public ValueTask<byte[]> SubmitWriteAsync(long clientId, long sequence, ReadOnlyMemory<byte> command, CancellationToken cancellationToken) =>
        node.WriteAsync(clientId, sequence, command.ToArray(), cancellationToken);

    public ValueTask ReadAsync(ReadOnlyMemory<byte> command, IBufferWriter<byte> reply, CancellationToken cancellationToken) =>
        node.TryReadNow(command.Span, reply) ? ValueTask.CompletedTask : ReadThroughLoopAsync(command, reply, cancellationToken);

    private async ValueTask ReadThroughLoopAsync(ReadOnlyMemory<byte> command, IBufferWriter<byte> reply, CancellationToken cancellationToken)
    {
        byte[] result = await node.ReadAsync(command.ToArray(), cancellationToken);
        reply.Write(result);
    }

    public long GetWatchVersion(int db, ReadOnlySpan<byte> key) => node.GetWatchVersion(key, db);

    public EngineStats GetStats() => node.GetStats();
}
