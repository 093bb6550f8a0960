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

    /// <summary>
    /// True while the connection has not authenticated on a server that requires it: as Redis
    /// does, more than 10 arguments or a bulk over 16 KB is then refused.
    /// </summary>
    public bool AuthenticationRequired { get; init; }

    /// <summary>Largest argument count accepted before authentication (hard-coded in Redis).</summary>
    public const int UnauthenticatedMaxMultibulkLength = 10;

    /// <summary>Largest bulk accepted before authentication (hard-coded in Redis).</summary>
    public const int UnauthenticatedMaxBulkBytes = 16 * 1024;

    /// <summary>
    /// Largest total of a command's arguments: they are held in one array. Redis has no such
    /// bound; a command this large is refused as soon as its bulk lengths announce it.
    /// </summary>
    public static long MaxCommandBytes => Array.MaxLength;

    public static RespLimits Default { get; } = new();
}
