namespace Paxuby.Bench.Load;

internal enum ClientKind
{
    /// <summary><see cref="RespConnection"/>: one socket per client, commands pipelined by hand.</summary>
    RawResp,

    /// <summary>StackExchange.Redis: one multiplexed connection shared by concurrent callers.</summary>
    StackExchangeRedis,
}

/// <summary>One load shape: which command, how many concurrent clients, how deep each pipeline is.</summary>
internal sealed record Workload(Operation Operation, int Clients, int PipelineDepth, ClientKind Client)
{
    public string Name
    {
        get
        {
            string op = Operation == Operation.Set ? "SET" : "GET";
            if (Client == ClientKind.StackExchangeRedis) return $"{op} {Clients} callers SE.Redis";
            string clients = Clients == 1 ? "1 client" : $"{Clients} clients";
            return PipelineDepth > 1 ? $"{op} {clients} x{PipelineDepth}" : $"{op} {clients}";
        }
    }

    /// <summary>The shapes of every run: SETs first, so that GETs find what the SETs wrote.</summary>
    public static IReadOnlyList<Workload> All { get; } =
    [
        new(Operation.Set, 1, 1, ClientKind.RawResp),
        new(Operation.Set, 50, 1, ClientKind.RawResp),
        new(Operation.Set, 50, 16, ClientKind.RawResp),
        new(Operation.Set, 50, 1, ClientKind.StackExchangeRedis),
        new(Operation.Get, 1, 1, ClientKind.RawResp),
        new(Operation.Get, 50, 1, ClientKind.RawResp),
        new(Operation.Get, 50, 16, ClientKind.RawResp),
        new(Operation.Get, 50, 1, ClientKind.StackExchangeRedis),
    ];
}
