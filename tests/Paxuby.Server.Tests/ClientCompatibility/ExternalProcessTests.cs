using System.Text;
using System.Text.RegularExpressions;

namespace Paxuby.Server.Tests.ClientCompatibility;

/// <summary>The runner itself: output, stdin, exit codes, and the timeout that kills a hung client with its children.</summary>
public sealed class ExternalProcessTests
{
    [SkippableFact]
    public async Task Captures_output_and_exit_code_and_feeds_stdin()
    {
        Skip.IfNot(File.Exists("/bin/sh"), "needs /bin/sh");
        ProcessResult run = await ExternalProcess.RunAsync(
            "/bin/sh", ["-c", "cat; echo 'to stderr' >&2; exit 3"], Encoding.UTF8.GetBytes("line one\nline two\n"));
        Assert.Equal(3, run.ExitCode);
        Assert.Equal("line one\nline two\n", run.Stdout);
        Assert.Equal("to stderr\n", run.Stderr);
    }

    [SkippableFact]
    public async Task Timeout_kills_the_process_and_its_children()
    {
        Skip.IfNot(OperatingSystem.IsLinux() && File.Exists("/bin/sh"), "needs /bin/sh and /proc");
        var error = await Assert.ThrowsAsync<TimeoutException>(() => ExternalProcess.RunAsync(
            "/bin/sh", ["-c", "sleep 60 & echo child=$!; wait"], timeout: TimeSpan.FromSeconds(2)));

        Match child = Regex.Match(error.Message, @"child=(\d+)");
        Assert.True(child.Success, error.Message);
        string proc = "/proc/" + child.Groups[1].Value;
        for (int i = 0; i < 50 && Directory.Exists(proc) && !IsZombie(proc); i++) await Task.Delay(100);
        Assert.True(!Directory.Exists(proc) || IsZombie(proc), "the child survived: " + error.Message);
    }

    private static bool IsZombie(string proc)
    {
        try
        {
            string stat = File.ReadAllText(Path.Combine(proc, "stat"));
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return true;
        }
    }
}
