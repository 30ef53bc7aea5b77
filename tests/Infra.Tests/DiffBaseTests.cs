using System.Diagnostics;
using Infra.Review;
using Infra.Tests.Harness;

namespace Infra.Tests;

/// <summary>
/// `diff --base REF` builds another revision in a temporary worktree (issue 10, item 3): progress on
/// stderr, the result cached by commit, a time limit, and no worktree or build left behind however
/// the diff ends; a revision whose compiler sources are this compiler's is compiled in-process.
/// The build path runs in a scratch repository whose compiler is a script (a real build takes
/// 30-70 s; the clean clone CI builds proves the real one); stopping a base build is tried on a
/// real build of a scratch copy of this project's compiler, stopped within seconds. Serialised: they share the repository's
/// worktree list and cache.
/// </summary>
[Collection(nameof(DiffBaseTests))]
public sealed class DiffBaseTests
{
    private static string GitIn(string directory, params string[] args) => Infra.Review.ProcessRunner.Run("git", directory, args, TimeSpan.FromMinutes(1)).Out;

    private static string Git(params string[] args) => GitIn(Repo.Root, args);

    /// <summary>
    /// A scratch repository holding this project's compiler (its sources, its script, the props and
    /// the stack files, as tracked) committed as they are, with one source edited afterwards: `diff
    /// --base HEAD` there builds the base for real, whatever this repository's history holds.
    /// </summary>
    private static TempProject ScratchCopyWithEditedSources(string label)
    {
        var project = new TempProject(label);
        var tracked = Git("ls-files", "-z", "--", "src", "infra", ".editorconfig", "Directory.Build.props", "Directory.Packages.props", "Pulumi.yaml", "Pulumi.qas.yaml")
            .Split('\0', StringSplitOptions.RemoveEmptyEntries);
        foreach (var file in tracked)
        {
            var target = project.Path(file);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Repo.Path(file), target);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(target, File.GetUnixFileMode(Repo.Path(file)));
            }
        }

        Commit(project);
        File.AppendAllText(project.Path("src/Infra.Model/Origin.cs"), "// edited after the base commit\n");
        return project;
    }

    private static void Commit(TempProject project)
    {
        GitIn(project.Directory, "init", "--quiet");
        GitIn(project.Directory, "add", "--all");
        GitIn(project.Directory, "-c", "user.name=test", "-c", "user.email=test@example.invalid", "commit", "--quiet", "--message", "base");
    }

    private static IEnumerable<string> DiffWorktrees(string directory) =>
        GitIn(directory, "worktree", "list", "--porcelain").Split('\n').Where(l => l.StartsWith("worktree ", StringComparison.Ordinal) && l.Contains("infra-diff-", StringComparison.Ordinal));

    /// <summary>
    /// A scratch git repository holding qas's stack file, a source file and, when given, a script
    /// standing in for the revision's compiler; everything committed.
    /// </summary>
    private static TempProject ScratchRepository(string label, string? compilerScript = null)
    {
        var project = new TempProject(label).WithStack("qas", File.ReadAllText(Repo.Path("Pulumi.qas.yaml")));
        Directory.CreateDirectory(project.Path("src"));
        File.WriteAllText(project.Path("src/Source.cs"), "// the compiler's sources\n");
        if (compilerScript is not null)
        {
            Directory.CreateDirectory(project.Path("infra"));
            File.WriteAllText(project.Path("infra/pulumi-compiler"), compilerScript);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(project.Path("infra/pulumi-compiler"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        Commit(project);
        return project;
    }

    private const string EchoingCompiler = "#!/usr/bin/env bash\necho \"# printed by the base revision's own compiler for: $*\"\n";

    [Fact]
    public void A_revision_with_this_compilers_sources_is_compiled_here_then_read_from_the_cache()
    {
        using var project = ScratchRepository("base-same-sources");
        var head = GitIn(project.Directory, "rev-parse", "HEAD").Trim();
        var progress = new List<string>();
        var (program, label) = DiffBase.Load("HEAD", project.Directory, "qas", progress.Add);
        Assert.Equal($"HEAD ({head[..12]})", label);
        Assert.Equal(File.ReadAllText(Repo.Path("tests", "Infra.Tests", "golden", "qas.yaml")), program);
        Assert.Contains(progress, p => p.Contains("compiled here, without a build", StringComparison.Ordinal));
        Assert.DoesNotContain(progress, p => p.Contains("running the base revision's compiler", StringComparison.Ordinal));
        Assert.Empty(DiffWorktrees(project.Directory));

        progress.Clear();
        var (again, _) = DiffBase.Load("HEAD", project.Directory, "qas", progress.Add);
        Assert.Equal(program, again);
        Assert.Equal([$"diff: base HEAD ({head[..12]}) from .build/diff-base (built before)"], progress);
    }

    /// <summary>Compiled here, a base that does not compile fails as its own compiler would: one message naming the revision and the key.</summary>
    [Theory]
    [InlineData("Pulumi.qas.yaml", "leadertools:vpc")]
    [InlineData(null, "no Pulumi.qas.yaml in the project")]
    public void A_base_whose_stack_does_not_compile_here_is_one_message(string? brokenFile, string named)
    {
        using var project = ScratchRepository("base-broken");
        if (brokenFile is null)
        {
            GitIn(project.Directory, "rm", "--quiet", "Pulumi.qas.yaml");
        }
        else
        {
            File.WriteAllText(project.Path(brokenFile), TempProject.EditedStack("qas", "  leadertools:vpc:", "  leadertools:vpcc:"));
            GitIn(project.Directory, "add", brokenFile);
        }

        GitIn(project.Directory, "-c", "user.name=test", "-c", "user.email=test@example.invalid", "commit", "--quiet", "--message", "broken");
        var refused = Assert.Throws<ReviewArgumentException>(() => DiffBase.Load("HEAD", project.Directory, "qas"));
        Assert.Equal((ReviewInput.Base, "HEAD"), (refused.Input!.Value, refused.Value));
        Assert.StartsWith("its compiler failed for stack qas: ", refused.Message, StringComparison.Ordinal);
        Assert.Contains(named, refused.Message, StringComparison.Ordinal);
        Assert.Empty(DiffWorktrees(project.Directory));
    }

    [Theory]
    [InlineData("an edited source", "src/Source.cs")]
    [InlineData("a new untracked source", "src/New.cs")]
    public void A_revision_with_other_compiler_sources_is_built_by_its_own_compiler_once(string change, string file)
    {
        using var project = ScratchRepository("base-other-sources", EchoingCompiler);
        File.WriteAllText(project.Path(file), $"// {change}\n");
        var progress = new List<string>();
        var (program, _) = DiffBase.Load("HEAD", project.Directory, "qas", progress.Add);
        Assert.StartsWith("# printed by the base revision's own compiler for: --stack qas --dir ", program, StringComparison.Ordinal);
        Assert.Contains(progress, p => p.Contains("building the base", StringComparison.Ordinal));
        Assert.Contains(progress, p => p.Contains("running the base revision's compiler", StringComparison.Ordinal));
        Assert.Contains(progress, p => p.Contains("base built in", StringComparison.Ordinal));
        Assert.Empty(DiffWorktrees(project.Directory));

        progress.Clear();
        Assert.Equal(program, DiffBase.Load("HEAD", project.Directory, "qas", progress.Add).Program);
        Assert.Contains(progress, p => p.Contains("(built before)", StringComparison.Ordinal));
    }

    [Fact]
    public void A_base_compiler_over_its_time_is_stopped_and_its_worktree_removed()
    {
        using var project = ScratchCopyWithEditedSources("base-timeout");
        var result = InfraCli.Run("diff", "--stack", "qas", "--base", "HEAD", "--timeout", "1", "--dir", project.Directory);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Contains("did not finish within 1 s", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(DiffWorktrees(project.Directory));
    }

    /// <summary>
    /// Deterministic under load: it waits for states (the base compiler's process running in the
    /// worktree; the diff's exit; its processes gone), each with a generous deadline, never for a
    /// fixed time. The diff used to exit while its signal handler was still removing the worktree.
    /// </summary>
    [Fact]
    public async Task An_interrupted_diff_removes_its_worktree_and_stops_the_base_build()
    {
        using var project = ScratchCopyWithEditedSources("base-interrupted");
        var start = new ProcessStartInfo(Repo.Path("infra", "pulumi-compiler")) { WorkingDirectory = Repo.Root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "diff", "--stack", "qas", "--base", "HEAD", "--dir", project.Directory })
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
        Assert.NotEmpty(DiffWorktrees(project.Directory));
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
        Assert.Empty(DiffWorktrees(project.Directory));
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
