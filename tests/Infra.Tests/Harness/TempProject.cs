namespace Infra.Tests.Harness;

/// <summary>
/// A throwaway copy of the Pulumi project (its Pulumi.yaml) with stack files a test writes, for
/// commands run with --dir against edited stacks; deleted on dispose.
/// </summary>
public sealed class TempProject : IDisposable
{
    public TempProject(string label) => Directory = System.IO.Directory.CreateTempSubdirectory($"infra-{label}-").FullName;

    public string Directory { get; }

    /// <summary>Writes Pulumi.&lt;stack&gt;.yaml (and Pulumi.yaml beside it) and returns this project.</summary>
    public TempProject WithStack(string stack, string text)
    {
        File.Copy(Repo.Path("Pulumi.yaml"), System.IO.Path.Combine(Directory, "Pulumi.yaml"), overwrite: true);
        File.WriteAllText(System.IO.Path.Combine(Directory, $"Pulumi.{stack}.yaml"), text);
        return this;
    }

    /// <summary>The shipped stack file's text with one exact replacement, which must apply.</summary>
    public static string EditedStack(string stack, string find, string replace)
    {
        var text = File.ReadAllText(Repo.Path($"Pulumi.{stack}.yaml"));
        Assert.Contains(find, text, StringComparison.Ordinal);
        return text.Replace(find, replace, StringComparison.Ordinal);
    }

    /// <summary>qas as it shipped at Kubernetes 1.33, before `infra upgrade` moved it (the scenarios that replay changes on it).</summary>
    public static string Qas133 => File.ReadAllText(Repo.Path("tests", "Infra.Tests", "Fixtures", "Pulumi.qas-1.33.yaml"));

    /// <summary>A text with one exact replacement, which must apply.</summary>
    public static string Edited(string text, string find, string replace)
    {
        Assert.Contains(find, text, StringComparison.Ordinal);
        return text.Replace(find, replace, StringComparison.Ordinal);
    }

    public string Path(string file) => System.IO.Path.Combine(Directory, file);

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
