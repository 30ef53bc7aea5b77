using System.Diagnostics;
using System.Runtime.InteropServices;
using Infra.StackConfig;

namespace Infra.Review;

/// <summary>
/// The base program of `infra diff`: a saved file, or another git revision's program, built by that
/// revision's own compiler in a temporary worktree. A revision's program depends only on the
/// revision and the stack, so it is cached under .build/diff-base/COMMIT/STACK.yaml and a second diff
/// against the same base needs no build. The worktree and the base compiler are removed or stopped
/// on every way out: success, error, timeout, and SIGINT / SIGTERM / SIGHUP; worktrees left by a
/// process that was killed outright (SIGKILL) are pruned by the next diff. When the revision's
/// compiler sources are this compiler's (a change to stack files only, the usual review), its stack
/// file is compiled here, in this process, and nothing is built.
/// </summary>
public static class DiffBase
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    private const string WorktreePrefix = "infra-diff-";

    /// <summary>What the compiler is built from: the paths infra/pulumi-compiler checksums to decide a rebuild.</summary>
    private static readonly string[] CompilerSources = ["src", "infra", "Directory.Build.props", "Directory.Packages.props"];

    public static (string Program, string Label) Load(string reference, string projectDirectory, string stack, Action<string>? progress = null, TimeSpan? timeout = null)
    {
        if (File.Exists(reference))
        {
            try
            {
                return (BoundedYaml.ReadText(reference), reference);
            }
            catch (YamlRefusedException e)
            {
                throw new ReviewArgumentException(ReviewInput.Base, reference, e.Message);
            }
        }

        var verify = Git(projectDirectory, "rev-parse", "--verify", "--quiet", $"{reference}^{{commit}}");
        if (verify.Code != 0)
        {
            throw new ReviewArgumentException(ReviewInput.Base, reference, "neither a saved program file nor a git revision of this repository");
        }

        var commit = verify.Out.Trim();
        var label = $"{reference} ({commit[..12]})";
        var cached = Path.Combine(projectDirectory, ".build", "diff-base", commit, $"{stack}.yaml");
        if (File.Exists(cached))
        {
            progress?.Invoke($"diff: base {label} from .build/diff-base (built before)");
            return (BoundedYaml.ReadText(cached), label);
        }

        PruneAbandoned(projectDirectory);
        var started = Stopwatch.StartNew();
        progress?.Invoke($"diff: building the base {label} in a temporary worktree (a first build takes 20-90 s)...");
        var program = Build(reference, commit, projectDirectory, stack, timeout ?? DefaultTimeout, progress);
        progress?.Invoke($"diff: base built in {(int)started.Elapsed.TotalSeconds} s");

        Directory.CreateDirectory(Path.GetDirectoryName(cached)!);
        var temporary = $"{cached}.{Environment.ProcessId}.tmp";
        File.WriteAllText(temporary, program);
        File.Move(temporary, cached, overwrite: true);
        return (program, label);
    }

    private static string Build(string reference, string commit, string projectDirectory, string stack, TimeSpan timeout, Action<string>? progress)
    {
        var top = Git(projectDirectory, "rev-parse", "--show-toplevel").Out.Trim();
        var relative = Path.GetRelativePath(top, projectDirectory);
        var worktree = Path.Combine(Path.GetTempPath(), $"{WorktreePrefix}{commit[..12]}-{Environment.ProcessId}");
        using var cleanup = new Cleanup(projectDirectory, worktree);
        // Attached like the compiler: a signal during the checkout stops it before the worktree is removed.
        var add = Run("git", projectDirectory, ["worktree", "add", "--detach", "--force", worktree, commit], TimeSpan.FromMinutes(5), cleanup);
        cleanup.ThrowIfInterrupted();
        if (add.Code != 0)
        {
            throw new ReviewArgumentException(ReviewInput.Base, reference, $"could not check the revision out: {add.Err.Trim()}");
        }

        var dir = Path.Combine(worktree, relative);
        if (HasThisCompilersSources(projectDirectory, commit))
        {
            progress?.Invoke("diff: the base's compiler sources are this compiler's, so its stack file is compiled here, without a build");
            return CompileHere(reference, dir, stack);
        }

        var compiler = Path.Combine(dir, "infra", "pulumi-compiler");
        if (!File.Exists(compiler))
        {
            throw new ReviewArgumentException(ReviewInput.Base, reference, "that revision has no infra/pulumi-compiler");
        }

        progress?.Invoke($"diff: running the base revision's compiler in {worktree}");
        var run = Run(compiler, dir, ["--stack", stack, "--dir", dir], timeout, cleanup);
        cleanup.ThrowIfInterrupted();
        if (run.TimedOut)
        {
            throw new ReviewArgumentException(ReviewInput.Base, reference, $"its compiler did not finish within {(int)timeout.TotalSeconds} s and was stopped");
        }

        return run.Code == 0
            ? run.Out
            : throw new ReviewArgumentException(ReviewInput.Base, reference, $"its compiler failed for stack {stack}: {run.Err.Trim()}");
    }

    /// <summary>
    /// Whether the revision's compiler sources are the ones this compiler was built from: the
    /// working tree's tracked sources equal the revision's, and no untracked source would join a
    /// build (pulumi-compiler rebuilds whenever they change, so a running compiler is built from them).
    /// </summary>
    private static bool HasThisCompilersSources(string projectDirectory, string commit) =>
        Git(projectDirectory, ["diff", "--quiet", commit, "--", .. CompilerSources]).Code == 0
        && Git(projectDirectory, ["ls-files", "--others", "--exclude-standard", "--", .. CompilerSources]) is { Code: 0, Out: var untracked } && untracked.Trim().Length == 0;

    /// <summary>What the revision's own compiler prints for its stack file, computed by the same code in this process.</summary>
    private static string CompileHere(string reference, string dir, string stack)
    {
        try
        {
            var (env, positions) = StackLoader.LoadLocated(new StackSource.StackFile(dir, stack));
            return CompilerGate.Compile(env, positions);
        }
        catch (Exception e) when (e is Infra.Model.Validation.ConfigException or ProjectInputException or IOException)
        {
            throw new ReviewArgumentException(ReviewInput.Base, reference, $"its compiler failed for stack {stack}: {e.Message}");
        }
    }

    /// <summary>Worktrees of earlier diffs whose process no longer runs (killed outright).</summary>
    private static void PruneAbandoned(string projectDirectory)
    {
        var list = Git(projectDirectory, "worktree", "list", "--porcelain");
        foreach (var path in list.Out.Split('\n').Where(l => l.StartsWith("worktree ", StringComparison.Ordinal)).Select(l => l["worktree ".Length..]))
        {
            var name = Path.GetFileName(path);
            if (name.StartsWith(WorktreePrefix, StringComparison.Ordinal)
                && int.TryParse(name[(name.LastIndexOf('-') + 1)..], System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var pid)
                && !IsRunning(pid))
            {
                Git(projectDirectory, "worktree", "remove", "--force", path);
            }
        }

        Git(projectDirectory, "worktree", "prune");
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>
    /// Removes the worktree and stops the base compiler once, whichever way the diff ends. A signal
    /// runs the cleanup on the signal's thread and cancels the runtime's default termination: the
    /// main thread's own Dispose then waits for that cleanup to finish (before, the process could
    /// exit while the handler was still removing the worktree), and the diff reports the signal
    /// instead of a failed compiler.
    /// </summary>
    private sealed class Cleanup : IDisposable
    {
        private readonly string projectDirectory;
        private readonly string worktree;
        private readonly PosixSignalRegistration[] signals;
        private readonly Lock gate = new();
        private Process? child;
        private bool done;
        private PosixSignal? interruptedBy;

        public Cleanup(string projectDirectory, string worktree)
        {
            this.projectDirectory = projectDirectory;
            this.worktree = worktree;
            signals = [.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGQUIT }.Select(s => PosixSignalRegistration.Create(s, OnSignal))];
        }

        public void Attach(Process process)
        {
            lock (gate)
            {
                child = process;
                if (done)
                {
                    // The signal came before this process started: stop it at once.
                    StopChild();
                }
            }
        }

        /// <summary>After each step: a signal that arrived during it ends the diff, named as such.</summary>
        public void ThrowIfInterrupted()
        {
            lock (gate)
            {
                if (interruptedBy is { } signal)
                {
                    throw new DiffInterruptedException(signal);
                }
            }
        }

        private void OnSignal(PosixSignalContext context)
        {
            lock (gate)
            {
                interruptedBy ??= context.Signal;
            }

            context.Cancel = true;
            Dispose();
        }

        public void Dispose()
        {
            // A second caller (the main thread after a signal) waits here until the first is done.
            lock (gate)
            {
                if (done)
                {
                    return;
                }

                done = true;
                StopChild();
                RemoveWorktree();
                foreach (var signal in signals)
                {
                    signal.Dispose();
                }
            }
        }

        private void StopChild()
        {
            try
            {
                if (child is { HasExited: false })
                {
                    child.Kill(entireProcessTree: true);
                    child.WaitForExit(10_000);
                }
            }
            catch (InvalidOperationException)
            {
                // Exited meanwhile.
            }
        }

        private void RemoveWorktree()
        {
            // A process of the stopped build may still be writing for a while on a loaded machine
            // (the kill above waits at most 10 s): retry for up to 15 s.
            var deadline = DateTime.UtcNow.AddSeconds(15);
            while (true)
            {
                Git(projectDirectory, "worktree", "remove", "--force", "--force", worktree);
                try
                {
                    if (Directory.Exists(worktree))
                    {
                        Directory.Delete(worktree, recursive: true);
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException && DateTime.UtcNow < deadline)
                {
                    Thread.Sleep(200);
                    continue;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Given up: the next diff prunes what is left (PruneAbandoned).
                }

                break;
            }

            // Whatever `remove` could not unregister (a checkout stopped half-way) goes with prune.
            Git(projectDirectory, "worktree", "prune");
        }
    }

    private static (int Code, string Out, string Err) Git(string directory, params string[] args)
    {
        var run = Run("git", directory, args, TimeSpan.FromMinutes(1), null);
        return (run.Code, run.Out, run.Err);
    }

    private static ProcessResult Run(string file, string directory, IEnumerable<string> args, TimeSpan timeout, Cleanup? cleanup) =>
        ProcessRunner.Run(file, directory, args, timeout, WithoutPulumiOrBuildServers, cleanup is null ? null : cleanup.Attach);

    /// <summary>
    /// The base revision's compiler must read its own stack file, not this run's PULUMI_* settings,
    /// and no MSBuild nodes or build server may outlive the base build: stopping it stops all of it.
    /// </summary>
    private static void WithoutPulumiOrBuildServers(ProcessStartInfo start)
    {
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("PULUMI_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_DO_NOT_USE_MSBUILD_SERVER"] = "1";
    }
}

/// <summary>A diff stopped by a signal: its worktree removed and its base build stopped.</summary>
public sealed class DiffInterruptedException(PosixSignal signal) : Exception($"diff: interrupted by {signal}; the base worktree was removed and its build stopped")
{
    /// <summary>The shell convention for a process ended by a signal: 128 + the signal's number.</summary>
    public int ExitCode { get; } = 128 + signal switch
    {
        PosixSignal.SIGHUP => 1,
        PosixSignal.SIGINT => 2,
        PosixSignal.SIGQUIT => 3,
        _ => 15,
    };
}
