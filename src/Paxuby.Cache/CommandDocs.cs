namespace Paxuby.Cache;

/// <summary>Documentation of the commands, keyed by full name ("get", "client|kill").</summary>
internal static partial class CommandDocs
{
    private static readonly Dictionary<string, CommandDoc> ByName = Build();

    public static CommandDoc? Find(string fullName) => ByName.GetValueOrDefault(fullName);
}
