using System.Buffers;

namespace Paxuby.Consensus;

/// <summary>
/// The backend that Paxos replicates (the seed's "arbitrary backends" behind one small interface).
/// Every replica applies the same decided commands in the same slot order, so
/// <see cref="Apply"/> must be deterministic: it may depend only on the state, the slot's
/// timestamp and the command bytes — never on a clock, randomness or unordered iteration.
/// </summary>
public interface IStateMachine
{
    /// <summary>
    /// Applies one decided command and writes its reply. <paramref name="timestampMs"/> is the Unix
    /// time in milliseconds that the leader wrote into the entry; it never decreases from one
    /// applied command to the next and is the only clock the backend may use here.
    /// </summary>
    void Apply(long timestampMs, ReadOnlySpan<byte> command, IBufferWriter<byte> reply);

    /// <summary>
    /// Serves a command that changes nothing, against the state as applied so far.
    /// <paramref name="nowMs"/> is the serving replica's clock (at least the last applied timestamp),
    /// used only to hide what has already expired; a read never mutates.
    /// </summary>
    void Read(long nowMs, ReadOnlySpan<byte> command, IBufferWriter<byte> reply);

    /// <summary>Writes the whole state to <paramref name="destination"/>.</summary>
    void Snapshot(Stream destination);

    /// <summary>Replaces the whole state with one written by <see cref="Snapshot"/>.</summary>
    void Restore(Stream source);

    /// <summary>
    /// Takes the state as of now, on the applying thread, and returns what writes it later — on
    /// any thread, while commands go on being applied — as exactly the bytes <see cref="Snapshot"/>
    /// would have written now. A backend that can take a cheap image (references to values it
    /// never changes in place) overrides this; the default serialises into memory at once.
    /// </summary>
    Action<Stream> CaptureSnapshot()
    {
        var image = new MemoryStream();
        Snapshot(image);
        return destination => image.WriteTo(destination);
    }
}
