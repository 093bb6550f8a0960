using System.Text.Json;

namespace Paxuby.Server.Tests.ClientCompatibility;

/// <summary>The external client tests run one after another: each starts real programs, and two cores are all a runner may have.</summary>
[CollectionDefinition(Name)]
public sealed class ExternalClientsCollection
{
    public const string Name = "External Redis clients";
}

/// <summary>
/// Finds the external clients (redis-cli, redis-benchmark, node with tests/clients, Debian's python3-redis).
/// A missing client skips its test with the reason, except under CI (CI=true), which installs every
/// client, so there a missing one fails the test.
/// </summary>
public static class ClientTools
{
    /// <summary>Debian's interpreter, which has python3-redis; a python3 found earlier on PATH may lack it.</summary>
    public const string DebianPython = "/usr/bin/python3";

    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Skips the running test with <paramref name="reason"/>, or fails it under CI.</summary>
    public static void Missing(string reason)
    {
        if (InCi) Assert.Fail($"{reason} (CI=true, where every client must be installed)");
        Skip.If(true, reason);
    }

    /// <summary>The full path of an executable on PATH, or a skip (a failure under CI).</summary>
    public static string RequireExecutable(string name, string installHint)
    {
        string? path = FindOnPath(name);
        if (path is null) Missing($"'{name}' is not on PATH; {installHint}");
        return path!;
    }

    public static string? FindOnPath(string name)
    {
        string[] directories = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        foreach (string directory in directories)
        {
            string candidate = Path.Combine(directory, name);
            if (IsExecutable(candidate)) return candidate;
        }
        return null;
    }

    private static bool IsExecutable(string path)
    {
        if (!File.Exists(path)) return false;
        if (OperatingSystem.IsWindows()) return true;
        return (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
    }

    /// <summary>tests/clients of this repository: the Node project and the Python script.</summary>
    public static string ClientsDirectory
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                string candidate = Path.Combine(directory.FullName, "tests", "clients");
                if (File.Exists(Path.Combine(candidate, "package.json"))) return candidate;
            }
            throw new DirectoryNotFoundException("tests/clients/package.json not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>node (20 or later, which the current ioredis and node-redis need) and the installed package <paramref name="package"/>.</summary>
    public static async Task<string> RequireNodePackageAsync(string package)
    {
        string node = RequireExecutable("node", "install Node.js 20 or later (apt-get install nodejs npm)");
        ProcessResult version = await ExternalProcess.RunAsync(node, "--version");
        if (!TryMajorVersion(version.Stdout.Trim().TrimStart('v'), out int major) || major < 20)
        {
            Missing($"node {version.Stdout.Trim()} is too old: the current ioredis and node-redis need Node.js 20 or later");
        }
        string manifest = Path.Combine(ClientsDirectory, "node_modules", package, "package.json");
        if (!File.Exists(manifest)) Missing($"the npm package '{package}' is not installed; run 'npm ci' in {ClientsDirectory}");
        return node;
    }

    /// <summary>Debian's python3 with redis-py importable.</summary>
    public static async Task<string> RequireRedisPyAsync()
    {
        if (!File.Exists(DebianPython)) Missing($"{DebianPython} is missing; apt-get install python3 python3-redis");
        ProcessResult probe = await ExternalProcess.RunAsync(DebianPython, "-c", "import redis; print(redis.__version__)");
        if (probe.ExitCode != 0) Missing($"redis-py is not importable by {DebianPython}; apt-get install python3-redis\n{probe.Stderr}");
        return DebianPython;
    }

    private static bool TryMajorVersion(string version, out int major)
    {
        int dot = version.IndexOf('.');
        return int.TryParse(dot < 0 ? version : version[..dot], out major);
    }

    /// <summary>The JSON line a smoke script printed last, after checking that it reports success.</summary>
    public static JsonElement SmokeReport(ProcessResult run)
    {
        string? line = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        Assert.True(line is not null && line.StartsWith('{'), "the script printed no JSON report\n" + run);
        JsonElement report;
        try
        {
            report = JsonDocument.Parse(line!).RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new Xunit.Sdk.XunitException($"the script's report is not JSON ({e.Message})\n{run}");
        }
        Assert.True(report.GetProperty("ok").GetBoolean(), "the script reported failures\n" + run);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(0, report.GetProperty("failures").GetArrayLength());
        return report;
    }

    /// <summary>Reads back, over a raw connection, what every smoke script leaves behind under <paramref name="prefix"/>.</summary>
    public static void AssertSmokeKeysWritten(TestServer server, string prefix)
    {
        using RawClient raw = server.Connect();
        Assert.Equal("$5\r\nhello\r\n", raw.Call("GET", $"{prefix}:str"));
        Assert.Equal("$1\r\n3\r\n", raw.Call("GET", $"{prefix}:counter"));
        Assert.Equal("$1\r\n2\r\n", raw.Call("GET", $"{prefix}:tx:a"));
        Assert.Equal("$1\r\nb\r\n", raw.Call("GET", $"{prefix}:tx:b"));
        Assert.Equal(":0\r\n", raw.Call("EXISTS", $"{prefix}:tmp", $"{prefix}:p", $"{prefix}:missing"));
        string ttl = raw.Call("TTL", $"{prefix}:ttl");
        Assert.Matches(@"^:\d+\r\n$", ttl);
        Assert.InRange(int.Parse(ttl[1..^2]), 50, 100);
    }
}
