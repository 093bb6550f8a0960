using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Paxuby.Resp;

/// <summary>
/// Input that Redis 7 rejects. <see cref="Exception.Message"/> is the text Redis writes after
/// "-ERR "; the server replies with it and closes the connection.
/// </summary>
public sealed class RespProtocolException : Exception
{
    public RespProtocolException(string message) : base(message)
    {
    }

    /// <summary>The message as Redis's bytes (it may quote one raw byte of the input).</summary>
    public byte[] MessageBytes => Encoding.Latin1.GetBytes(Message);

    internal const string InvalidMultibulkLength = "Protocol error: invalid multibulk length";
    internal const string InvalidBulkLength = "Protocol error: invalid bulk length";
    internal const string TooBigMultibulkCount = "Protocol error: too big mbulk count string";
    internal const string TooBigBulkCount = "Protocol error: too big bulk count string";
    internal const string TooBigInline = "Protocol error: too big inline request";
    internal const string UnauthenticatedMultibulkLength = "Protocol error: unauthenticated multibulk length";
    internal const string UnauthenticatedBulkLength = "Protocol error: unauthenticated bulk length";
    internal const string CommandTooLarge = "Protocol error: command too large";
    internal const string UnbalancedQuotes = "Protocol error: unbalanced quotes in request";

    [DoesNotReturn]
    internal static void Throw(string message) => throw new RespProtocolException(message);

    /// <summary>Redis replaces a CR or LF in an error with a space; other bytes appear raw.</summary>
    [DoesNotReturn]
    internal static void ThrowExpectedDollar(byte got)
    {
        char shown = got is (byte)'\r' or (byte)'\n' ? ' ' : (char)got;
        throw new RespProtocolException("Protocol error: expected '$', got '" + shown + "'");
    }
}
