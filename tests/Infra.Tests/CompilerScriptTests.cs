using System.Diagnostics;
using Infra.Tests.Harness;

namespace Infra.Tests;

/// <summary>
/// infra/pulumi-compiler reuses its build under .build/ (issue 10, item 4): it must rebuild after
/// any change of an input, even one whose timestamp lies, and after damage to the build, instead of
/// running a stale or broken compiler. Runs on a copy of the project, so the tests' own compiler is
/// untouched. The copy starts with the repository's own build, which the script makes for real
/// whenever the sources changed (so the first run after an edit, and every clean clone in CI, proves
/// the real build): an up-to-date build must be reused where it is copied, since the script's input
/// checksum depends on contents, not on places. The rebuilds after it are what the test is about,
/// whether the script decides to rebuild and then runs what it built; a `dotnet` shim first on PATH
/// stands in for them by copying that build (the edit is a comment, so a real rebuild would produce
/// the same program), logs each build it is asked for, and hands every other call to the real dotnet.
/// </summary>
public sealed class CompilerScriptTests
{
    private static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, dir);
            if (!relative.Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj"))
            {
                Directory.CreateDirectory(Path.Combine(to, relative));
            }
        }

        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (!relative.Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj"))
            {
                File.Copy(file, Path.Combine(to, relative));
            }
        }
    }

    private static (int Code, string Out, string Err) Compile(string project, string? shim = null, int? noticeSeconds = null)
    {
        var run = Infra.Review.ProcessRunner.Run(Path.Combine(project, "infra", "pulumi-compiler"), project, ["--stack", "qas"], TimeSpan.FromMinutes(10),
            prepare: start =>
            {
                if (shim is not null)
                {
                    start.Environment["PATH"] = $"{shim}{Path.PathSeparator}{start.Environment["PATH"]}";
                }

                if (noticeSeconds is { } seconds)
                {
                    start.Environment["INFRA_BUILD_NOTICE_SECONDS"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
            });
        return (run.Code, run.Out, run.Err);
    }

    /// <summary>The real dotnet executable, as PATH finds it.</summary>
    private static string RealDotnet() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, "dotnet"))
            .First(File.Exists);

    /// <summary>
    /// A directory holding a `dotnet` that answers `publish` and `build` by copying
    /// <paramref name="savedBuild"/> to their -o directory (and logging the call), and runs anything else with the real one.
    /// </summary>
    private static string BuildShim(string project, string savedBuild, double sleepSeconds = 0, bool refuseNative = false, string name = "shim")
    {
        var shim = Path.Combine(project, name);
        Directory.CreateDirectory(shim);
        var script = Path.Combine(shim, "dotnet");
        File.WriteAllText(script, $$"""
            #!/usr/bin/env bash
            case "${1-}" in
              publish | build)
                case "$*" in
                  *PublishAot=true*) if {{(refuseNative ? "true" : "false")}}; then echo "error: no linker" >&2; exit 1; fi ;;
                esac
                out=
                while [ $# -gt 0 ]; do [ "$1" = -o ] && out="$2"; shift; done
                sleep {{sleepSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}}
                mkdir -p "$out" && cp -R '{{savedBuild}}'/. "$out"/
                echo build >> '{{shim}}/builds.log'
                ;;
              *) exec '{{RealDotnet()}}' "$@" ;;
            esac
            """);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return shim;
    }

    private static int BuildsLogged(string shim) =>
        File.Exists(Path.Combine(shim, "builds.log")) ? File.ReadAllLines(Path.Combine(shim, "builds.log")).Length : 0;

    [Fact]
    public void Compiler_rebuilds_after_an_edit_with_an_old_timestamp_and_after_damage()
    {
        var project = Directory.CreateTempSubdirectory("infra-script-").FullName;
        try
        {
            foreach (var dir in new[] { "src", "infra" })
            {
                CopyTree(Repo.Path(dir), Path.Combine(project, dir));
            }

            foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props", "Pulumi.yaml", "Pulumi.qas.yaml" })
            {
                File.Copy(Repo.Path(file), Path.Combine(project, file));
            }

            // The repository's build, up to date (the script builds it for real when it is not).
            var repository = Infra.Review.ProcessRunner.Run(Repo.Path("infra", "pulumi-compiler"), Repo.Root, ["--version"], TimeSpan.FromMinutes(10));
            Assert.True(repository.Code == 0, repository.Err);
            var saved = Path.Combine(project, "saved-build");
            CopyTree(Repo.Path(".build", "infra"), saved);
            CopyTree(saved, Path.Combine(project, ".build", "infra"));
            File.Copy(Repo.Path(".build", "infra.inputs"), Path.Combine(project, ".build", "infra.inputs"));

            var first = Compile(project);
            Assert.True(first.Code == 0, first.Err);
            Assert.DoesNotContain("building the compiler", first.Err, StringComparison.Ordinal);
            var shim = BuildShim(project, saved);

            // An edit whose file time is older than the build (as when a source is saved while the
            // build runs, or restored by a checkout): a timestamp test would miss it.
            var source = Path.Combine(project, "src", "Infra.Emit", "Tags.cs");
            File.AppendAllText(source, "\n// edited\n");
            File.SetLastWriteTimeUtc(source, new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc));
            var edited = Compile(project, shim);
            Assert.True(edited.Code == 0, edited.Err);
            Assert.Contains("building the compiler", edited.Err, StringComparison.Ordinal);
            Assert.Equal(1, BuildsLogged(shim));

            var unchanged = Compile(project, shim);
            Assert.DoesNotContain("building the compiler", unchanged.Err, StringComparison.Ordinal);
            Assert.Equal(1, BuildsLogged(shim));

            // A damaged build (an emptied executable: the native one, or infra.dll) is rebuilt rather than run.
            var native = Path.Combine(project, ".build", "infra", "infra");
            File.WriteAllBytes(File.Exists(native) ? native : Path.Combine(project, ".build", "infra", "infra.dll"), []);
            var repaired = Compile(project, shim);
            Assert.True(repaired.Code == 0, repaired.Err);
            Assert.Contains("building the compiler", repaired.Err, StringComparison.Ordinal);
            Assert.Equal(2, BuildsLogged(shim));
            Assert.Equal(first.Out, repaired.Out);

            // A slow build says it is still going at every interval (10 s by default; 1 here), and stops saying so once built.
            var slow = BuildShim(project, saved, sleepSeconds: 2.5);
            File.AppendAllText(source, "\n// edited again\n");
            var waited = Compile(project, slow, noticeSeconds: 1);
            Assert.True(waited.Code == 0, waited.Err);
            Assert.True(waited.Err.Split('\n').Count(l => l.StartsWith("pulumi-compiler: still building (", StringComparison.Ordinal)) >= 2, waited.Err);
            Assert.EndsWith("s\n", waited.Err.Split("pulumi-compiler: built in ")[1], StringComparison.Ordinal);

            // Where the native build fails (no C toolchain), the script says so in one line, keeps the
            // toolchain's errors in a log, and builds ReadyToRun instead.
            var noToolchain = BuildShim(project, saved, refuseNative: true, name: "shim-no-toolchain");
            File.AppendAllText(source, "\n// edited a third time\n");
            var fallback = Compile(project, noToolchain);
            Assert.True(fallback.Code == 0, fallback.Err);
            Assert.Contains("pulumi-compiler: no native build on this machine (see .build/native-build.log); building ReadyToRun instead\n", fallback.Err, StringComparison.Ordinal);
            Assert.DoesNotContain("no linker", fallback.Err, StringComparison.Ordinal);
            Assert.Contains("no linker", File.ReadAllText(Path.Combine(project, ".build", "native-build.log")), StringComparison.Ordinal);
            Assert.Equal(1, BuildsLogged(noToolchain));
            Assert.Equal(first.Out, fallback.Out);
        }
        finally
        {
            Directory.Delete(project, recursive: true);
        }
    }
}
