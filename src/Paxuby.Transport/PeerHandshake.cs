using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Text;

namespace Paxuby.Transport;

/// <summary>
/// Opens a link before any user frame passes. The lower id dials:
/// <code>
/// dialer   → Hello   {version u8, clusterIdLength u8, clusterId, fromId i32, toId i32, nonce[32]}
/// acceptor → Welcome {nonce[32], proofLength u8, HMAC(secret, "paxuby-accept" | dialer nonce | fromId | toId)}
/// dialer   → Proof   {proofLength u8, HMAC(secret, "paxuby-dial" | acceptor nonce | fromId | toId)}
/// acceptor → Ready   {}
/// </code>
/// Either side answers a mismatch with Refuse {UTF-8 reason} and closes, so both ends can log why.
/// The proofs are empty when no secret is configured; only the identity checks apply then.
/// Fresh nonces on both sides stop a recorded handshake from being replayed.
/// </summary>
internal static class PeerHandshake
{
    public const byte Version = 1;
    public const int NonceBytes = 32;
    public const int ProofBytes = HMACSHA256.HashSizeInBytes;

    /// <summary>No handshake frame is bigger; a stranger claiming more is cut off early.</summary>
    public const int MaxFrameBytes = 1024;

    private static ReadOnlySpan<byte> AcceptLabel => "paxuby-accept"u8;
    private static ReadOnlySpan<byte> DialLabel => "paxuby-dial"u8;

    /// <summary>Runs the dialer's side against the node that should be <paramref name="peerId"/>.</summary>
    public static async Task DialAsync(IDuplexPipe pipe, PeerNetworkOptions options, int peerId, CancellationToken cancellationToken)
    {
        var nonce = RandomNumberGenerator.GetBytes(NonceBytes);
        await WriteAsync(pipe.Output, FrameTypes.Hello, EncodeHello(options.ClusterId, options.SelfId, peerId, nonce), cancellationToken);

        var welcome = await ReadAsync(pipe.Input, FrameTypes.Welcome, cancellationToken);
        if (welcome.Length < NonceBytes + 1 || welcome.Length != NonceBytes + 1 + welcome[NonceBytes])
        {
            throw new PeerProtocolException($"malformed welcome from peer {peerId} ({welcome.Length} bytes)");
        }
        var acceptorNonce = welcome.AsSpan(0, NonceBytes).ToArray();
        var acceptorProof = welcome.AsSpan(NonceBytes + 1);
        var problem = CheckProof(options.Secret, acceptorProof, AcceptLabel, nonce, options.SelfId, peerId, $"peer {peerId}");
        if (problem is not null)
        {
            await RefuseAsync(pipe.Output, problem, cancellationToken);
            throw new PeerProtocolException(problem);
        }

        await WriteAsync(pipe.Output, FrameTypes.Proof, EncodeProof(options.Secret, DialLabel, acceptorNonce, options.SelfId, peerId), cancellationToken);
        var ready = await ReadAsync(pipe.Input, FrameTypes.Ready, cancellationToken);
        if (ready.Length != 0)
        {
            throw new PeerProtocolException($"malformed ready from peer {peerId} ({ready.Length} bytes)");
        }
    }

    /// <summary>Runs the acceptor's side; returns the id the dialer proved to be.</summary>
    public static async Task<int> AcceptAsync(IDuplexPipe pipe, PeerNetworkOptions options, Func<int, bool> isPeer, CancellationToken cancellationToken)
    {
        var hello = await ReadAsync(pipe.Input, FrameTypes.Hello, cancellationToken);
        var (version, clusterId, fromId, toId, dialerNonce) = DecodeHello(hello);
        var problem =
            version != Version ? $"handshake version {version} is not supported (this node speaks {Version})"
            : clusterId != options.ClusterId ? $"cluster id mismatch: node {fromId} is in cluster '{clusterId}', this node {options.SelfId} is in '{options.ClusterId}'"
            : toId != options.SelfId ? $"node {fromId} dialed node {toId}, but this is node {options.SelfId} (addresses configured differently?)"
            : !isPeer(fromId) ? $"node {fromId} is not a configured peer of node {options.SelfId}"
            : fromId >= options.SelfId ? $"node {fromId} dialed node {options.SelfId}, but the lower id dials"
            : null;
        if (problem is not null)
        {
            await RefuseAsync(pipe.Output, problem, cancellationToken);
            throw new PeerProtocolException(problem);
        }

        var nonce = RandomNumberGenerator.GetBytes(NonceBytes);
        var proof = EncodeProof(options.Secret, AcceptLabel, dialerNonce, fromId, options.SelfId);
        var welcome = new byte[NonceBytes + proof.Length];
        nonce.CopyTo(welcome, 0);
        proof.CopyTo(welcome, NonceBytes);
        await WriteAsync(pipe.Output, FrameTypes.Welcome, welcome, cancellationToken);

        var answer = await ReadAsync(pipe.Input, FrameTypes.Proof, cancellationToken);
        if (answer.Length < 1 || answer.Length != 1 + answer[0])
        {
            throw new PeerProtocolException($"malformed proof from node {fromId} ({answer.Length} bytes)");
        }
        problem = CheckProof(options.Secret, answer.AsSpan(1), DialLabel, nonce, fromId, options.SelfId, $"node {fromId}");
        if (problem is not null)
        {
            await RefuseAsync(pipe.Output, problem, cancellationToken);
            throw new PeerProtocolException(problem);
        }
        await WriteAsync(pipe.Output, FrameTypes.Ready, [], cancellationToken);
        return fromId;
    }

