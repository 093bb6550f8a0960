namespace Paxuby.Resp;

/// <summary>Bounds on what a client may send, named after the Redis settings they mirror.</summary>
public sealed class RespLimits
{
    /// <summary>Largest accepted bulk argument (Redis's proto-max-bulk-len).</summary>
    public long MaxBulkBytes { get; init; } = 512L * 1024 * 1024;

    /// <summary>
    /// Longest inline line, and longest count line ("*n" or "$n") still waiting for its CR
    /// (Redis's PROTO_INLINE_MAX_SIZE).
    /// </summary>
    public int MaxInlineBytes { get; init; } = 64 * 1024;

    /// <summary>
    /// Largest accepted argument count. Redis 7 accepts any count up to INT_MAX; the reader never
    /// reserves space for the claimed count, only for the arguments that arrive.
    /// </summary>
    public int MaxMultibulkLength { get; init; } = int.MaxValue;

    public static RespLimits Default { get; } = new();
}
