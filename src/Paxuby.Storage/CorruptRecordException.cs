namespace Paxuby.Storage;

/// <summary>A record's bytes do not decode: torn, corrupted, or written by something else.</summary>
public sealed class CorruptRecordException : IOException
{
    public CorruptRecordException(string message)
        : base(message)
    {
    }
}
