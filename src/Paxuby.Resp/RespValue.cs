using System.Globalization;
using System.Text;

namespace Paxuby.Resp;

/// <summary>The RESP2/RESP3 reply types, named after their wire prefix's meaning.</summary>
public enum RespKind
{
    SimpleString,  // +
    Error,         // -
    Integer,       // :
    BulkString,    // $ ($-1 is a null bulk string)
    Array,         // * (*-1 is a null array)
    Null,          // _
    Double,        // ,
    Boolean,       // #
    BigNumber,     // (
    BulkError,     // !
    Verbatim,      // =
    Map,           // %
    Set,           // ~
    Push,          // >
}

/// <summary>
/// One parsed reply. String kinds carry <see cref="Bytes"/>; aggregates carry <see cref="Items"/>
/// (a map as key, value, key, value…). Meant for tests, tools and forwarding, not the hot path.
/// </summary>
public sealed class RespValue
{
    private RespValue(RespKind kind, byte[]? bytes = null, long integer = 0, IReadOnlyList<RespValue>? items = null, string? format = null)
    {
        Kind = kind;
        Bytes = bytes;
        Integer = integer;
        Items = items;
        Format = format;
    }

    public RespKind Kind { get; }

    /// <summary>The payload of a string kind (for a verbatim string, without its "txt:" prefix); the text of a double or big number.</summary>
    public byte[]? Bytes { get; }

    /// <summary>The value of an integer; 1 or 0 for a boolean.</summary>
    public long Integer { get; }

    /// <summary>Elements of an array, set or push; keys and values in turn for a map.</summary>
    public IReadOnlyList<RespValue>? Items { get; }

    /// <summary>The three-letter format of a verbatim string ("txt", "mkd").</summary>
    public string? Format { get; }

    public string? Text => Bytes is null ? null : Encoding.UTF8.GetString(Bytes);

    public bool Boolean => Integer != 0;

    /// <summary>The value of a double ("inf", "-inf" and "nan" included).</summary>
    public double Double => Text switch
    {
        "inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        "nan" or "-nan" => double.NaN,
        string text => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
        null => throw new InvalidOperationException("not a double"),
    };

    /// <summary>True for "_", "$-1" and "*-1".</summary>
    public bool IsNull => Kind == RespKind.Null
        || (Kind == RespKind.BulkString && Bytes is null)
        || (Kind == RespKind.Array && Items is null);

    public bool IsError => Kind is RespKind.Error or RespKind.BulkError;

    public static RespValue String(RespKind kind, byte[]? bytes) => new(kind, bytes);

    public static RespValue Verbatim(string format, byte[] text) => new(RespKind.Verbatim, text, format: format);

    public static RespValue Number(long value) => new(RespKind.Integer, integer: value);

    public static RespValue Bool(bool value) => new(RespKind.Boolean, integer: value ? 1 : 0);

    public static RespValue Aggregate(RespKind kind, IReadOnlyList<RespValue>? items) => new(kind, items: items);

    public static RespValue NullValue { get; } = new(RespKind.Null);

    /// <summary>The reply as redis-cli shows it on a terminal.</summary>
    public override string ToString()
    {
        var output = new StringBuilder();
        RedisCliFormat.Append(output, this, "");
        return output.ToString().TrimEnd('\n');
    }
}
