using System.Text.Json.Nodes;

namespace Infra.Tests.Harness;

/// <summary>
/// A scratch project (the repository's Pulumi.yaml, no stack file) to run discover and drift in
/// against the emulator: what the discovery test classes share.
/// </summary>
public static class DiscoveryProject
{
    /// <summary>A new temporary directory holding the project file.</summary>
    public static string Create(string prefix = "infra-discovery-")
    {
        var dir = Directory.CreateTempSubdirectory(prefix).FullName;
        File.Copy(Repo.Path("Pulumi.yaml"), Path.Combine(dir, "Pulumi.yaml"));
        return dir;
    }

    /// <summary>`discover` of a VPC in us-west-2 through the emulator, writing Pulumi.STACK.yaml in <paramref name="dir"/>.</summary>
    public static CompilerResult Discover(this MotoFixture moto, string vpcId, string dir, string stack = "shape") =>
        InfraCli.Run("discover", "--region", "us-west-2", "--vpc-id", vpcId, "--endpoint-url", moto.Server.Endpoint, "--dir", dir, "--stack", stack);

    /// <summary>
    /// `drift` of the stack in <paramref name="dir"/> against the emulator, as JSON; every finding
    /// names a key at or above one drift says it compares (<see cref="Infra.Discovery.Drift.ComparedKeys"/>).
    /// </summary>
    public static JsonNode Drift(this MotoFixture moto, string dir, string stack = "shape")
    {
        var report = JsonNode.Parse(InfraCli.Run("drift", "--stack", stack, "--dir", dir, "--endpoint-url", moto.Server.Endpoint, "--format", "json").Stdout)!;
        foreach (var key in report["findings"]!.AsArray().Select(f => f!["key"]!.GetValue<string>()))
        {
            var place = Infra.StackConfig.DeclaredPaths.Of(key);
            Assert.True(
                place is not null && Infra.Discovery.Drift.ComparedKeys.Any(c => c == place || c.StartsWith($"{place}.", StringComparison.Ordinal) || c.StartsWith($"{place}[", StringComparison.Ordinal)),
                $"a drift finding names {key} ({place ?? "no declared key"}), which is not a key drift lists as compared");
        }

        return report;
    }
}
