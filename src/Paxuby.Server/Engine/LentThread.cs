namespace Paxuby.Server.Engine;

/// <summary>
/// A thread an engine lends to the sessions it answers. A replica's loop runs a session's
/// continuation itself when it sets the reply to a write, and the session goes on with the next
/// commands in its input on that thread. The loop lends a budget of commands per pass; a session
/// that finds it spent moves to the thread pool, so no client's long pipeline holds up the replica.
/// </summary>
internal static class LentThread
{
    [ThreadStatic] private static bool t_lent;
    [ThreadStatic] private static int t_commandsLeft;

    /// <summary>Lends this thread to sessions for <paramref name="commands"/> more commands.</summary>
    public static void Lend(int commands)
    {
        t_lent = true;
        t_commandsLeft = commands;
    }

    /// <summary>False when the caller, a session, must leave this thread before running another command.</summary>
    public static bool TryTakeCommand() => !t_lent || t_commandsLeft-- > 0;
}
