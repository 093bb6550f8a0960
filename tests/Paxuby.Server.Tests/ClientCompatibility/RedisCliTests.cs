using System.Text;

namespace Paxuby.Server.Tests.ClientCompatibility;

/// <summary>
/// redis-cli against a replica: one-shot commands in both output formats, --pipe mass insertion
/// (which ends its input with an empty inline line and an ECHO of 20 random bytes whose reply it
/// waits for), and interactive use with commands piped to stdin.
/// </summary>
[Collection(ExternalClientsCollection.Name)]
public sealed class RedisCliTests
{
    private const string InstallHint = "apt-get install redis-tools";

    private static Task<ProcessResult> Cli(TestServer server, params string[] arguments) =>
        Cli(server, stdin: null, arguments);

    private static Task<ProcessResult> Cli(TestServer server, byte[]? stdin, params string[] arguments)
    {
        string cli = ClientTools.RequireExecutable("redis-cli", InstallHint);
        return ExternalProcess.RunAsync(cli, ["-h", "127.0.0.1", "-p", server.Port.ToString(), .. arguments], stdin);
    }

    private static async Task<string> CliOutput(TestServer server, params string[] arguments)
    {
        ProcessResult run = await Cli(server, arguments);
        Assert.True(run.ExitCode == 0, run.ToString());
        return run.Stdout;
    }

    [SkippableFact]
    public async Task One_shot_commands_write_what_other_clients_read()
    {
        await using var server = new TestServer();
        Assert.Equal("OK\n", await CliOutput(server, "SET", "cli:greeting", "hello world"));
        Assert.Equal("hello world\n", await CliOutput(server, "GET", "cli:greeting"));
        Assert.Equal("1\n", await CliOutput(server, "INCR", "cli:counter"));
        Assert.Equal("11\n", await CliOutput(server, "INCRBY", "cli:counter", "10"));
        Assert.Equal("1\n", await CliOutput(server, "EXPIRE", "cli:greeting", "100"));
        Assert.Equal("\n", await CliOutput(server, "GET", "cli:missing"));

        using RawClient raw = server.Connect();
        Assert.Equal("$11\r\nhello world\r\n", raw.Call("GET", "cli:greeting"));
        Assert.Equal("$2\r\n11\r\n", raw.Call("GET", "cli:counter"));
        string ttl = raw.Call("TTL", "cli:greeting");
        Assert.InRange(int.Parse(ttl[1..^2]), 90, 100);
    }

    [SkippableFact]
    public async Task No_raw_and_raw_output_show_types_as_redis_does()
    {
        await using var server = new TestServer();
        using (RawClient raw = server.Connect())
        {
            Assert.Equal("+OK\r\n", raw.Call("SET", "cli:text", "hello world"));
            Assert.Equal("+OK\r\n", raw.Call("SET", "cli:binary", "a\u0001\nb"));
            Assert.Equal("+OK\r\n", raw.Call("SET", "cli:number", "41"));
        }

        Assert.Equal("\"hello world\"\n", await CliOutput(server, "--no-raw", "GET", "cli:text"));
        Assert.Equal("\"a\\x01\\nb\"\n", await CliOutput(server, "--no-raw", "GET", "cli:binary"));
        Assert.Equal("(nil)\n", await CliOutput(server, "--no-raw", "GET", "cli:missing"));
        Assert.Equal("(integer) 42\n", await CliOutput(server, "--no-raw", "INCR", "cli:number"));
        Assert.Equal("1) \"hello world\"\n2) (nil)\n3) \"42\"\n", await CliOutput(server, "--no-raw", "MGET", "cli:text", "cli:missing", "cli:number"));
        Assert.Equal("(integer) -2\n", await CliOutput(server, "--no-raw", "TTL", "cli:missing"));
        Assert.Equal("PONG\n", await CliOutput(server, "--no-raw", "PING"));

        Assert.Equal("hello world\n\n42\n", await CliOutput(server, "--raw", "MGET", "cli:text", "cli:missing", "cli:number"));
        Assert.Equal("a\u0001\nb\n", await CliOutput(server, "--raw", "GET", "cli:binary"));
        Assert.Equal("43\n", await CliOutput(server, "--raw", "INCR", "cli:number"));

        // redis-cli prints an error reply on stdout, prefixed with "(error) " unless raw.
        Assert.Equal("(error) ERR value is not an integer or out of range\n", await CliOutput(server, "--no-raw", "INCR", "cli:text"));
        Assert.Equal("ERR unknown command 'NOSUCHCMD', with args beginning with: 'x' \n\n", await CliOutput(server, "--raw", "NOSUCHCMD", "x"));
    }

