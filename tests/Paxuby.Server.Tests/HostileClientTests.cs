namespace Paxuby.Server.Tests;

/// <summary>Garbage from clients: each gets an answer or a close, and the node keeps serving everyone else.</summary>
public sealed class HostileClientTests : ServerTest
{
    [Fact]
    public void Random_bytes_from_many_clients_never_take_the_node_down()
    {
        var random = new Random(20261128);
        using RawClient witness = Server.Connect();
        witness.Call("SET", "witness", "alive");
        for (int round = 0; round < 200; round++)
        {
            byte[] garbage = new byte[random.Next(1, 300)];
            random.NextBytes(garbage);
            // Half the rounds start like a RESP array, to get past the first byte.
            if (round % 2 == 0) garbage[0] = (byte)'*';
            using (RawClient client = Server.Connect())
            {
                // The node may answer, close with a protocol error, or wait for the rest of a
                // command that claims more bytes; the client then hangs up.
                client.Send(garbage);
            }
            Assert.Equal("+PONG\r\n", witness.Call("PING"));
        }
        Assert.Equal("$5\r\nalive\r\n", witness.Call("GET", "witness"));
        using RawClient fresh = Server.Connect();
        Assert.Equal("+PONG\r\n", fresh.Call("PING"));
    }
}
