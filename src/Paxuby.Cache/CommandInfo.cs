namespace Paxuby.Cache;

/// <summary>Executes one command against the keyspace, writing its reply.</summary>
public delegate void CommandHandler(ref CommandContext context);

/// <summary>
/// One entry of the command table: what COMMAND INFO reports and how the server routes it.
/// Arity follows Redis: positive is exact, negative is a minimum (the name counts).
/// </summary>
public sealed record CommandInfo(
    string Name,
    int Arity,
    CommandFlags Flags,
    int FirstKey,
    int LastKey,
    int Step,
    string[] Categories,
    string Group,
    string Summary,
    string Since,
    CommandHandler? Handler = null)
{
    /// <summary>Subcommands (CLIENT ID, CONFIG GET, …), empty when there are none.</summary>
    public CommandInfo[] Subcommands { get; init; } = [];

    public bool IsWrite => (Flags & CommandFlags.Write) != 0;

    public bool IsServer => (Flags & CommandFlags.Server) != 0;

    /// <summary>True when <paramref name="argumentCount"/> (name included) satisfies the arity.</summary>
    public bool AcceptsArgumentCount(int argumentCount) =>
        Arity >= 0 ? argumentCount == Arity : argumentCount >= -Arity;
}
