using System.Diagnostics;
using Infra.Tests.Harness;

namespace Infra.Tests;

/// <summary>
/// infra/pulumi-compiler reuses its build under .build/ (issue 10, item 4): it must rebuild after
/// any change of an input, even one whose timestamp lies, and after damage to the build, instead of
/// running a stale or broken compiler. Runs on a copy of the project, so the tests' own compiler is
/// untouched; each step is a real build (about 20 s).
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

    private static (int Code, string Out, string Err) Compile(string project)
    {
        var run = Infra.Review.ProcessRunner.Run(Path.Combine(project, "infra", "pulumi-compiler"), project, ["--stack", "qas"], TimeSpan.FromMinutes(10));
        return (run.Code, run.Out, run.Err);
    }

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

            var first = Compile(project);
            Assert.True(first.Code == 0, first.Err);
            Assert.Contains("building the compiler", first.Err, StringComparison.Ordinal);

            // An edit whose file time is older than the build (as when a source is saved while the
            // build runs, or restored by a checkout): a timestamp test would miss it.
            var source = Path.Combine(project, "src", "Infra.Emit", "Tags.cs");
            File.AppendAllText(source, "\n// edited\n");
            File.SetLastWriteTimeUtc(source, new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc));
            var edited = Compile(project);
            Assert.True(edited.Code == 0, edited.Err);
            Assert.Contains("building the compiler", edited.Err, StringComparison.Ordinal);

            var unchanged = Compile(project);
            Assert.DoesNotContain("building the compiler", unchanged.Err, StringComparison.Ordinal);

            // A damaged build (an empty infra.dll) is rebuilt rather than run.
            File.WriteAllBytes(Path.Combine(project, ".build", "infra", "infra.dll"), []);
            var repaired = Compile(project);
            Assert.True(repaired.Code == 0, repaired.Err);
            Assert.Contains("building the compiler", repaired.Err, StringComparison.Ordinal);
            Assert.Equal(first.Out, repaired.Out);
        }
        finally
        {
            Directory.Delete(project, recursive: true);
        }
    }
}
