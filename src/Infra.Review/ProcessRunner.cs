using System.Diagnostics;

namespace Infra.Review;

/// <summary>The result of a child process: exit code, output, and whether it was stopped for taking too long.</summary>
public sealed record ProcessResult(int Code, string Out, string Err, bool TimedOut);

/// <summary>Runs a child process with its output captured and a time limit: the one way the tool starts programs (git, a base revision's compiler).</summary>
public static class ProcessRunner
{
    /// <param name="prepare">Adjusts the start (its environment) before the process starts.</param>
    /// <param name="started">Told of the process once it runs, so a signal handler can stop it.</param>
    public static ProcessResult Run(string file, string directory, IEnumerable<string> args, TimeSpan timeout, Action<ProcessStartInfo>? prepare = null, Action<Process>? started = null)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        prepare?.Invoke(start);
        using var process = Process.Start(start)!;
        started?.Invoke(process);
        var output = process.StandardOutput.ReadToEndAsync();
        var err = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return new ProcessResult(-1, "", "", true);
        }

        process.WaitForExit();
        return new ProcessResult(process.ExitCode, output.Result, err.Result, false);
    }
}
