using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Paxuby.Transport.Tests;

/// <summary>A hand-driven socket that speaks just enough of the protocol to misbehave after it.</summary>
internal sealed class RawPeer : IAsyncDisposable
{
    private RawPeer(TcpClient client)
    {
        Client = client;
        var stream = client.GetStream();
        Input = PipeReader.Create(stream);
        Output = PipeWriter.Create(stream);
    }

    public TcpClient Client { get; }

    public PipeReader Input { get; }

    public PipeWriter Output { get; }

    public static async Task<RawPeer> ConnectAsync(IPEndPoint endPoint)
    {
        var client = new TcpClient();
        await client.ConnectAsync(endPoint);
        return new RawPeer(client);
    }

    public static RawPeer Wrap(TcpClient client) => new(client);

    public async Task SendAsync(byte[] bytes)
    {
        await Client.GetStream().WriteAsync(bytes);
        await Client.GetStream().FlushAsync();
    }

    /// <summary>Completes the dialer's side of the handshake (no secret) as node <paramref name="selfId"/>.</summary>
    public async Task DialHandshakeAsync(string clusterId, int selfId, int peerId)
    {
        using var timeout = new CancellationTokenSource(Signal.Timeout);
        var hello = PeerHandshake.EncodeHello(clusterId, selfId, peerId, RandomNumberGenerator.GetBytes(PeerHandshake.NonceBytes));
        await PeerHandshake.WriteAsync(Output, FrameTypes.Hello, hello, timeout.Token);
        await PeerHandshake.ReadAsync(Input, FrameTypes.Welcome, timeout.Token);
        await PeerHandshake.WriteAsync(Output, FrameTypes.Proof, [0], timeout.Token);
        await PeerHandshake.ReadAsync(Input, FrameTypes.Ready, timeout.Token);
    }

    /// <summary>Completes the acceptor's side of the handshake (no secret) whoever dials.</summary>
    /// <param name="sameWrite">Frames sent in the same write as Ready, so they arrive with it.</param>
    public async Task AcceptHandshakeAsync(byte[]? sameWrite = null)
    {
        using var timeout = new CancellationTokenSource(Signal.Timeout);
        await PeerHandshake.ReadAsync(Input, FrameTypes.Hello, timeout.Token);
        var welcome = new byte[PeerHandshake.NonceBytes + 1];
        await PeerHandshake.WriteAsync(Output, FrameTypes.Welcome, welcome, timeout.Token);
        await PeerHandshake.ReadAsync(Input, FrameTypes.Proof, timeout.Token);
        FrameWriter.Write(Output, FrameTypes.Ready, []);
        Output.Write(sameWrite ?? []);
        await Output.FlushAsync(timeout.Token);
    }

    public static byte[] Frame(byte frameType, byte[] payload)
    {
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        FrameWriter.Write(output, frameType, payload);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>True once the other end has closed the connection (reads until end of stream).</summary>
    public async Task WaitClosedAsync()
    {
        using var timeout = new CancellationTokenSource(Signal.Timeout);
        var buffer = new byte[4096];
        try
        {
            while (await Client.GetStream().ReadAsync(buffer, timeout.Token) > 0)
            {
            }
        }
        catch (IOException)
        {
            // Reset by the node: closed as well.
        }
    }

    public ValueTask DisposeAsync()
    {
        Client.Dispose();
        return ValueTask.CompletedTask;
    }
}
