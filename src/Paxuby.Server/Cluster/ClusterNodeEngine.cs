using System.Buffers;
using Paxuby.Server.Engine;

namespace Paxuby.Server.Cluster;

/// <summary>One replica's door into a <see cref="LocalCluster"/>: what its client sessions call.</summary>
internal sealed class ClusterNodeEngine(LocalCluster cluster, int node) : ICommandEngine
{
    // The log keeps the bytes past this call, so the proposal owns a copy, taken before any await.
    public ValueTask<byte[]> SubmitWriteAsync(long clientId, long sequence, ReadOnlyMemory<byte> command, CancellationToken cancellationToken) =>
        cluster.WriteAsync(node, clientId, sequence, command.ToArray(), cancellationToken);

    public async ValueTask ReadAsync(ReadOnlyMemory<byte> command, IBufferWriter<byte> reply, CancellationToken cancellationToken)
    {
        byte[] result = await cluster.ReadAsync(node, command.ToArray(), cancellationToken);
        reply.Write(result);
    }

    public long GetWatchVersion(int db, ReadOnlySpan<byte> key) => cluster.GetWatchVersion(node, key, db);

    public EngineStats GetStats() => cluster.GetStats(node);
}
