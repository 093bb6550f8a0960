using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Paxuby.Server.Tests.ClientCompatibility;

/// <summary>What an external program did: its exit code and everything it printed.</summary>
public sealed record ProcessResult(string CommandLine, int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed)
{
    /// <summary>A readable account for assertion messages.</summary>
    public override string ToString() =>
        $"$ {CommandLine}\nexit code {ExitCode} after {Elapsed.TotalSeconds:F1} s\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}

/// <summary>Runs a program with arguments and optional stdin, captures its output, and kills it (with its children) when it overruns.</summary>
public static class ExternalProcess
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    public static async Task<ProcessResult> RunAsync(
        string fileName,
        IReadOnlyList<string> arguments,
        byte[]? stdin = null,
        TimeSpan? timeout = null,
        string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        // Colour codes and pagers have no place in captured output.
        start.Environment["NO_COLOR"] = "1";
        start.Environment["TERM"] = "dumb";

        string commandLine = string.Join(' ', new[] { fileName }.Concat(arguments.Select(Quote)));
        var stopwatch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"cannot start '{commandLine}': {e.Message}", e);
        }

        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        Task feed = FeedAsync(process.StandardInput.BaseStream, stdin);

        using var deadline = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            KillTree(process);
            string partialOut = await WithinAsync(stdout, TimeSpan.FromSeconds(5));
            string partialErr = await WithinAsync(stderr, TimeSpan.FromSeconds(5));
            throw new TimeoutException(
                $"'{commandLine}' did not finish within {(timeout ?? DefaultTimeout).TotalSeconds:F0} s and was killed (pid {process.Id})\n" +
                $"--- stdout ---\n{partialOut}\n--- stderr ---\n{partialErr}");
        }

        // The process has exited; its pipes close once every child holding them is gone too.
        string output = await WithinAsync(stdout, TimeSpan.FromSeconds(10));
        string errors = await WithinAsync(stderr, TimeSpan.FromSeconds(10));
        await WithinAsync(feed.ContinueWith(_ => string.Empty, TaskScheduler.Default), TimeSpan.FromSeconds(5));
        return new ProcessResult(commandLine, process.ExitCode, output, errors, stopwatch.Elapsed);
    }

    public static Task<ProcessResult> RunAsync(string fileName, params string[] arguments) => RunAsync(fileName, arguments, stdin: null);

    private static async Task FeedAsync(Stream input, byte[]? bytes)
    {
        try
        {
            if (bytes is { Length: > 0 }) await input.WriteAsync(bytes);
        }
        catch (IOException)
        {
            // The program stopped reading (it exited or closed stdin); its exit code tells the story.
        }
        finally
        {
            try
            {
                await input.DisposeAsync();
            }
            catch (IOException)
            {
            }
        }
    }

    private static void KillTree(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }
    }

    private static async Task<string> WithinAsync(Task<string> task, TimeSpan limit)
    {
        Task winner = await Task.WhenAny(task, Task.Delay(limit));
        return winner == task && task.IsCompletedSuccessfully ? task.Result : "(output not available)";
    }

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsLetterOrDigit(c) || "-_./:=,@+".Contains(c)) ? argument : "'" + argument.Replace("'", "'\\''") + "'";
}
