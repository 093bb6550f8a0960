namespace Paxuby.Cache.Commands;

/// <summary>
/// Table entries for the commands the server executes itself (connection, pub/sub, transactions,
/// administration). They carry no handler; COMMAND INFO/DOCS/COUNT and the server's arity check
/// read them. Arity, flags and categories are Redis 7's.
/// </summary>
internal static class ServerCommandInfos
{
    public static IEnumerable<CommandInfo> All { get; } =
    [
        new CommandInfo("ping", -1, CommandFlags.Fast | CommandFlags.Server, 0, 0, 0, ["@fast", "@connection"], "connection", "Ping the server", "1.0.0"),
        new CommandInfo("echo", 2, CommandFlags.Loading | CommandFlags.Stale | CommandFlags.Fast | CommandFlags.Server, 0, 0, 0, ["@fast", "@connection"], "connection", "Echo the given string", "1.0.0"),
        new CommandInfo("quit", -1, CommandFlags.NoScript | CommandFlags.Loading | CommandFlags.Stale | CommandFlags.Fast | CommandFlags.NoAuth | CommandFlags.AllowBusy | CommandFlags.Server, 0, 0, 0, ["@fast", "@connection"], "connection", "Close the connection", "1.0.0"),
        new CommandInfo("reset", 1, CommandFlags.NoScript | CommandFlags.Loading | CommandFlags.Stale | CommandFlags.Fast | CommandFlags.NoAuth | CommandFlags.AllowBusy | CommandFlags.Server, 0, 0, 0, ["@fast", "@connection"], "connection", "Reset the connection", "6.2.0"),
        new CommandInfo("hello", -1, CommandFlags.NoScript | CommandFlags.Loading | CommandFlags.Stale | CommandFlags.Fast | CommandFlags.NoAuth | CommandFlags.AllowBusy | CommandFlags.Server, 0, 0, 0, ["@fast", "@connection"], "connection", "Handshake with Redis", "6.0.0"),
        new CommandInfo("auth", -2, CommandFlags.NoScript | CommandFlags.Loading | CommandFlags.Stale | CommandFlags.Fast | CommandFlags.NoAuth | CommandFlags.AllowBusy | CommandFlags.Server, 0, 0, 0, ["@fast", "@connection"], "connection", "Authenticate to the server", "1.0.0"),
        new CommandInfo("select", 2, CommandFlags.Loading | CommandFlags.Stale | CommandFlags.Fast | CommandFlags.Server, 0, 0, 0, ["@fast", "@connection"], "connection", "Change the selected database for the current connection", "1.0.0"),
        new CommandInfo("client", -2, CommandFlags.Server, 0, 0, 0, ["@slow"], "connection", "A container for client connection commands", "2.4.0")
        {
            Subcommands =
            [
                new CommandInfo("client|caching", 3, CommandFlags.NoScript | CommandFlags.Loading | CommandFlags.Stale | CommandFlags.Server, 0, 0, 0, ["@slow", "@connection"], "connection", "Instruct the server about tracking or not keys in the next request", "6.0.0"),
                new CommandInfo("client|getname", 2, CommandFlags.NoScript | CommandFlags.Loading | CommandFlags.Stale | CommandFlags.Server, 0, 0, 0, ["@slow", "@connection"], "connection", "Get the current connection name", "2.6.9"),
                new CommandInfo("client|getredir", 2, CommandFlags.NoScript | CommandFlags.Loading | CommandFlags.Stale | CommandFlags.Server, 0, 0, 0, ["@slow", "@connection"], "connection", "Get tracking notifications redirection client ID if any", "6.0.0"),
                new CommandInfo("client|help", 2, CommandFlags.Loading | CommandFlags.Stale | CommandFlags.Server, 0, 0, 0, ["@slow", "@connection"], "connection", "Show helpful text about the different subcommands", "5.0.0"),
                new CommandInfo("client|id", 2, CommandFlags.NoScript | CommandFlags.Loading | CommandFlags.Stale | CommandFlags.Server, 0, 0, 0, ["@slow", "@connection"], "connection", "Returns the client ID for the current connection", "5.0.0"),
                new CommandInfo("client|info", 2, CommandFlags.NoScript | CommandFlags.Loading | CommandFlags.Stale | CommandFlags.Server, 0, 0, 0, ["@slow", "@connection"], "connection", "Returns information about the current client connection.", "6.2.0"),
                new CommandInfo("client|kill", -3, CommandFlags.Admin | CommandFlags.NoScript | CommandFlags.Loading | CommandFlags.Stale | CommandFlags.Server, 0, 0, 0, ["@admin", "@slow", "@dangerous", "@connection"], "connection", "Kill the connection of a client", "2.4.0"),
                new CommandInfo("client|list", -2, CommandFlags.Admin | CommandFlags.NoScript | CommandFlags.Loading | CommandFlags.Stale | CommandFlags.Server, 0, 0, 0, ["@admin", "@slow", "@dangerous", "@connection"], "connection", "Get the list of client connections", "2.4.0"),
                new CommandInfo("client|no-evict", 3, CommandFlags.Admin | CommandFlags.NoScript | CommandFlags.Loading | CommandFlags.Stale | CommandFlags.Server, 0, 0, 0, ["@admin", "@slow", "@dangerous", "@connection"], "connection", "Set client eviction mode for the current connection", "7.0.0"),
                new CommandInfo("client|pause", -3, CommandFlags.Admin | CommandFlags.NoScript | CommandFlags.Loading | CommandFlags.Stale | CommandFlags.Server, 0, 0, 0, ["@admin", "@slow", "@dangerous", "@connection"], "connection", "Stop processing commands from clients for some time", "2.9.50"),
                new CommandInfo("client|reply", 3, CommandFlags.NoScript | CommandFlags.Loading | CommandFlags.Stale | CommandFlags.Server, 0, 0, 0, ["@slow", "@connection"], "connection", "Instruct the server whether to reply to commands", "3.2.0"),
                new CommandInfo("client|setname", 3, CommandFlags.NoScript | CommandFlags.Loading | CommandFlags.Stale | CommandFlags.Server, 0, 0, 0, ["@slow", "@connection"], "connection", "Set the current connection name", "2.6.9"),
                new CommandInfo("client|tracking", -3, CommandFlags.NoScript | CommandFlags.Loading | CommandFlags.Stale | CommandFlags.Server, 0, 0, 0, ["@slow", "@connection"], "connection", "Enable or disable server assisted client side caching support", "6.0.0"),
                new CommandInfo("client|trackinginfo", 2, CommandFlags.NoScript | CommandFlags.Loading | CommandFlags.Stale | CommandFlags.Server, 0, 0, 0, ["@slow", "@connection"], "connection", "Return information about server assisted client side caching for the current connection", "6.2.0"),
                new CommandInfo("client|unblock", -3, CommandFlags.Admin | CommandFlags.NoScript | CommandFlags.Loading | CommandFlags.Stale | CommandFlags.Server, 0, 0, 0, ["@admin", "@slow", "@dangerous", "@connection"], "connection", "Unblock a client blocked in a blocking command from a different connection", "5.0.0"),
                new CommandInfo("client|unpause", 2, CommandFlags.Admin | CommandFlags.NoScript | CommandFlags.Loading | CommandFlags.Stale | CommandFlags.Server, 0, 0, 0, ["@admin", "@slow", "@dangerous", "@connection"], "connection", "Resume processing of clients that were paused", "6.2.0"),
            ],
        },
        new CommandInfo("info", -1, CommandFlags.Loading | CommandFlags.Stale | CommandFlags.Server, 0, 0, 0, ["@slow", "@dangerous"], "server", "Get information and statistics about the server", "1.0.0"),
        new CommandInfo("config", -2, CommandFlags.Server, 0, 0, 0, ["@slow"], "server", "A container for server configuration commands", "2.0.0")
        {
            Subcommands =
            [
                new CommandInfo("config|get", -3, CommandFlags.Admin | CommandFlags.NoScript | CommandFlags.Loading | CommandFlags.Stale | CommandFlags.Server, 0, 0, 0, ["@admin", "@slow", "@dangerous"], "server", "Get the values of configuration parameters", "2.0.0"),
                new CommandInfo("config|help", 2, CommandFlags.Loading | CommandFlags.Stale | CommandFlags.Server, 0, 0, 0, ["@slow"], "server", "Show helpful text about the different subcommands", "5.0.0"),
                new CommandInfo("config|resetstat", 2, CommandFlags.Admin | CommandFlags.NoScript | CommandFlags.Loading | CommandFlags.Stale | CommandFlags.Server, 0, 0, 0, ["@admin", "@slow", "@dangerous"], "server", "Reset the stats returned by INFO", "2.0.0"),
                new CommandInfo("config|rewrite", 2, CommandFlags.Admin | CommandFlags.NoScript | CommandFlags.Loading | CommandFlags.Stale | CommandFlags.Server, 0, 0, 0, ["@admin", "@slow", "@dangerous"], "server", "Rewrite the configuration file with the in memory configuration", "2.8.0"),
                new CommandInfo("config|set", -4, CommandFlags.Admin | CommandFlags.NoScript | CommandFlags.Loading | CommandFlags.Stale | CommandFlags.Server, 0, 0, 0, ["@admin", "@slow", "@dangerous"], "server", "Set configuration parameters to the given values", "2.0.0"),
            ],
        },
        new CommandInfo("command", -1, CommandFlags.Loading | CommandFlags.Stale | CommandFlags.Server, 0, 0, 0, ["@slow", "@connection"], "server", "Get array of Redis command details", "2.8.13")
        {
            Subcommands =
            [
                new CommandInfo("command|count", 2, CommandFlags.Loading | CommandFlags.Stale | CommandFlags.Server, 0, 0, 0, ["@slow", "@connection"], "server", "Get total number of Redis commands", "2.8.13"),
                new CommandInfo("command|docs", -2, CommandFlags.Loading | CommandFlags.Stale | CommandFlags.Server, 0, 0, 0, ["@slow", "@connection"], "server", "Get array of specific Redis command documentation", "7.0.0"),
                new CommandInfo("command|getkeys", -4, CommandFlags.Loading | CommandFlags.Stale | CommandFlags.Server, 0, 0, 0, ["@slow", "@connection"], "server", "Extract keys given a full Redis command", "2.8.13"),
                new CommandInfo("command|getkeysandflags", -4, CommandFlags.Loading | CommandFlags.Stale | CommandFlags.Server, 0, 0, 0, ["@slow", "@connection"], "server", "Extract keys and access flags given a full Redis command", "7.0.0"),
                new CommandInfo("command|help", 2, CommandFlags.Loading | CommandFlags.Stale | CommandFlags.Server, 0, 0, 0, ["@slow", "@connection"], "server", "Show helpful text about the different subcommands", "5.0.0"),
                new CommandInfo("command|info", -2, CommandFlags.Loading | CommandFlags.Stale | CommandFlags.Server, 0, 0, 0, ["@slow", "@connection"], "server", "Get array of specific Redis command details, or all when no argument is given.", "2.8.13"),
                new CommandInfo("command|list", -2, CommandFlags.Loading | CommandFlags.Stale | CommandFlags.Server, 0, 0, 0, ["@slow", "@connection"], "server", "Get an array of Redis command names", "7.0.0"),
            ],
        },
        new CommandInfo("time", 1, CommandFlags.Loading | CommandFlags.Stale | CommandFlags.Fast | CommandFlags.Server, 0, 0, 0, ["@fast"], "server", "Return the current server time", "2.6.0"),
        new CommandInfo("role", 1, CommandFlags.NoScript | CommandFlags.Loading | CommandFlags.Stale | CommandFlags.Fast | CommandFlags.Server, 0, 0, 0, ["@admin", "@fast", "@dangerous"], "server", "Return the role of the instance in the context of replication", "2.8.12"),
        new CommandInfo("lastsave", 1, CommandFlags.Loading | CommandFlags.Stale | CommandFlags.Fast | CommandFlags.Server, 0, 0, 0, ["@admin", "@fast", "@dangerous"], "server", "Get the UNIX time stamp of the last successful save to disk", "1.0.0"),
        new CommandInfo("subscribe", -2, CommandFlags.PubSub | CommandFlags.NoScript | CommandFlags.Loading | CommandFlags.Stale | CommandFlags.Server, 0, 0, 0, ["@pubsub", "@slow"], "pubsub", "Listen for messages published to the given channels", "2.0.0"),
        new CommandInfo("unsubscribe", -1, CommandFlags.PubSub | CommandFlags.NoScript | CommandFlags.Loading | CommandFlags.Stale | CommandFlags.Server, 0, 0, 0, ["@pubsub", "@slow"], "pubsub", "Stop listening for messages posted to the given channels", "2.0.0"),
        new CommandInfo("psubscribe", -2, CommandFlags.PubSub | CommandFlags.NoScript | CommandFlags.Loading | CommandFlags.Stale | CommandFlags.Server, 0, 0, 0, ["@pubsub", "@slow"], "pubsub", "Listen for messages published to channels matching the given patterns", "2.0.0"),
        new CommandInfo("punsubscribe", -1, CommandFlags.PubSub | CommandFlags.NoScript | CommandFlags.Loading | CommandFlags.Stale | CommandFlags.Server, 0, 0, 0, ["@pubsub", "@slow"], "pubsub", "Stop listening for messages posted to channels matching the given patterns", "2.0.0"),
        new CommandInfo("publish", 3, CommandFlags.PubSub | CommandFlags.Loading | CommandFlags.Stale | CommandFlags.Fast | CommandFlags.Server, 0, 0, 0, ["@pubsub", "@fast"], "pubsub", "Post a message to a channel", "2.0.0"),
        new CommandInfo("pubsub", -2, CommandFlags.Server, 0, 0, 0, ["@slow"], "pubsub", "A container for Pub/Sub commands", "2.8.0")
        {
            Subcommands =
            [
                new CommandInfo("pubsub|channels", -2, CommandFlags.PubSub | CommandFlags.Loading | CommandFlags.Stale | CommandFlags.Server, 0, 0, 0, ["@pubsub", "@slow"], "pubsub", "List active channels", "2.8.0"),
                new CommandInfo("pubsub|help", 2, CommandFlags.Loading | CommandFlags.Stale | CommandFlags.Server, 0, 0, 0, ["@slow"], "pubsub", "Show helpful text about the different subcommands", "6.2.0"),
                new CommandInfo("pubsub|numpat", 2, CommandFlags.PubSub | CommandFlags.Loading | CommandFlags.Stale | CommandFlags.Server, 0, 0, 0, ["@pubsub", "@slow"], "pubsub", "Get the count of unique patterns pattern subscriptions", "2.8.0"),
                new CommandInfo("pubsub|numsub", -2, CommandFlags.PubSub | CommandFlags.Loading | CommandFlags.Stale | CommandFlags.Server, 0, 0, 0, ["@pubsub", "@slow"], "pubsub", "Get the count of subscribers for channels", "2.8.0"),
                new CommandInfo("pubsub|shardchannels", -2, CommandFlags.PubSub | CommandFlags.Loading | CommandFlags.Stale | CommandFlags.Server, 0, 0, 0, ["@pubsub", "@slow"], "pubsub", "List active shard channels", "7.0.0"),
                new CommandInfo("pubsub|shardnumsub", -2, CommandFlags.PubSub | CommandFlags.Loading | CommandFlags.Stale | CommandFlags.Server, 0, 0, 0, ["@pubsub", "@slow"], "pubsub", "Get the count of subscribers for shard channels", "7.0.0"),
            ],
        },
        new CommandInfo("multi", 1, CommandFlags.NoScript | CommandFlags.Loading | CommandFlags.Stale | CommandFlags.Fast | CommandFlags.AllowBusy | CommandFlags.Server, 0, 0, 0, ["@fast", "@transaction"], "transactions", "Mark the start of a transaction block", "1.2.0"),
        new CommandInfo("exec", 1, CommandFlags.NoScript | CommandFlags.Loading | CommandFlags.Stale | CommandFlags.SkipSlowlog | CommandFlags.Server, 0, 0, 0, ["@slow", "@transaction"], "transactions", "Execute all commands issued after MULTI", "1.2.0"),
        new CommandInfo("discard", 1, CommandFlags.NoScript | CommandFlags.Loading | CommandFlags.Stale | CommandFlags.Fast | CommandFlags.AllowBusy | CommandFlags.Server, 0, 0, 0, ["@fast", "@transaction"], "transactions", "Discard all commands issued after MULTI", "2.0.0"),
        new CommandInfo("watch", -2, CommandFlags.NoScript | CommandFlags.Loading | CommandFlags.Stale | CommandFlags.Fast | CommandFlags.AllowBusy | CommandFlags.Server, 1, -1, 1, ["@fast", "@transaction"], "transactions", "Watch the given keys to determine execution of the MULTI/EXEC block", "2.2.0"),
        new CommandInfo("unwatch", 1, CommandFlags.NoScript | CommandFlags.Loading | CommandFlags.Stale | CommandFlags.Fast | CommandFlags.AllowBusy | CommandFlags.Server, 0, 0, 0, ["@fast", "@transaction"], "transactions", "Forget about all watched keys", "2.2.0"),
        new CommandInfo("wait", 3, CommandFlags.NoScript | CommandFlags.Server, 0, 0, 0, ["@slow", "@connection"], "generic", "Wait for the synchronous replication of all the write commands sent in the context of the current connection", "3.0.0"),
        new CommandInfo("debug", -2, CommandFlags.Admin | CommandFlags.NoScript | CommandFlags.Loading | CommandFlags.Stale | CommandFlags.Server, 0, 0, 0, ["@admin", "@slow", "@dangerous"], "server", "A container for debugging commands", "1.0.0"),
        new CommandInfo("save", 1, CommandFlags.Admin | CommandFlags.NoScript | CommandFlags.NoAsyncLoading | CommandFlags.NoMulti | CommandFlags.Server, 0, 0, 0, ["@admin", "@slow", "@dangerous"], "server", "Synchronously save the dataset to disk", "1.0.0"),
        new CommandInfo("bgsave", -1, CommandFlags.Admin | CommandFlags.NoScript | CommandFlags.NoAsyncLoading | CommandFlags.Server, 0, 0, 0, ["@admin", "@slow", "@dangerous"], "server", "Asynchronously save the dataset to disk", "1.0.0"),
        new CommandInfo("shutdown", -1, CommandFlags.Admin | CommandFlags.NoScript | CommandFlags.Loading | CommandFlags.Stale | CommandFlags.NoMulti | CommandFlags.AllowBusy | CommandFlags.Server, 0, 0, 0, ["@admin", "@slow", "@dangerous"], "server", "Synchronously save the dataset to disk and then shut down the server", "1.0.0"),
    ];
}
