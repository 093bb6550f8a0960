using System.Text;
using Paxuby.Resp;

namespace Paxuby.Server.Sessions;

/// <summary>Redis 7's texts for commands refused before they run.</summary>
public static class CommandErrors
{
    /// <summary>"ERR unknown command 'x', with args beginning with: 'a' 'b' " — args until 128 characters, as Redis prints them.</summary>
    public static string UnknownCommand(RespCommand command)
    {
        var args = new StringBuilder();
        for (int i = 1; i < command.Count && args.Length < 128; i++)
        {
            string arg = Sanitize(command.GetString(i));
            int room = 128 - args.Length;
            args.Append('\'').Append(arg.Length <= room ? arg : arg[..room]).Append("' ");
        }
        string name = Sanitize(command.GetString(0));
        if (name.Length > 128) name = name[..128];
        return $"ERR unknown command '{name}', with args beginning with: {args}";
    }

    public static string WrongArity(string fullName) => $"ERR wrong number of arguments for '{fullName}' command";

    public static string UnknownSubcommand(RespCommand command)
    {
        string sub = Sanitize(command.GetString(1));
        if (sub.Length > 128) sub = sub[..128];
        return $"ERR unknown subcommand '{sub}'. Try {command.GetString(0).ToUpperInvariant()} HELP.";
    }

    public const string Syntax = "ERR syntax error";
    public const string NotInteger = "ERR value is not an integer or out of range";

    /// <summary>Redis replaces newlines in error texts with spaces.</summary>
    private static string Sanitize(string text) => text.Replace('\r', ' ').Replace('\n', ' ');
}