    internal static byte[] EncodeHello(string clusterId, int fromId, int toId, ReadOnlySpan<byte> nonce)
    {
        var cluster = Encoding.UTF8.GetBytes(clusterId);
        var hello = new byte[2 + cluster.Length + 2 * sizeof(int) + NonceBytes];
        hello[0] = Version;
        hello[1] = checked((byte)cluster.Length);
        cluster.CopyTo(hello, 2);
        var rest = hello.AsSpan(2 + cluster.Length);
        BinaryPrimitives.WriteInt32LittleEndian(rest, fromId);
        BinaryPrimitives.WriteInt32LittleEndian(rest[sizeof(int)..], toId);
        nonce.CopyTo(rest[(2 * sizeof(int))..]);
        return hello;
    }

    private static (byte Version, string ClusterId, int FromId, int ToId, byte[] Nonce) DecodeHello(byte[] hello)
    {
        if (hello.Length < 2 || hello.Length != 2 + hello[1] + 2 * sizeof(int) + NonceBytes)
        {
            throw new PeerProtocolException($"malformed hello ({hello.Length} bytes)");
        }
        string clusterId;
        try
        {
            clusterId = new UTF8Encoding(false, true).GetString(hello, 2, hello[1]);
        }
        catch (DecoderFallbackException)
        {
            throw new PeerProtocolException("hello carries a cluster id that is not UTF-8");
        }
        var rest = hello.AsSpan(2 + hello[1]);
        return (hello[0], clusterId, BinaryPrimitives.ReadInt32LittleEndian(rest),
            BinaryPrimitives.ReadInt32LittleEndian(rest[sizeof(int)..]), rest[(2 * sizeof(int))..].ToArray());
    }

    /// <summary>proofLength u8 then the HMAC; just a zero length without a secret.</summary>
    internal static byte[] EncodeProof(byte[]? secret, ReadOnlySpan<byte> label, ReadOnlySpan<byte> nonce, int dialerId, int acceptorId)
    {
        if (secret is null)
        {
            return [0];
        }
        var proof = new byte[1 + ProofBytes];
        proof[0] = ProofBytes;
        Mac(secret, label, nonce, dialerId, acceptorId, proof.AsSpan(1));
        return proof;
    }

    private static string? CheckProof(byte[]? secret, ReadOnlySpan<byte> proof, ReadOnlySpan<byte> label, ReadOnlySpan<byte> nonce, int dialerId, int acceptorId, string who)
    {
        if (secret is null)
        {
            return proof.IsEmpty ? null : $"{who} requires a cluster secret, but this node has none configured";
        }
        if (proof.IsEmpty)
        {
            return $"{who} has no cluster secret configured, but this node requires one";
        }
        Span<byte> expected = stackalloc byte[ProofBytes];
        Mac(secret, label, nonce, dialerId, acceptorId, expected);
        return CryptographicOperations.FixedTimeEquals(expected, proof)
            ? null
            : $"{who} failed to prove the cluster secret (the secrets differ)";
    }

    private static void Mac(byte[] secret, ReadOnlySpan<byte> label, ReadOnlySpan<byte> nonce, int dialerId, int acceptorId, Span<byte> destination)
    {
        Span<byte> message = stackalloc byte[label.Length + nonce.Length + 2 * sizeof(int)];
        label.CopyTo(message);
        nonce.CopyTo(message[label.Length..]);
        BinaryPrimitives.WriteInt32LittleEndian(message[(label.Length + nonce.Length)..], dialerId);
        BinaryPrimitives.WriteInt32LittleEndian(message[(label.Length + nonce.Length + sizeof(int))..], acceptorId);
        HMACSHA256.HashData(secret, message, destination);
    }

    private static async Task RefuseAsync(PipeWriter output, string reason, CancellationToken cancellationToken)
    {
        // Best effort: the refused side logs the reason; the connection closes either way.
        try
        {
            var bytes = Encoding.UTF8.GetBytes(reason.Length > 400 ? reason[..400] : reason);
            await WriteAsync(output, FrameTypes.Refuse, bytes, cancellationToken);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or InvalidOperationException or ObjectDisposedException)
        {
        }
    }

    internal static async ValueTask WriteAsync(PipeWriter output, byte frameType, byte[] payload, CancellationToken cancellationToken)
    {
        FrameWriter.Write(output, frameType, payload);
        await output.FlushAsync(cancellationToken);
    }

    /// <summary>Reads the next frame, which must be <paramref name="expected"/> (or a Refuse).</summary>
    internal static async ValueTask<byte[]> ReadAsync(PipeReader input, byte expected, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            var complete = false;
            byte frameType;
            byte[] bytes = [];
            try
            {
                complete = FrameReader.TryRead(ref buffer, MaxFrameBytes, out frameType, out var payload);
                if (complete)
                {
                    bytes = payload.ToArray();
                }
            }
            finally
            {
                // Bytes after a whole frame (the first frames of the link) count as unexamined,
                // or the next read would wait for more data before delivering them.
                input.AdvanceTo(buffer.Start, complete ? buffer.Start : result.Buffer.End);
            }
            if (complete)
            {
                if (frameType == FrameTypes.Refuse)
                {
                    throw new PeerProtocolException($"refused by the peer: {Encoding.UTF8.GetString(bytes)}");
                }
                return frameType == expected
                    ? bytes
                    : throw new PeerProtocolException($"expected handshake frame {expected}, got frame type {frameType}");
            }
            if (result.IsCompleted)
            {
                throw new PeerProtocolException("connection closed during the handshake");
            }
        }
    }
}
