namespace Infra.Tests.Harness;

/// <summary>Locations in the repository under test, found from the test binary's directory.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    /// <summary>The shared folder beside the repository (tools, seed), when present.</summary>
    public static string? Shared =>
        Directory.Exists(System.IO.Path.Combine(Root, "..", "shared")) ? System.IO.Path.GetFullPath(System.IO.Path.Combine(Root, "..", "shared")) : null;

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "Infra.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Infra.sln not found above the test binaries");
    }
}
