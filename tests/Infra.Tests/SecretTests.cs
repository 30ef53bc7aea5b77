using System.Text.Json.Nodes;
using Infra.Tests.Harness;

namespace Infra.Tests;

/// <summary>
/// Secrets by reference (issue 31, item 3). Pulumi hands the compiler decrypted values and no list of
/// secret keys (pulumi-yaml v1.38.1 pkg/server/server.go Run); the compiler learns which values are
/// secret from the stack file's `secure:` values and never holds one: a value that passes unchanged
/// into a resource is written as a reference to its config key, which pulumi-yaml resolves at run time
/// and keeps secret through nested access into the resource (pkg/pulumiyaml/run.go, config nodes,
/// lines 1130-1146 and 2486-2590; a key with a nested secure value is secret as a whole, pulumi
/// v3.255.0 sdk/go/common/resource/config/object.go). The harness resolves the reference the same way.
/// </summary>
public sealed class SecretTests
{
    private const string PrincipalArn = "arn:aws:iam::123456789012:role/ci-deployer";
    private const string CertificateArn = "arn:aws:acm:us-west-2:123456789012:certificate/0a1b2c3d-0a1b-0a1b-0a1b-0a1b2c3d4e5f";

    /// <summary>The shipped qas stack file with a CI access entry whose principal is `secure:`, as `pulumi config set --secret --path` writes it.</summary>
    private static string StackWithSecretPrincipal() => TempProject.EditedStack("qas", "  leadertools:cluster:\n",
        "  leadertools:cluster:\n    accessEntries:\n      ci:\n        principalArn:\n          secure: v1:AAAAc2VjcmV0LXByaW5jaXBhbA==\n        policy: clusterAdmin\n");

    /// <summary>PULUMI_CONFIG as Pulumi builds it for that file: the secret decrypted.</summary>
    private static JsonObject DecryptedConfig()
    {
        var config = PulumiRun.StackConfig("qas");
        ConfigEdit.Set(config, "leadertools:cluster.accessEntries", new JsonObject { ["ci"] = new JsonObject { ["principalArn"] = PrincipalArn, ["policy"] = "clusterAdmin" } });
        return config;
    }

    private static CompilerResult CompileUnderPulumi(TempProject project, JsonObject config) => PulumiRun.InProcess(new Dictionary<string, string>
    {
        ["PULUMI_STACK"] = "qas",
        ["PULUMI_PROJECT"] = PulumiRun.ProjectName,
        ["PULUMI_ORGANIZATION"] = "organization",
        ["PULUMI_ROOT_DIRECTORY"] = project.Directory,
        ["PULUMI_CONFIG"] = PulumiRun.EncodeConfig(config),
    });

    [Fact]
    public void A_secret_principal_is_referred_to_and_never_written()
    {
        using var project = new TempProject("secret-principal").WithStack("qas", StackWithSecretPrincipal());
        var result = CompileUnderPulumi(project, DecryptedConfig());
        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain(PrincipalArn, result.Stdout, StringComparison.Ordinal);
        Assert.Contains("principalArn: ${leadertools:cluster[\"accessEntries\"][\"ci\"][\"principalArn\"]}", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void At_run_time_the_access_entry_gets_the_principal_and_keeps_it_secret()
    {
        using var project = new TempProject("secret-principal-run").WithStack("qas", StackWithSecretPrincipal());
        var config = DecryptedConfig();
        var deployed = MockEngine.Run(CompileUnderPulumi(project, config).Stdout, config, new HashSet<string> { "leadertools:cluster" });
        var cluster = deployed.OfType("eks:Cluster").Single();
        Assert.Equal(PrincipalArn, cluster.Input("accessEntries.ci.principalArn"));
        Assert.Contains("accessEntries.ci.principalArn", cluster.SecretInputs);
    }

    /// <summary>Offline the secret cannot be decrypted; the program is the same bytes all the same.</summary>
    [Fact]
    public void The_offline_program_is_the_pulumi_runs_program()
    {
        using var project = new TempProject("secret-principal-offline").WithStack("qas", StackWithSecretPrincipal());
        var offline = InfraCli.Run("compile", "--stack", "qas", "--dir", project.Directory);
        Assert.Equal(0, offline.ExitCode);
        Assert.Equal(CompileUnderPulumi(project, DecryptedConfig()).Stdout, offline.Stdout);
    }

    [Fact]
    public void A_secret_certificate_reaches_the_ingress_annotations_as_a_secret_output()
    {
        using var project = new TempProject("secret-certificate").WithStack("qas", TempProject.EditedStack("qas",
            "    - { name: crownpeak, replicaOf: sg-092ea2ae08df86c55 }\n",
            "    - name: crownpeak\n      replicaOf: sg-092ea2ae08df86c55\n      certificateArn:\n        secure: v1:AAAAY2VydA==\n"));
        var config = PulumiRun.StackConfig("qas");
        ConfigEdit.Set(config, "leadertools:loadBalancers[0].certificateArn", CertificateArn);
        var result = CompileUnderPulumi(project, config);
        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain(CertificateArn, result.Stdout, StringComparison.Ordinal);
        var deployed = MockEngine.Run(result.Stdout, config, new HashSet<string> { "leadertools:loadBalancers" });
        Assert.Equal(CertificateArn, deployed.Outputs["ingressAnnotations"]!["crownpeak"]!["alb.ingress.kubernetes.io/certificate-arn"]!.GetValue<string>());
        Assert.Contains("ingressAnnotations.crownpeak.alb.ingress.kubernetes.io/certificate-arn", deployed.SecretOutputPaths);
    }

    /// <summary>The compiler computes with a cluster's name (log group, tags, node names): it may not be secret.</summary>
    [Fact]
    public void A_secret_the_compiler_computes_with_is_refused_naming_it_and_why()
    {
        using var project = new TempProject("secret-name").WithStack("qas", TempProject.EditedStack("qas",
            "    name: leadertools-qas                 # ours: the guide does not name the cluster\n",
            "    name:\n      secure: v1:AAAAbmFtZQ==\n"));
        var result = InfraCli.Run("compile", "--stack", "qas", "--dir", project.Directory);
        Assert.Equal(1, result.ExitCode);
        Assert.Empty(result.Stdout);
        ErrorLines.AssertNames(result.Stderr, "leadertools:cluster.name");
        Assert.Contains("the compiler works with this value", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_secret_under_a_name_with_a_dot_is_refused_as_unreferable()
    {
        using var project = new TempProject("secret-dotted").WithStack("qas", TempProject.EditedStack("qas", "  leadertools:cluster:\n",
            "  leadertools:cluster:\n    accessEntries:\n      ci.bot:\n        principalArn:\n          secure: v1:AAAAeA==\n        policy: view\n"));
        var result = InfraCli.Run("compile", "--stack", "qas", "--dir", project.Directory);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("could not refer to", result.Stderr, StringComparison.Ordinal);
    }
}
