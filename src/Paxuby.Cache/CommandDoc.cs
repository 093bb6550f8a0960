namespace Paxuby.Cache;

/// <summary>A command's documentation beyond the table's basics: what COMMAND DOCS and the detail of COMMAND INFO report.</summary>
internal sealed record CommandDoc(
    string Complexity,
    string[] Tips,
    KeySpec[] KeySpecs,
    CommandArgument[] Arguments)
{
    public string[] DocFlags { get; init; } = [];

    public string DeprecatedSince { get; init; } = "";

    public string ReplacedBy { get; init; } = "";

    public (string Version, string Change)[] History { get; init; } = [];
}

/// <summary>
/// Where a command's keys are, as Redis 7 key specs: the first at <see cref="BeginIndex"/>, then every
/// <see cref="KeyStep"/>th argument up to <see cref="LastKey"/> (relative; -1 is the last argument).
/// </summary>
internal sealed record KeySpec(string[] Flags, int BeginIndex, int LastKey, int KeyStep, int Limit, string Notes = "");

/// <summary>One argument of a command as COMMAND DOCS describes it; block and oneof arguments nest.</summary>
internal sealed record CommandArgument(string Name, string Type)
{
    public string DisplayText { get; init; } = "";

    public int KeySpecIndex { get; init; } = -1;

    public string Token { get; init; } = "";

    public string Summary { get; init; } = "";

    public string Since { get; init; } = "";

    public string DeprecatedSince { get; init; } = "";

    public string[] Flags { get; init; } = [];

    public CommandArgument[] Arguments { get; init; } = [];
}
