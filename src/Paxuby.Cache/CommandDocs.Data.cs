namespace Paxuby.Cache;

// The documentation of every command in the table, as Redis 7.0 reports it (COMMAND DOCS and the
// tips and key specs of COMMAND INFO), taken from Redis's own command descriptions.
internal static partial class CommandDocs
{
    private static Dictionary<string, CommandDoc> Build() =>
        new(StringComparer.Ordinal)
        {
            ["del"] = new(
                "O(N) where N is the number of keys that will be removed. When a key to remove holds a value other than a string, the individual complexity for this key is O(M) where M is the number of elements in the list, set, sorted set or hash. Removing a single key that holds a string value is O(1).",
                ["request_policy:multi_shard", "response_policy:agg_sum"],
                [new(["RM", "delete"], 1, -1, 1, 0)],
                [
                    new("key", "key") { KeySpecIndex = 0, Flags = ["multiple"] },
                ]),
            ["unlink"] = new(
                "O(1) for each key removed regardless of its size. Then the command does O(N) work in a different thread in order to reclaim memory, where N is the number of allocations the deleted objects where composed of.",
                ["request_policy:multi_shard", "response_policy:agg_sum"],
                [new(["RM", "delete"], 1, -1, 1, 0)],
                [
                    new("key", "key") { KeySpecIndex = 0, Flags = ["multiple"] },
                ]),
            ["exists"] = new(
                "O(N) where N is the number of keys to check.",
                ["request_policy:multi_shard", "response_policy:agg_sum"],
                [new(["RO"], 1, -1, 1, 0)],
                [
                    new("key", "key") { KeySpecIndex = 0, Flags = ["multiple"] },
                ])
            {
                History = [("3.0.3", "Accepts multiple `key` arguments.")],
            },
            ["touch"] = new(
                "O(N) where N is the number of keys that will be touched.",
                ["request_policy:multi_shard", "response_policy:agg_sum"],
                [new(["RO"], 1, -1, 1, 0)],
                [
                    new("key", "key") { KeySpecIndex = 0, Flags = ["multiple"] },
                ]),
            ["type"] = new(
                "O(1)",
                [],
                [new(["RO"], 1, 0, 1, 0)],
                [
                    new("key", "key") { KeySpecIndex = 0 },
                ]),
            ["keys"] = new(
                "O(N) with N being the number of keys in the database, under the assumption that the key names in the database and the given pattern have limited length.",
                ["request_policy:all_shards", "nondeterministic_output_order"],
                [],
                [
                    new("pattern", "pattern"),
                ]),
            ["scan"] = new(
                "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.",
                ["nondeterministic_output", "request_policy:special"],
                [],
                [
                    new("cursor", "integer"),
                    new("pattern", "pattern") { Token = "MATCH", Flags = ["optional"] },
                    new("count", "integer") { Token = "COUNT", Flags = ["optional"] },
                    new("type", "string") { Token = "TYPE", Since = "6.0.0", Flags = ["optional"] },
                ])
            {
                History = [("6.0.0", "Added the `TYPE` subcommand.")],
            },
            ["randomkey"] = new(
                "O(1)",
                ["request_policy:all_shards", "nondeterministic_output"],
                [],
                []),
            ["rename"] = new(
                "O(1)",
                [],
                [new(["RW", "access", "delete"], 1, 0, 1, 0), new(["OW", "update"], 2, 0, 1, 0)],
                [
                    new("key", "key") { KeySpecIndex = 0 },
                    new("newkey", "key") { KeySpecIndex = 1 },
                ]),
            ["renamenx"] = new(
                "O(1)",
                [],
                [new(["RW", "access", "delete"], 1, 0, 1, 0), new(["OW", "insert"], 2, 0, 1, 0)],
                [
                    new("key", "key") { KeySpecIndex = 0 },
                    new("newkey", "key") { KeySpecIndex = 1 },
                ])
            {
                History = [("3.2.0", "The command no longer returns an error when source and destination names are the same.")],
            },
            ["copy"] = new(
                "O(N) worst case for collections, where N is the number of nested items. O(1) for string values.",
                [],
                [new(["RO", "access"], 1, 0, 1, 0), new(["OW", "update"], 2, 0, 1, 0)],
                [
                    new("source", "key") { KeySpecIndex = 0 },
                    new("destination", "key") { KeySpecIndex = 1 },
                    new("destination-db", "integer") { Token = "DB", Flags = ["optional"] },
                    new("replace", "pure-token") { Token = "REPLACE", Flags = ["optional"] },
                ]),
            ["move"] = new(
                "O(1)",
                [],
                [new(["RW", "access", "update"], 1, 0, 1, 0)],
                [
                    new("key", "key") { KeySpecIndex = 0 },
                    new("db", "integer"),
                ]),
            ["object"] = new(
                "Depends on subcommand.",
                [],
                [],
                []),
            ["object|encoding"] = new(
                "O(1)",
                ["nondeterministic_output"],
                [new(["RO"], 2, 0, 1, 0)],
                [
                    new("key", "key") { KeySpecIndex = 0 },
                ]),
            ["object|idletime"] = new(
                "O(1)",
                ["nondeterministic_output"],
                [new(["RO"], 2, 0, 1, 0)],
                [
                    new("key", "key") { KeySpecIndex = 0 },
                ]),
            ["object|refcount"] = new(
                "O(1)",
                ["nondeterministic_output"],
                [new(["RO"], 2, 0, 1, 0)],
                [
                    new("key", "key") { KeySpecIndex = 0 },
                ]),
            ["object|freq"] = new(
                "O(1)",
                ["nondeterministic_output"],
                [new(["RO"], 2, 0, 1, 0)],
                [
                    new("key", "key") { KeySpecIndex = 0 },
                ]),
            ["object|help"] = new(
                "O(1)",
                [],
                [],
                []),
            ["expire"] = new(
                "O(1)",
                [],
                [new(["RW", "update"], 1, 0, 1, 0)],
                [
                    new("key", "key") { KeySpecIndex = 0 },
                    new("seconds", "integer"),
                    new("condition", "oneof")
                    {
                        Since = "7.0.0",
                        Flags = ["optional"],
                        Arguments =
                        [
                            new("nx", "pure-token") { Token = "NX" },
                            new("xx", "pure-token") { Token = "XX" },
                            new("gt", "pure-token") { Token = "GT" },
                            new("lt", "pure-token") { Token = "LT" },
                        ]
                    },
                ])
            {
                History = [("7.0.0", "Added options: `NX`, `XX`, `GT` and `LT`.")],
            },
            ["pexpire"] = new(
                "O(1)",
                [],
                [new(["RW", "update"], 1, 0, 1, 0)],
                [
                    new("key", "key") { KeySpecIndex = 0 },
                    new("milliseconds", "integer"),
                    new("condition", "oneof")
                    {
                        Since = "7.0.0",
                        Flags = ["optional"],
                        Arguments =
                        [
                            new("nx", "pure-token") { Token = "NX" },
                            new("xx", "pure-token") { Token = "XX" },
                            new("gt", "pure-token") { Token = "GT" },
                            new("lt", "pure-token") { Token = "LT" },
                        ]
                    },
                ])
            {
                History = [("7.0.0", "Added options: `NX`, `XX`, `GT` and `LT`.")],
            },
            ["expireat"] = new(
                "O(1)",
                [],
                [new(["RW", "update"], 1, 0, 1, 0)],
                [
                    new("key", "key") { KeySpecIndex = 0 },
                    new("unix-time-seconds", "unix-time"),
                    new("condition", "oneof")
                    {
                        Since = "7.0.0",
                        Flags = ["optional"],
                        Arguments =
                        [
                            new("nx", "pure-token") { Token = "NX" },
                            new("xx", "pure-token") { Token = "XX" },
                            new("gt", "pure-token") { Token = "GT" },
                            new("lt", "pure-token") { Token = "LT" },
                        ]
                    },
                ])
            {
                History = [("7.0.0", "Added options: `NX`, `XX`, `GT` and `LT`.")],
            },
            ["pexpireat"] = new(
                "O(1)",
                [],
                [new(["RW", "update"], 1, 0, 1, 0)],
                [
                    new("key", "key") { KeySpecIndex = 0 },
                    new("unix-time-milliseconds", "unix-time"),
                    new("condition", "oneof")
                    {
                        Since = "7.0.0",
                        Flags = ["optional"],
                        Arguments =
                        [
                            new("nx", "pure-token") { Token = "NX" },
                            new("xx", "pure-token") { Token = "XX" },
                            new("gt", "pure-token") { Token = "GT" },
                            new("lt", "pure-token") { Token = "LT" },
                        ]
                    },
                ])
            {
                History = [("7.0.0", "Added options: `NX`, `XX`, `GT` and `LT`.")],
            },
            ["ttl"] = new(
                "O(1)",
                ["nondeterministic_output"],
                [new(["RO", "access"], 1, 0, 1, 0)],
                [
                    new("key", "key") { KeySpecIndex = 0 },
                ])
            {
                History = [("2.8.0", "Added the -2 reply.")],
            },
            ["pttl"] = new(
                "O(1)",
                ["nondeterministic_output"],
                [new(["RO", "access"], 1, 0, 1, 0)],
                [
                    new("key", "key") { KeySpecIndex = 0 },
                ])
            {
                History = [("2.8.0", "Added the -2 reply.")],
            },
            ["expiretime"] = new(
                "O(1)",
                [],
                [new(["RO", "access"], 1, 0, 1, 0)],
                [
                    new("key", "key") { KeySpecIndex = 0 },
                ]),
            ["pexpiretime"] = new(
                "O(1)",
                [],
                [new(["RO", "access"], 1, 0, 1, 0)],
                [
                    new("key", "key") { KeySpecIndex = 0 },
                ]),
            ["persist"] = new(
                "O(1)",
                [],
                [new(["RW", "update"], 1, 0, 1, 0)],
                [
                    new("key", "key") { KeySpecIndex = 0 },
                ]),
            ["dbsize"] = new(
                "O(1)",
                ["request_policy:all_shards", "response_policy:agg_sum"],
                [],
                []),
            ["flushdb"] = new(
                "O(N) where N is the number of keys in the selected database",
                ["request_policy:all_shards", "response_policy:all_succeeded"],
                [],
                [
                    new("async", "oneof")
                    {
                        Flags = ["optional"],
                        Arguments =
                        [
                            new("async", "pure-token") { Token = "ASYNC", Since = "4.0.0" },
                            new("sync", "pure-token") { Token = "SYNC", Since = "6.2.0" },
                        ]
                    },
                ])
            {
                History = [("4.0.0", "Added the `ASYNC` flushing mode modifier."), ("6.2.0", "Added the `SYNC` flushing mode modifier.")],
            },
            ["flushall"] = new(
                "O(N) where N is the total number of keys in all databases",
                ["request_policy:all_shards", "response_policy:all_succeeded"],
                [],
                [
                    new("async", "oneof")
                    {
                        Flags = ["optional"],
                        Arguments =
                        [
                            new("async", "pure-token") { Token = "ASYNC", Since = "4.0.0" },
                            new("sync", "pure-token") { Token = "SYNC", Since = "6.2.0" },
                        ]
                    },
                ])
            {
                History = [("4.0.0", "Added the `ASYNC` flushing mode modifier."), ("6.2.0", "Added the `SYNC` flushing mode modifier.")],
            },
            ["swapdb"] = new(
                "O(N) where N is the count of clients watching or blocking on keys from both databases.",
                [],
                [],
                [
                    new("index1", "integer"),
                    new("index2", "integer"),
                ]),
            ["ping"] = new(
                "O(1)",
                ["request_policy:all_shards", "response_policy:all_succeeded"],
                [],
                [
                    new("message", "string") { Flags = ["optional"] },
                ]),
            ["echo"] = new(
                "O(1)",
                [],
                [],
                [
                    new("message", "string"),
                ]),
            ["quit"] = new(
                "O(1)",
                [],
                [],
                []),
            ["reset"] = new(
                "O(1)",
                [],
                [],
                []),
            ["hello"] = new(
                "O(1)",
                [],
                [],
                [
                    new("arguments", "block")
                    {
                        Flags = ["optional"],
                        Arguments =
                        [
                            new("protover", "integer"),
                            new("username_password", "block")
                            {
                                Token = "AUTH",
                                Flags = ["optional"],
                                Arguments =
                                [
                                    new("username", "string"),
                                    new("password", "string"),
                                ]
                            },
                            new("clientname", "string") { Token = "SETNAME", Flags = ["optional"] },
                        ]
                    },
                ])
            {
                History = [("6.2.0", "`protover` made optional; when called without arguments the command reports the current connection's context.")],
            },
            ["auth"] = new(
                "O(N) where N is the number of passwords defined for the user",
                [],
                [],
                [
                    new("username", "string") { Since = "6.0.0", Flags = ["optional"] },
                    new("password", "string"),
                ])
            {
                History = [("6.0.0", "Added ACL style (username and password).")],
            },
            ["select"] = new(
                "O(1)",
                [],
                [],
                [
                    new("index", "integer"),
                ]),
            ["client"] = new(
                "Depends on subcommand.",
                [],
                [],
                []),
            ["client|list"] = new(
                "O(N) where N is the number of client connections",
                ["nondeterministic_output"],
                [],
                [
                    new("normal_master_replica_pubsub", "oneof")
                    {
                        Token = "TYPE",
                        Since = "5.0.0",
                        Flags = ["optional"],
                        Arguments =
                        [
                            new("normal", "pure-token") { Token = "NORMAL" },
                            new("master", "pure-token") { Token = "MASTER" },
                            new("replica", "pure-token") { Token = "REPLICA" },
                            new("pubsub", "pure-token") { Token = "PUBSUB" },
                        ]
                    },
                    new("id", "block")
                    {
                        Token = "ID",
                        Since = "6.2.0",
                        Flags = ["optional"],
                        Arguments =
                        [
                            new("client-id", "integer") { Flags = ["multiple"] },
                        ]
                    },
                ])
            {
                History = [("2.8.12", "Added unique client `id` field."), ("5.0.0", "Added optional `TYPE` filter."), ("6.0.0", "Added `user` field."), ("6.2.0", "Added `argv-mem`, `tot-mem`, `laddr` and `redir` fields and the optional `ID` filter."), ("7.0.0", "Added `resp`, `multi-mem`, `rbs` and `rbp` fields."), ("7.0.3", "Added `ssub` field.")],
            },
            ["client|getredir"] = new(
                "O(1)",
                [],
                [],
                []),
            ["client|getname"] = new(
                "O(1)",
                [],
                [],
                []),
            ["client|kill"] = new(
                "O(N) where N is the number of client connections",
                [],
                [],
                [
                    new("filter", "oneof")
                    {
                        Arguments =
                        [
                            new("ip:port", "string") { DeprecatedSince = "2.8.12" },
                            new("new-format", "oneof")
                            {
                                Flags = ["multiple"],
                                Arguments =
                                [
                                    new("client-id", "integer") { Token = "ID", Since = "2.8.12", Flags = ["optional"] },
                                    new("normal_master_slave_pubsub", "oneof")
                                    {
                                        Token = "TYPE",
                                        Since = "2.8.12",
                                        Flags = ["optional"],
                                        Arguments =
                                        [
                                            new("normal", "pure-token") { Token = "NORMAL" },
                                            new("master", "pure-token") { Token = "MASTER", Since = "3.2.0" },
                                            new("slave", "pure-token") { Token = "SLAVE" },
                                            new("replica", "pure-token") { Token = "REPLICA", Since = "5.0.0" },
                                            new("pubsub", "pure-token") { Token = "PUBSUB" },
                                        ]
                                    },
                                    new("username", "string") { Token = "USER", Flags = ["optional"] },
                                    new("ip:port", "string") { Token = "ADDR", Flags = ["optional"] },
                                    new("ip:port", "string") { Token = "LADDR", Since = "6.2.0", Flags = ["optional"] },
                                    new("yes/no", "string") { Token = "SKIPME", Flags = ["optional"] },
                                ]
                            },
                        ]
                    },
                ])
            {
                History = [("2.8.12", "Added new filter format."), ("2.8.12", "`ID` option."), ("3.2.0", "Added `master` type in for `TYPE` option."), ("5.0.0", "Replaced `slave` `TYPE` with `replica`. `slave` still supported for backward compatibility."), ("6.2.0", "`LADDR` option.")],
            },
            ["client|no-evict"] = new(
                "O(1)",
                [],
                [],
                [
                    new("enabled", "oneof")
                    {
                        Arguments =
                        [
                            new("on", "pure-token") { Token = "ON" },
                            new("off", "pure-token") { Token = "OFF" },
                        ]
                    },
                ]),
            ["client|trackinginfo"] = new(
                "O(1)",
                [],
                [],
                []),
            ["client|pause"] = new(
                "O(1)",
                [],
                [],
                [
                    new("timeout", "integer"),
                    new("mode", "oneof")
                    {
                        Since = "6.2.0",
                        Flags = ["optional"],
                        Arguments =
                        [
                            new("write", "pure-token") { Token = "WRITE" },
                            new("all", "pure-token") { Token = "ALL" },
                        ]
                    },
                ])
            {
                History = [("6.2.0", "`CLIENT PAUSE WRITE` mode added along with the `mode` option.")],
            },
            ["client|help"] = new(
                "O(1)",
                [],
                [],
                []),
            ["client|info"] = new(
                "O(1)",
                ["nondeterministic_output"],
                [],
                []),
            ["client|unpause"] = new(
                "O(N) Where N is the number of paused clients",
                [],
                [],
                []),
            ["client|reply"] = new(
                "O(1)",
                [],
                [],
                [
                    new("on_off_skip", "oneof")
                    {
                        Arguments =
                        [
                            new("on", "pure-token") { Token = "ON" },
                            new("off", "pure-token") { Token = "OFF" },
                            new("skip", "pure-token") { Token = "SKIP" },
                        ]
                    },
                ]),
            ["client|tracking"] = new(
                "O(1). Some options may introduce additional complexity.",
                [],
                [],
                [
                    new("status", "oneof")
                    {
                        Arguments =
                        [
                            new("on", "pure-token") { Token = "ON" },
                            new("off", "pure-token") { Token = "OFF" },
                        ]
                    },
                    new("client-id", "integer") { Token = "REDIRECT", Flags = ["optional"] },
                    new("prefix", "string") { Token = "PREFIX", Flags = ["optional", "multiple", "multiple_token"] },
                    new("bcast", "pure-token") { Token = "BCAST", Flags = ["optional"] },
                    new("optin", "pure-token") { Token = "OPTIN", Flags = ["optional"] },
                    new("optout", "pure-token") { Token = "OPTOUT", Flags = ["optional"] },
                    new("noloop", "pure-token") { Token = "NOLOOP", Flags = ["optional"] },
                ]),
            ["client|id"] = new(
                "O(1)",
                [],
                [],
                []),
            ["client|caching"] = new(
                "O(1)",
                [],
                [],
                [
                    new("mode", "oneof")
                    {
                        Arguments =
                        [
                            new("yes", "pure-token") { Token = "YES" },
                            new("no", "pure-token") { Token = "NO" },
                        ]
                    },
                ]),
            ["client|setname"] = new(
                "O(1)",
                [],
                [],
                [
                    new("connection-name", "string"),
                ]),
            ["client|unblock"] = new(
                "O(log N) where N is the number of client connections",
                [],
                [],
                [
                    new("client-id", "integer"),
                    new("timeout_error", "oneof")
                    {
                        Flags = ["optional"],
                        Arguments =
                        [
                            new("timeout", "pure-token") { Token = "TIMEOUT" },
                            new("error", "pure-token") { Token = "ERROR" },
                        ]
                    },
                ]),
            ["info"] = new(
                "O(1)",
                ["nondeterministic_output", "request_policy:all_shards", "response_policy:special"],
                [],
                [
                    new("section", "string") { Flags = ["optional", "multiple"] },
                ])
            {
                History = [("7.0.0", "Added support for taking multiple section arguments.")],
            },
            ["config"] = new(
                "Depends on subcommand.",
                [],
                [],
                []),
            ["config|rewrite"] = new(
                "O(1)",
                [],
                [],
                []),
            ["config|resetstat"] = new(
                "O(1)",
                [],
                [],
                []),
            ["config|get"] = new(
                "O(N) when N is the number of configuration parameters provided",
                [],
                [],
                [
                    new("parameter", "block")
                    {
                        Flags = ["multiple"],
                        Arguments =
                        [
                            new("parameter", "string"),
                        ]
                    },
                ])
            {
                History = [("7.0.0", "Added the ability to pass multiple pattern parameters in one call")],
            },
            ["config|help"] = new(
                "O(1)",
                [],
                [],
                []),
            ["config|set"] = new(
                "O(N) when N is the number of configuration parameters provided",
                ["request_policy:all_nodes", "response_policy:all_succeeded"],
                [],
                [
                    new("parameter_value", "block")
                    {
                        Flags = ["multiple"],
                        Arguments =
                        [
                            new("parameter", "string"),
                            new("value", "string"),
                        ]
                    },
                ])
            {
                History = [("7.0.0", "Added the ability to set multiple parameters in one call.")],
            },
            ["command"] = new(
                "O(N) where N is the total number of Redis commands",
                ["nondeterministic_output_order"],
                [],
                []),
            ["command|list"] = new(
                "O(N) where N is the total number of Redis commands",
                ["nondeterministic_output_order"],
                [],
                [
                    new("filterby", "oneof")
                    {
                        Token = "FILTERBY",
                        Flags = ["optional"],
                        Arguments =
                        [
                            new("module-name", "string") { Token = "MODULE" },
                            new("category", "string") { Token = "ACLCAT" },
                            new("pattern", "pattern") { Token = "PATTERN" },
                        ]
                    },
                ]),
            ["command|getkeys"] = new(
                "O(N) where N is the number of arguments to the command",
                [],
                [],
                []),
            ["command|info"] = new(
                "O(N) where N is the number of commands to look up",
                ["nondeterministic_output_order"],
                [],
                [
                    new("command-name", "string") { Flags = ["optional", "multiple"] },
                ])
            {
                History = [("7.0.0", "Allowed to be called with no argument to get info on all commands.")],
            },
            ["command|getkeysandflags"] = new(
                "O(N) where N is the number of arguments to the command",
                [],
                [],
                []),
            ["command|help"] = new(
                "O(1)",
                [],
                [],
                []),
            ["command|count"] = new(
                "O(1)",
                [],
                [],
                []),
            ["command|docs"] = new(
                "O(N) where N is the number of commands to look up",
                ["nondeterministic_output_order"],
                [],
                [
                    new("command-name", "string") { Flags = ["optional", "multiple"] },
                ]),
            ["time"] = new(
                "O(1)",
                ["nondeterministic_output"],
                [],
                []),
            ["role"] = new(
                "O(1)",
                [],
                [],
                []),
            ["lastsave"] = new(
                "O(1)",
                ["nondeterministic_output"],
                [],
                []),
            ["subscribe"] = new(
                "O(N) where N is the number of channels to subscribe to.",
                [],
                [],
                [
                    new("channel", "string") { Flags = ["multiple"] },
                ]),
            ["unsubscribe"] = new(
                "O(N) where N is the number of clients already subscribed to a channel.",
                [],
                [],
                [
                    new("channel", "string") { Flags = ["optional", "multiple"] },
                ]),
            ["psubscribe"] = new(
                "O(N) where N is the number of patterns the client is already subscribed to.",
                [],
                [],
                [
                    new("pattern", "block")
                    {
                        Flags = ["multiple"],
                        Arguments =
                        [
                            new("pattern", "pattern"),
                        ]
                    },
                ]),
            ["punsubscribe"] = new(
                "O(N+M) where N is the number of patterns the client is already subscribed and M is the number of total patterns subscribed in the system (by any client).",
                [],
                [],
                [
                    new("pattern", "pattern") { Flags = ["optional", "multiple"] },
                ]),
            ["publish"] = new(
                "O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).",
                [],
                [],
                [
                    new("channel", "string"),
                    new("message", "string"),
                ]),
            ["pubsub"] = new(
                "Depends on subcommand.",
                [],
                [],
                []),
            ["pubsub|numpat"] = new(
                "O(1)",
                [],
                [],
                []),
            ["pubsub|channels"] = new(
                "O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)",
                [],
                [],
                [
                    new("pattern", "pattern") { Flags = ["optional"] },
                ]),
            ["pubsub|shardnumsub"] = new(
                "O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels",
                [],
                [],
                [
                    new("shardchannel", "string") { Flags = ["optional", "multiple"] },
                ]),
            ["pubsub|shardchannels"] = new(
                "O(N) where N is the number of active shard channels, and assuming constant time pattern matching (relatively short shard channels).",
                [],
                [],
                [
                    new("pattern", "pattern") { Flags = ["optional"] },
                ]),
            ["pubsub|help"] = new(
                "O(1)",
                [],
                [],
                []),
            ["pubsub|numsub"] = new(
                "O(N) for the NUMSUB subcommand, where N is the number of requested channels",
                [],
                [],
                [
                    new("channel", "string") { Flags = ["optional", "multiple"] },
                ]),
            ["multi"] = new(
                "O(1)",
                [],
                [],
                []),
            ["exec"] = new(
                "Depends on commands in the transaction",
                [],
                [],
                []),
            ["discard"] = new(
                "O(N), when N is the number of queued commands",
                [],
                [],
                []),
            ["watch"] = new(
                "O(1) for every key.",
                [],
                [new(["RO"], 1, -1, 1, 0)],
                [
                    new("key", "key") { KeySpecIndex = 0, Flags = ["multiple"] },
                ]),
            ["unwatch"] = new(
                "O(1)",
                [],
                [],
                []),
            ["wait"] = new(
                "O(1)",
                ["request_policy:all_shards", "response_policy:agg_min"],
                [],
                [
                    new("numreplicas", "integer"),
                    new("timeout", "integer"),
                ]),
            ["debug"] = new(
                "Depends on subcommand.",
                [],
                [],
                [])
            {
                DocFlags = ["syscmd"],
            },
            ["save"] = new(
                "O(N) where N is the total number of keys in all databases",
                [],
                [],
                []),
            ["bgsave"] = new(
                "O(1)",
                [],
                [],
                [
                    new("schedule", "pure-token") { Token = "SCHEDULE", Since = "3.2.2", Flags = ["optional"] },
                ])
            {
                History = [("3.2.2", "Added the `SCHEDULE` option.")],
            },
            ["shutdown"] = new(
                "O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)",
                [],
                [],
                [
                    new("nosave_save", "oneof")
                    {
                        Flags = ["optional"],
                        Arguments =
                        [
                            new("nosave", "pure-token") { Token = "NOSAVE" },
                            new("save", "pure-token") { Token = "SAVE" },
                        ]
                    },
                    new("now", "pure-token") { Token = "NOW", Since = "7.0.0", Flags = ["optional"] },
                    new("force", "pure-token") { Token = "FORCE", Since = "7.0.0", Flags = ["optional"] },
                    new("abort", "pure-token") { Token = "ABORT", Since = "7.0.0", Flags = ["optional"] },
                ])
            {
                History = [("7.0.0", "Added the `NOW`, `FORCE` and `ABORT` modifiers.")],
            },
            ["get"] = new(
                "O(1)",
                [],
                [new(["RO", "access"], 1, 0, 1, 0)],
                [
                    new("key", "key") { KeySpecIndex = 0 },
                ]),
            ["set"] = new(
                "O(1)",
                [],
                [new(["RW", "access", "update", "variable_flags"], 1, 0, 1, 0, "RW and ACCESS due to the optional `GET` argument")],
                [
                    new("key", "key") { KeySpecIndex = 0 },
                    new("value", "string"),
                    new("condition", "oneof")
                    {
                        Since = "2.6.12",
                        Flags = ["optional"],
                        Arguments =
                        [
                            new("nx", "pure-token") { Token = "NX" },
                            new("xx", "pure-token") { Token = "XX" },
                        ]
                    },
                    new("get", "pure-token") { Token = "GET", Since = "6.2.0", Flags = ["optional"] },
                    new("expiration", "oneof")
                    {
                        Flags = ["optional"],
                        Arguments =
                        [
                            new("seconds", "integer") { Token = "EX", Since = "2.6.12" },
                            new("milliseconds", "integer") { Token = "PX", Since = "2.6.12" },
                            new("unix-time-seconds", "unix-time") { Token = "EXAT", Since = "6.2.0" },
                            new("unix-time-milliseconds", "unix-time") { Token = "PXAT", Since = "6.2.0" },
                            new("keepttl", "pure-token") { Token = "KEEPTTL", Since = "6.0.0" },
                        ]
                    },
                ])
            {
                History = [("2.6.12", "Added the `EX`, `PX`, `NX` and `XX` options."), ("6.0.0", "Added the `KEEPTTL` option."), ("6.2.0", "Added the `GET`, `EXAT` and `PXAT` option."), ("7.0.0", "Allowed the `NX` and `GET` options to be used together.")],
            },
            ["setnx"] = new(
                "O(1)",
                [],
                [new(["OW", "insert"], 1, 0, 1, 0)],
                [
                    new("key", "key") { KeySpecIndex = 0 },
                    new("value", "string"),
                ]),
            ["setex"] = new(
                "O(1)",
                [],
                [new(["OW", "update"], 1, 0, 1, 0)],
                [
                    new("key", "key") { KeySpecIndex = 0 },
                    new("seconds", "integer"),
                    new("value", "string"),
                ]),
            ["psetex"] = new(
                "O(1)",
                [],
                [new(["OW", "update"], 1, 0, 1, 0)],
                [
                    new("key", "key") { KeySpecIndex = 0 },
                    new("milliseconds", "integer"),
                    new("value", "string"),
                ]),
            ["getset"] = new(
                "O(1)",
                [],
                [new(["RW", "access", "update"], 1, 0, 1, 0)],
                [
                    new("key", "key") { KeySpecIndex = 0 },
                    new("value", "string"),
                ])
            {
                DocFlags = ["deprecated"],
                DeprecatedSince = "6.2.0",
                ReplacedBy = "`SET` with the `!GET` argument",
            },
            ["getdel"] = new(
                "O(1)",
                [],
                [new(["RW", "access", "delete"], 1, 0, 1, 0)],
                [
                    new("key", "key") { KeySpecIndex = 0 },
                ]),
            ["getex"] = new(
                "O(1)",
                [],
                [new(["RW", "access", "update"], 1, 0, 1, 0, "RW and UPDATE because it changes the TTL")],
                [
                    new("key", "key") { KeySpecIndex = 0 },
                    new("expiration", "oneof")
                    {
                        Flags = ["optional"],
                        Arguments =
                        [
                            new("seconds", "integer") { Token = "EX" },
                            new("milliseconds", "integer") { Token = "PX" },
                            new("unix-time-seconds", "unix-time") { Token = "EXAT" },
                            new("unix-time-milliseconds", "unix-time") { Token = "PXAT" },
                            new("persist", "pure-token") { Token = "PERSIST" },
                        ]
                    },
                ]),
            ["mget"] = new(
                "O(N) where N is the number of keys to retrieve.",
                ["request_policy:multi_shard"],
                [new(["RO", "access"], 1, -1, 1, 0)],
                [
                    new("key", "key") { KeySpecIndex = 0, Flags = ["multiple"] },
                ]),
            ["mset"] = new(
                "O(N) where N is the number of keys to set.",
                ["request_policy:multi_shard", "response_policy:all_succeeded"],
                [new(["OW", "update"], 1, -1, 2, 0)],
                [
                    new("key_value", "block")
                    {
                        Flags = ["multiple"],
                        Arguments =
                        [
                            new("key", "key") { KeySpecIndex = 0 },
                            new("value", "string"),
                        ]
                    },
                ]),
            ["msetnx"] = new(
                "O(N) where N is the number of keys to set.",
                ["request_policy:multi_shard", "response_policy:agg_min"],
                [new(["OW", "insert"], 1, -1, 2, 0)],
                [
                    new("key_value", "block")
                    {
                        Flags = ["multiple"],
                        Arguments =
                        [
                            new("key", "key") { KeySpecIndex = 0 },
                            new("value", "string"),
                        ]
                    },
                ]),
            ["append"] = new(
                "O(1). The amortized time complexity is O(1) assuming the appended value is small and the already present value is of any size, since the dynamic string library used by Redis will double the free space available on every reallocation.",
                [],
                [new(["RW", "insert"], 1, 0, 1, 0)],
                [
                    new("key", "key") { KeySpecIndex = 0 },
                    new("value", "string"),
                ]),
            ["strlen"] = new(
                "O(1)",
                [],
                [new(["RO"], 1, 0, 1, 0)],
                [
                    new("key", "key") { KeySpecIndex = 0 },
                ]),
            ["incr"] = new(
                "O(1)",
                [],
                [new(["RW", "access", "update"], 1, 0, 1, 0)],
                [
                    new("key", "key") { KeySpecIndex = 0 },
                ]),
            ["incrby"] = new(
                "O(1)",
                [],
                [new(["RW", "access", "update"], 1, 0, 1, 0)],
                [
                    new("key", "key") { KeySpecIndex = 0 },
                    new("increment", "integer"),
                ]),
            ["decr"] = new(
                "O(1)",
                [],
                [new(["RW", "access", "update"], 1, 0, 1, 0)],
                [
                    new("key", "key") { KeySpecIndex = 0 },
                ]),
            ["decrby"] = new(
                "O(1)",
                [],
                [new(["RW", "access", "update"], 1, 0, 1, 0)],
                [
                    new("key", "key") { KeySpecIndex = 0 },
                    new("decrement", "integer"),
                ]),
            ["incrbyfloat"] = new(
                "O(1)",
                [],
                [new(["RW", "access", "update"], 1, 0, 1, 0)],
                [
                    new("key", "key") { KeySpecIndex = 0 },
                    new("increment", "double"),
                ]),
            ["getrange"] = new(
                "O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.",
                [],
                [new(["RO", "access"], 1, 0, 1, 0)],
                [
                    new("key", "key") { KeySpecIndex = 0 },
                    new("start", "integer"),
                    new("end", "integer"),
                ]),
            ["setrange"] = new(
                "O(1), not counting the time taken to copy the new string in place. Usually, this string is very small so the amortized complexity is O(1). Otherwise, complexity is O(M) with M being the length of the value argument.",
                [],
                [new(["RW", "update"], 1, 0, 1, 0)],
                [
                    new("key", "key") { KeySpecIndex = 0 },
                    new("offset", "integer"),
                    new("value", "string"),
                ]),
            ["substr"] = new(
                "O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.",
                [],
                [new(["RO", "access"], 1, 0, 1, 0)],
                [
                    new("key", "key") { KeySpecIndex = 0 },
                    new("start", "integer"),
                    new("end", "integer"),
                ])
            {
                DocFlags = ["deprecated"],
                DeprecatedSince = "2.0.0",
                ReplacedBy = "`GETRANGE`",
            },
            ["lcs"] = new(
                "O(N*M) where N and M are the lengths of s1 and s2, respectively",
                [],
                [new(["RO", "access"], 1, 1, 1, 0)],
                [
                    new("key1", "key") { KeySpecIndex = 0 },
                    new("key2", "key") { KeySpecIndex = 0 },
                    new("len", "pure-token") { Token = "LEN", Flags = ["optional"] },
                    new("idx", "pure-token") { Token = "IDX", Flags = ["optional"] },
                    new("len", "integer") { Token = "MINMATCHLEN", Flags = ["optional"] },
                    new("withmatchlen", "pure-token") { Token = "WITHMATCHLEN", Flags = ["optional"] },
                ]),
        };
}