    [SkippableFact]
    public async Task Pipe_mode_inserts_a_resp_file_and_counts_every_reply()
    {
        await using var server = new TestServer();
        const int keys = 2000;
        const int increments = 500;
        var file = new MemoryStream();
        for (int i = 0; i < keys; i++) file.Write(RawClient.Encode("SET", $"pipe:key:{i}", $"value-{i}"));
        for (int i = 0; i < increments; i++) file.Write(RawClient.Encode("INCR", "pipe:counter"));
        file.Write(RawClient.Encode("EXPIRE", "pipe:key:0", "1000"));

        ProcessResult run = await Cli(server, file.ToArray(), "--pipe");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("All data transferred", run.Stdout);
        Assert.Contains($"errors: 0, replies: {keys + increments + 1}", run.Stdout);
        using RawClient raw = server.Connect();
        Assert.Equal("$7\r\nvalue-0\r\n", raw.Call("GET", "pipe:key:0"));
        Assert.Equal("$10\r\nvalue-1999\r\n", raw.Call("GET", $"pipe:key:{keys - 1}"));
        Assert.Equal($"$3\r\n{increments}\r\n", raw.Call("GET", "pipe:counter"));
        Assert.Equal($":{keys + 1}\r\n", raw.Call("DBSIZE"));
        string ttl = raw.Call("TTL", "pipe:key:0");
        Assert.InRange(int.Parse(ttl[1..^2]), 990, 1000);
    }

    [SkippableFact]
    public async Task Pipe_mode_with_inline_commands_counts_errors()
    {
        await using var server = new TestServer();
        // Inline commands; the last line has no newline, so only the empty line that redis-cli
        // sends before its closing ECHO terminates it.
        byte[] file = Encoding.UTF8.GetBytes("SET inline:a 1\r\nINCR inline:a\nNOSUCHCMD x\r\nINCR inline:b\r\nGET inline:a");

        ProcessResult run = await Cli(server, file, "--pipe");

        // As against Redis: the error is printed on stderr, counted, and makes the exit code 1.
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("errors: 1, replies: 5", run.Stdout);
        Assert.Contains("ERR unknown command 'NOSUCHCMD'", run.Stderr);
        using RawClient raw = server.Connect();
        Assert.Equal("$1\r\n2\r\n", raw.Call("GET", "inline:a"));
        Assert.Equal("$1\r\n1\r\n", raw.Call("GET", "inline:b"));
    }

    [SkippableFact]
    public async Task Interactive_mode_reads_commands_from_stdin()
    {
        await using var server = new TestServer();
        // Without a terminal redis-cli still asks COMMAND DOCS first (for its hints), then runs one
        // command per line and prints replies in raw form.
        string input = string.Join('\n',
            "SET repl:i 1",
            "INCR repl:i",
            "GET repl:i",
            "PING",
            "MULTI",
            "INCR repl:i",
            "GET repl:i",
            "EXEC",
            "GET repl:missing",
            "SET \"repl:quoted key\" \"two words\"",
            "MGET repl:i repl:missing \"repl:quoted key\"",
            "NOSUCHCMD a",
            "");

        ProcessResult run = await Cli(server, Encoding.UTF8.GetBytes(input));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(
            "OK\n2\n2\nPONG\nOK\nQUEUED\nQUEUED\n3\n3\n\nOK\n3\n\ntwo words\n" +
            "ERR unknown command 'NOSUCHCMD', with args beginning with: 'a' \n\n",
            run.Stdout);
        using RawClient raw = server.Connect();
        Assert.Equal("$1\r\n3\r\n", raw.Call("GET", "repl:i"));
        Assert.Equal("$9\r\ntwo words\r\n", raw.Call("GET", "repl:quoted key"));
    }

    [Fact]
    public async Task Pipe_mode_closing_sequence_gets_the_replies_redis_cli_waits_for()
    {
        // What redis-cli 7.0 --pipe writes after the file: an empty inline line (no reply) and an
        // ECHO of 20 random bytes; it stops reading when the echo comes back byte for byte.
        byte[] magic = [0x52, 0x42, 0x68, 0x6a, 0x6a, 0x34, 0x33, 0xfa, 0x78, 0xf4, 0xcc, 0x9f, 0xe2, 0x74, 0x6d, 0x3a, 0x77, 0x10, 0xfa, 0x4c];
        byte[] sent = [.. "SET a 1\r\nGET a\r\n\r\n*2\r\n$4\r\nECHO\r\n$20\r\n"u8, .. magic, .. "\r\n"u8];
        byte[] expected = [.. "+OK\r\n$1\r\n1\r\n$20\r\n"u8, .. magic, .. "\r\n"u8];

        await using var server = new TestServer();
        using var socket = new System.Net.Sockets.TcpClient();
        await socket.ConnectAsync(server.Endpoint);
        var network = socket.GetStream();
        await network.WriteAsync(sent);
        var received = new MemoryStream();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (received.Length < expected.Length)
        {
            int read = await network.ReadAsync(buffer, timeout.Token);
            if (read == 0) break;
            received.Write(buffer, 0, read);
        }
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(received.ToArray()));
    }
}
