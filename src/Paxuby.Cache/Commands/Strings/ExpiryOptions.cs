using System.Text;
using Paxuby.Resp;

namespace Paxuby.Cache.Commands.Strings;

/// <summary>The options of SET and GETEX, as bits so that each rule is one mask test.</summary>
[Flags]
internal enum ExpiryOptionFlags
{
    None = 0,
    Nx = 1 << 0,
    Xx = 1 << 1,
    Get = 1 << 2,
    KeepTtl = 1 << 3,
    Persist = 1 << 4,
    Ex = 1 << 5,
    Px = 1 << 6,
    ExAt = 1 << 7,
    PxAt = 1 << 8,

    AnyExpiry = Ex | Px | ExAt | PxAt,
    InSeconds = Ex | ExAt,
    Relative = Ex | Px,
    Absolute = ExAt | PxAt,
}

/// <summary>
/// Parses the options after "SET key value" and "GETEX key" with Redis's rules
/// (parseExtendedStringArgumentsOrReply): an option may repeat, but NX excludes XX, and one
/// expiry kind (EX, PX, EXAT, PXAT) excludes the others, KEEPTTL and PERSIST. The expiry
/// argument is converted only after every option has been read, so "EX abc FOO" is a syntax error.
/// </summary>
internal static class ExpiryOptions
{
    /// <summary>Which command the options belong to: SET has NX/XX/GET/KEEPTTL, GETEX has PERSIST.</summary>
    public enum Command
    {
        Set,
        GetEx,
    }

    /// <summary>
    /// Reads options from <paramref name="first"/> on. <paramref name="expiryIndex"/> is the
    /// argument that holds the last expiry given (0 when none). False on a syntax error.
    /// </summary>
    public static bool TryParse(RespCommand args, int first, Command command, out ExpiryOptionFlags flags, out int expiryIndex)
    {
        flags = ExpiryOptionFlags.None;
        expiryIndex = 0;
        bool isSet = command == Command.Set;
        for (int i = first; i < args.Count; i++)
        {
            ReadOnlySpan<byte> option = args[i];
            bool hasNext = i + 1 < args.Count;
            if (isSet && Is(option, "NX"u8) && !Has(flags, ExpiryOptionFlags.Xx))
            {
                flags |= ExpiryOptionFlags.Nx;
            }
            else if (isSet && Is(option, "XX"u8) && !Has(flags, ExpiryOptionFlags.Nx))
            {
                flags |= ExpiryOptionFlags.Xx;
            }
            else if (isSet && Is(option, "GET"u8))
            {
                flags |= ExpiryOptionFlags.Get;
            }
            else if (isSet && Is(option, "KEEPTTL"u8) && !Has(flags, ExpiryOptionFlags.AnyExpiry | ExpiryOptionFlags.Persist))
            {
                flags |= ExpiryOptionFlags.KeepTtl;
            }
            else if (!isSet && Is(option, "PERSIST"u8) && !Has(flags, ExpiryOptionFlags.AnyExpiry | ExpiryOptionFlags.KeepTtl))
            {
                flags |= ExpiryOptionFlags.Persist;
            }
            else if (hasNext && TryExpiryKind(option, out ExpiryOptionFlags kind) && !Has(flags, ConflictsWith(kind)))
            {
                flags |= kind;
                expiryIndex = ++i;
            }
            else
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// Converts the expiry argument to an absolute time in ms, as Redis's
    /// getExpireMillisecondsOrReply: not an integer → "value is not an integer", not positive,
    /// too large to scale or wrapping past the long range once "now" is added → "invalid expire time".
    /// On failure the error is written and false returned.
    /// </summary>
    public static bool TryGetExpireAtMs(ref CommandContext ctx, ReadOnlySpan<byte> text, ExpiryOptionFlags flags, out long expireAtMs)
    {
        expireAtMs = 0;
        if (!RedisInteger.TryParse(text, out long value))
        {
            ctx.Reply.WriteError(CacheErrors.NotInteger);
            return false;
        }
        bool inSeconds = Has(flags, ExpiryOptionFlags.InSeconds);
        if (value <= 0 || (inSeconds && value > long.MaxValue / 1000))
        {
            CacheErrors.WriteInvalidExpireTime(ctx.Reply, ctx.Args[0]);
            return false;
        }
        if (inSeconds) value *= 1000;
        // Redis adds the time without an overflow check and refuses the wrapped, negative result.
        if (Has(flags, ExpiryOptionFlags.Relative)) value = unchecked(value + ctx.NowMs);
        if (value <= 0)
        {
            CacheErrors.WriteInvalidExpireTime(ctx.Reply, ctx.Args[0]);
            return false;
        }
        expireAtMs = value;
        return true;
    }

    private static bool TryExpiryKind(ReadOnlySpan<byte> option, out ExpiryOptionFlags kind)
    {
        kind = option.Length switch
        {
            2 when Is(option, "EX"u8) => ExpiryOptionFlags.Ex,
            2 when Is(option, "PX"u8) => ExpiryOptionFlags.Px,
            4 when Is(option, "EXAT"u8) => ExpiryOptionFlags.ExAt,
            4 when Is(option, "PXAT"u8) => ExpiryOptionFlags.PxAt,
            _ => ExpiryOptionFlags.None,
        };
        return kind != ExpiryOptionFlags.None;
    }

    /// <summary>An expiry kind excludes the other kinds, KEEPTTL and PERSIST, but may repeat itself.</summary>
    private static ExpiryOptionFlags ConflictsWith(ExpiryOptionFlags kind) =>
        (ExpiryOptionFlags.AnyExpiry & ~kind) | ExpiryOptionFlags.KeepTtl | ExpiryOptionFlags.Persist;

    private static bool Has(ExpiryOptionFlags flags, ExpiryOptionFlags any) => (flags & any) != 0;

    private static bool Is(ReadOnlySpan<byte> option, ReadOnlySpan<byte> upperName) => Ascii.EqualsIgnoreCase(option, upperName);
}
