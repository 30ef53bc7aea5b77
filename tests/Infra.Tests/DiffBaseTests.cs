using System.Diagnostics;
using Infra.Review;
using Infra.Tests.Harness;

namespace Infra.Tests;

/// <summary>
/// `diff --base REF` builds another revision in a temporary worktree (issue 10, item 3): progress on
/// stderr, the result cached by commit, a time limit, and no worktree or build left behind however
/// the diff ends. Serialised: they share the repository's worktree list and cache.
/// </summary>
[Collection(nameof(DiffBaseTests))]
public sealed class DiffBaseTests
{
    private static string Git(params string[] args) => Infra.Review.ProcessRunner.Run("git", Repo.Root, args, TimeSpan.FromMinutes(1)).Out;

    private static string Head => Git("rev-parse", "HEAD").Trim();

    private static void ForgetCachedBase()
    {
        var cached = Repo.Path(".build", "diff-base", Head);
        if (Directory.Exists(cached))
        {
            Directory.Delete(cached, recursive: true);
        }
    }

    private static IEnumerable<string> DiffWorktrees() =>
        Git("worktree", "list", "--porcelain").Split('\n').Where(l => l.StartsWith("worktree ", StringComparison.Ordinal) && l.Contains("infra-diff-", StringComparison.Ordinal));

    [Fact]
    public void Base_revision_is_built_once_then_read_from_the_cache()
    {
        ForgetCachedBase();
        var progress = new List<string>();
        var (program, label) = DiffBase.Load("HEAD", Repo.Root, "qas", progress.Add);
        Assert.Contains("HEAD (", label, StringComparison.Ordinal);
        Assert.NotNull(ProgramSnapshot.Parse(program, label).Find("eks-vpc"));
        Assert.Contains(progress, p => p.Contains("building the base", StringComparison.Ordinal));
        Assert.Contains(progress, p => p.Contains("base built in", StringComparison.Ordinal));
        Assert.Empty(DiffWorktrees());

        progress.Clear();
        var (again, _) = DiffBase.Load("HEAD", Repo.Root, "qas", progress.Add);
        Assert.Equal(program, again);
        Assert.Equal([$"diff: base HEAD ({Head[..12]}) from .build/diff-base (built before)"], progress);
    }

    [Fact]
    public void A_base_compiler_over_its_time_is_stopped_and_its_worktree_removed()
    {
        ForgetCachedBase();
        var result = InfraCli.Run("diff", "--stack", "qas", "--base", "HEAD", "--timeout", "1");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Contains("did not finish within 1 s", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(DiffWorktrees());
    }

    /// <summary>
    /// Deterministic under load: it waits for states (the base compiler's process running in the
    /// worktree; the diff's exit; its processes gone), each with a generous deadline, never for a
    /// fixed time. The diff used to exit while its signal handler was still removing the worktree.
    /// </summary>
    [Fact]
    public async Task An_interrupted_diff_removes_its_worktree_and_stops_the_base_build()
    {
        ForgetCachedBase();
        var start = new ProcessStartInfo(Repo.Path("infra", "pulumi-compiler")) { WorkingDirectory = Repo.Root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "diff", "--stack", "qas", "--base", "HEAD" })
        {
            start.ArgumentList.Add(arg);
        }

        using var diff = Process.Start(start)!;
        var stdout = diff.StandardOutput.ReadToEndAsync();
        var stderr = new List<string>();
        string? line;
        while ((line = diff.StandardError.ReadLine()) is not null)
        {
            stderr.Add(line);
            if (line.Contains("running the base revision's compiler", StringComparison.Ordinal))
            {
                break;
            }
        }

        Assert.NotNull(line);
        var suffix = $"-{diff.Id}";
        Assert.True(Eventually(() => ProcessesMentioning(suffix).Count > 0, TimeSpan.FromSeconds(60)), "the base compiler never started in the worktree");
        Assert.NotEmpty(DiffWorktrees());
        using (var kill = Process.Start("kill", ["-TERM", diff.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
        }

        var rest = diff.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await diff.WaitForExitAsync(deadline.Token);
        var tail = await rest;
        Assert.Equal(143, diff.ExitCode);
        Assert.Equal("", await stdout);
        Assert.Contains("interrupted by SIGTERM", tail, StringComparison.Ordinal);
        Assert.DoesNotContain("its compiler failed", tail, StringComparison.Ordinal);
        Assert.Empty(DiffWorktrees());
        Assert.False(Directory.EnumerateDirectories(Path.GetTempPath(), $"infra-diff-*{suffix}").Any());
        Assert.True(Eventually(() => ProcessesMentioning(suffix).Count == 0, TimeSpan.FromSeconds(60)), string.Join("\n", ProcessesMentioning(suffix)));
    }

    private static bool Eventually(Func<bool> condition, TimeSpan deadline)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > deadline)
            {
                return false;
            }

            Thread.Sleep(100);
        }

        return true;
    }

    /// <summary>Command lines of running processes that name the diff's worktree (Linux /proc).</summary>
    private static List<string> ProcessesMentioning(string worktreeSuffix) =>
        [.. Directory.EnumerateDirectories("/proc").Select(d => Path.Combine(d, "cmdline")).Select(f =>
        {
            try
            {
                return File.ReadAllText(f).Replace('\0', ' ');
            }
            catch (IOException)
            {
                return "";
            }
            catch (UnauthorizedAccessException)
            {
                return "";
            }
        }).Where(c => c.Contains("infra-diff-", StringComparison.Ordinal) && c.Contains(worktreeSuffix, StringComparison.Ordinal))];
}
