using System.Text.Json.Nodes;

namespace Infra.Tests.Harness;

/// <summary>Runs `infra` in-process, against the repository's project directory unless told otherwise.</summary>
public static class InfraCli
{
    public static CompilerResult Run(params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var withDir = args.Contains("--dir") ? args : [.. args, "--dir", Repo.Root];
        var code = Infra.Cli.Program.Run(withDir, stdout, stderr);
        return new CompilerResult(code, stdout.ToString(), stderr.ToString());
    }

    public static JsonNode Json(params string[] args)
    {
        var result = Run([.. args, "--format", "json"]);
        Assert.True(result.ExitCode is 0 or 2, result.Stderr);
        return JsonNode.Parse(result.Stdout)!;
    }
}
