using System.Text.Json.Nodes;
using Infra.Review;
using Infra.StackConfig;
using Infra.Tests.Harness;

namespace Infra.Tests;

/// <summary>plan, capacity, diagram, check and diff on the qas and dev stacks.</summary>
public sealed class ReviewTests
{
    [Theory]
    [InlineData("qas")]
    [InlineData("dev")]
    public void Plan_counts_every_resource_of_the_program(string stack)
    {
        var plan = InfraCli.Json("plan", "--stack", stack);
        // The plan counts what the program declares; the children components create are not in it.
        var declared = TestStacks.Run(stack).Resources.Where(r => r.Parent is null).ToList();
        Assert.Equal(declared.Count, plan["resourceCount"]!.GetValue<int>());
        Assert.Equal(declared.Select(r => r.Type).Distinct().Count(), plan["countsByType"]!.AsObject().Count);
        foreach (var group in declared.GroupBy(r => r.Type))
        {
            Assert.Equal(group.Count(), plan["countsByType"]![group.Key]!.GetValue<int>());
        }
    }

    [Fact]
    public void Plan_shows_each_route_table_with_local_routes_and_targets()
    {
        var main = InfraCli.Json("plan", "--stack", "qas")["routeTables"]!.AsArray().Single(t => t!["name"]!.GetValue<string>() == "main")!;
        var routes = main["routes"]!.AsArray().Select(r => $"{r!["destination"]} {r["target"]}").ToList();
        Assert.Contains("10.142.32.0/21 local", routes);
        Assert.Contains("100.96.32.0/21 local", routes);
        Assert.Contains("208.75.11.75/32 aviatrix-secondary (interface in public/us-west-2b, replica of i-022003229928b80a1)", routes);
        // The S3 gateway endpoint's route, which AWS adds to the node subnets' table (issue 32, item 2).
        Assert.Contains("com.amazonaws.us-west-2.s3 (prefix list) vpc-endpoint-s3 (gateway endpoint)", routes);
        Assert.Equal(10, routes.Count);
        var publicHybrid = InfraCli.Json("plan", "--stack", "qas")["routeTables"]!.AsArray().Single(t => t!["name"]!.GetValue<string>() == "public-hybrid")!;
        Assert.DoesNotContain(publicHybrid["routes"]!.AsArray(), r => r!["destination"]!.GetValue<string>().Contains("prefix list", StringComparison.Ordinal));
        Assert.Equal(["nodes/us-west-2a", "nodes/us-west-2b", "pods/us-west-2a", "pods/us-west-2b"], main["subnets"]!.AsArray().Select(s => s!.GetValue<string>()));
    }

    [Fact]
    public void Plan_groups_resources_by_role()
    {
        var roles = InfraCli.Json("plan", "--stack", "qas")["resources"]!.AsArray().GroupBy(r => r!["role"]!.GetValue<string>()).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(["cluster", "network", "routing", "security"], roles.Keys.Order(StringComparer.Ordinal));
        // VPC, secondary CIDR, six subnets, internet gateway, two gateway interfaces, nine VPC endpoints.
        Assert.Equal(20, roles["network"]);
        // Control-plane log group, the aws provider the eks components use, cluster, kubernetes provider, CNI and CoreDNS add-ons, ENIConfigs, node launch template, node group, controller release.
        Assert.Equal(10, roles["cluster"]);
    }

    [Theory]
    [InlineData("text")]
    [InlineData("markdown")]
    [InlineData("json")]
    public void Every_format_is_the_same_from_another_process(string format)
    {
        // In this process and in the compiler's own process (another hash seed, a piped stdout).
        var here = InfraCli.Run("plan", "--stack", "qas", "--format", format);
        var there = PulumiRun.Run(["plan", "--stack", "qas", "--format", format], new Dictionary<string, string> { ["COLUMNS"] = "80" });
        Assert.Equal((0, 0), (here.ExitCode, there.ExitCode));
        Assert.NotEmpty(here.Stdout);
        Assert.Equal(here.Stdout, there.Stdout);
    }

    [Fact]
    public void Capacity_counts_pod_addresses_with_and_without_prefix_delegation()
    {
        var capacity = InfraCli.Json("capacity", "--stack", "qas");
        // A /22 has 1,024 addresses, 5 reserved: 1,019 usable. Its 64 /28 prefixes lose the first
        // (network and the three after it) and the last (broadcast): 62 x 16 = 992.
        Assert.All(capacity["podSubnets"]!.AsArray(), s =>
        {
            Assert.Equal(1019, s!["usableAddresses"]!.GetValue<long>());
            Assert.Equal(62, s["assignablePrefixes"]!.GetValue<long>());
            Assert.Equal(992, s["addressesInPrefixes"]!.GetValue<long>());
        });
        Assert.Equal(2038, capacity["totalUsableAddresses"]!.GetValue<long>());
        Assert.Equal(1984, capacity["totalAddressesInPrefixes"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("~110 pods per node with prefix delegation (t3.medium)", true)]
    [InlineData("~17 pods per node traditionally (t3.medium)", true)]
    [InlineData("2,000+ concurrent pods (pod subnet addresses)", false)]
    [InlineData("2,000+ concurrent pods (node group at max size)", false)]
    public void Capacity_says_whether_the_guides_claims_hold(string claim, bool holds) =>
        Assert.Equal(holds, InfraCli.Json("capacity", "--stack", "qas")["claims"]!.AsArray().Single(c => c!["claim"]!.GetValue<string>() == claim)!["holds"]!.GetValue<bool>());

    [Fact]
    public void Capacity_of_the_dev_stack_counts_its_smaller_pod_subnets()
    {
        var capacity = InfraCli.Json("capacity", "--stack", "dev");
        // Two /23: 512 - 5 = 507 usable each; 32 prefixes less 2 = 30, x 16 = 480.
        Assert.Equal(1014, capacity["totalUsableAddresses"]!.GetValue<long>());
        Assert.Equal(960, capacity["totalAddressesInPrefixes"]!.GetValue<long>());
        Assert.Equal(20, capacity["instanceTypes"]![0]!["customNetworking"]!.GetValue<int>());
    }

    [Fact]
    public void Readme_embeds_the_current_diagram_of_qas()
    {
        var readme = File.ReadAllText(Repo.Path("README.md"));
        var expected = InfraCli.Json("diagram", "--stack", "qas")["mermaid"]!.GetValue<string>();
        Assert.True(Diagram.EmbeddedIn(readme, "qas") == expected, "README's diagram is stale: run ./infra/pulumi-compiler diagram --stack qas --update-readme README.md");
    }

    [Theory]
    [InlineData("qas")]
    [InlineData("dev")]
    public void Diagram_shows_every_subnet_and_route_table(string stack)
    {
        var mermaid = InfraCli.Json("diagram", "--stack", stack)["mermaid"]!.GetValue<string>();
        Assert.StartsWith("flowchart", mermaid, StringComparison.Ordinal);
        var subnets = TestStacks.Run(stack).OfType("aws:ec2:Subnet").ToList();
        var tables = InfraCli.Json("plan", "--stack", stack)["routeTables"]!.AsArray();
        Assert.NotEmpty(subnets);
        Assert.NotEmpty(tables);
        foreach (var subnet in subnets)
        {
            Assert.Contains(subnet.Input("cidrBlock")!, mermaid, StringComparison.Ordinal);
        }

        foreach (var table in tables)
        {
            Assert.Contains(table!["name"]!.GetValue<string>(), mermaid, StringComparison.Ordinal);
        }
    }

    private static IEnumerable<string> RuleIds(JsonNode check) => check["findings"]!.AsArray().Select(f => f!["ruleId"]!.GetValue<string>());

    [Fact]
    public void Check_of_qas_warns_of_the_open_endpoint_the_single_gateway_and_the_service_cidr_but_finds_no_error()
    {
        // As of a day 1.36 is in standard support; INFRA014 from 2027-08-03 on (PolicyRuleTests).
        var result = InfraCli.Run("check", "--stack", "qas", "--format", "json", "--as-of", "2026-06-01");
        Assert.Equal(0, result.ExitCode);
        var check = JsonNode.Parse(result.Stdout)!;
        Assert.Equal(0, check["errors"]!.GetValue<int>());
        Assert.Equal(["INFRA003", "INFRA004", "INFRA004", "INFRA007", "INFRA007", "INFRA013"], RuleIds(check).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Check_of_dev_has_no_open_endpoint_warning() =>
        Assert.DoesNotContain("INFRA003", RuleIds(InfraCli.Json("check", "--stack", "dev")));

    [Fact]
    public void Check_fails_a_program_that_opens_ssh_to_the_world()
    {
        var program = TestStacks.Program("qas").Replace("resources:\n", """
            resources:
              ssh-from-anywhere:
                type: aws:vpc:SecurityGroupIngressRule
                properties:
                  securityGroupId: ${security-group-nodes.id}
                  ipProtocol: tcp
                  fromPort: 22
                  toPort: 22
                  cidrIpv4: 0.0.0.0/0

            """.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
        var file = Path.GetTempFileName();
        File.WriteAllText(file, program);
        var result = InfraCli.Run("check", "--stack", "qas", "--program", file, "--format", "json");
        File.Delete(file);
        Assert.Equal(2, result.ExitCode);
        var findings = JsonNode.Parse(result.Stdout)!["findings"]!.AsArray().Where(f => f!["resource"]!.GetValue<string>() == "ssh-from-anywhere").Select(f => f!["ruleId"]!.GetValue<string>()).Order(StringComparer.Ordinal);
        Assert.Equal(["INFRA001", "INFRA002"], findings);
    }

    [Fact]
    public void Check_fails_a_public_subnet_without_its_discovery_tag()
    {
        var program = TestStacks.Program("qas").Replace("kubernetes.io/role/elb: \"1\"", "kubernetes.io/role/elb: \"0\"", StringComparison.Ordinal);
        var file = Path.GetTempFileName();
        File.WriteAllText(file, program);
        var result = InfraCli.Run("check", "--stack", "qas", "--program", file, "--format", "json");
        File.Delete(file);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal(2, RuleIds(JsonNode.Parse(result.Stdout)!).Count(id => id == "INFRA005"));
    }

    [Fact]
    public void Check_finds_shadowed_and_redundant_routes()
    {
        var config = PulumiRun.StackConfig("qas");
        var routes = config["leadertools:routeTables"]!["main"]!["routes"]!.AsArray();
        routes.Add(new JsonObject { ["destination"] = "10.0.0.0/9", ["target"] = "aviatrix-secondary" });
        routes.Add(new JsonObject { ["destination"] = "10.128.0.0/9", ["target"] = "aviatrix-secondary" });
        routes.Add(new JsonObject { ["destination"] = "192.168.10.0/24", ["target"] = "aviatrix-primary" });
        var env = StackLoader.Load("leadertools", "qas", PulumiConfigMap.FromEnvironmentJson(PulumiRun.EncodeConfig(config)));
        var findings = PolicyCheck.Run(ValidatedEnvironment.From(env), ProgramSnapshot.Parse(Infra.Emit.ProgramEmitter.Render(env), "test")).Findings.Where(f => f.RuleId == "INFRA006").ToList();
        Assert.Contains(findings, f => f.Resource == "route--main--10-0-0-0-8" && f.Message.Contains("shadowed", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.Resource == "route--main--192-168-10-0-24" && f.Message.Contains("redundant", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_writes_sarif_with_one_result_per_finding()
    {
        var sarif = JsonNode.Parse(InfraCli.Run("check", "--stack", "qas", "--format", "sarif").Stdout)!;
        Assert.Equal("2.1.0", sarif["version"]!.GetValue<string>());
        var run = sarif["runs"]![0]!;
        Assert.Equal(InfraCli.Json("check", "--stack", "qas")["findings"]!.AsArray().Count, run["results"]!.AsArray().Count);
        Assert.Equal(PolicyCheck.Rules.Count, run["tool"]!["driver"]!["rules"]!.AsArray().Count);
    }

    [Fact]
    public void Diff_against_the_reviewed_program_file_finds_nothing_and_exits_zero()
    {
        var result = InfraCli.Run("diff", "--stack", "qas", "--base", Repo.Path("tests", "Infra.Tests", "golden", "qas.yaml"));
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("No changes", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Diff_shows_the_property_that_a_config_change_changes_and_exits_two()
    {
        using var project = new TempProject("diff").WithStack("qas", TempProject.EditedStack("qas", "maxSize: 6", "maxSize: 9"));
        var result = InfraCli.Run("diff", "--stack", "qas", "--dir", project.Directory, "--base", Repo.Path("tests", "Infra.Tests", "golden", "qas.yaml"), "--format", "json");
        Assert.Equal(2, result.ExitCode);
        var diff = JsonNode.Parse(result.Stdout)!;
        var change = diff["resources"]!.AsArray().Single(r => r!["name"]!.GetValue<string>() == "node-group")!;
        Assert.Equal("update", change["action"]!.GetValue<string>());
        var property = change["changes"]!.AsArray().Single()!;
        Assert.Equal("scalingConfig.maxSize", property["path"]!.GetValue<string>());
        Assert.Equal("6", property["old"]!.GetValue<string>());
        Assert.Equal("9", property["new"]!.GetValue<string>());

        var markdown = InfraCli.Run("diff", "--stack", "qas", "--dir", project.Directory, "--base", Repo.Path("tests", "Infra.Tests", "golden", "qas.yaml"), "--format", "markdown").Stdout;
        Assert.Contains("| scalingConfig.maxSize | 6 | 9 |", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Diff_lists_added_and_removed_resources()
    {
        var old = ProgramSnapshot.Parse(TestStacks.Program("qas"), "qas");
        var @new = ProgramSnapshot.Parse(TestStacks.Program("dev"), "dev");
        var diff = ProgramDiff.Compare(old, @new, "qas", "dev");
        Assert.Contains(diff.Resources, r => r.Action == "create" && r.Name == "nat-gateway");
        Assert.Contains(diff.Resources, r => r.Action == "delete" && r.Name == "security-group--lb-po3");
        Assert.Contains(diff.Resources, r => r.Action == "replace" && r.Name == "eks-vpc" && r.Changes.Any(c => c.Path == "cidrBlock" && c.Old == "10.142.32.0/21" && c.New == "10.150.0.0/22"));
    }

    [Fact]
    public void Diff_with_an_unknown_base_gets_one_message()
    {
        var result = InfraCli.Run("diff", "--stack", "qas", "--base", "no-such-revision-or-file");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Contains("--base = no-such-revision-or-file", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dev", "totalUsableAddresses")]
    [InlineData("qas", "totalAddressesInPrefixes")]
    public void Capacity_says_how_many_pods_fit_and_what_limits_them(string stack, string addressField)
    {
        var capacity = InfraCli.Json("capacity", "--stack", stack);
        var onNodes = capacity["nodeGroupMaxPods"]!.GetValue<long>();
        var addresses = capacity[addressField]!.GetValue<long>();
        Assert.Equal(Math.Min(onNodes, addresses), capacity["podsThatFit"]!.GetValue<long>());
        Assert.Contains("Pods that fit at once", InfraCli.Run("capacity", "--stack", stack).Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Exit_codes_are_documented_once_in_the_root_help()
    {
        Assert.Contains("Exit codes", InfraCli.Run("--help").Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Exit codes", InfraCli.Run("diff", "--help").Stdout, StringComparison.Ordinal);
    }

    private static TempProject ProjectWithReadme(string? gatewayDescription)
    {
        var stack = gatewayDescription is null
            ? File.ReadAllText(Repo.Path("Pulumi.qas.yaml"))
            : TempProject.EditedStack("qas", "description: Aviatrix gateway (primary)", $"description: \"{gatewayDescription}\"");
        var project = new TempProject("readme").WithStack("qas", stack);
        File.WriteAllText(project.Path("README.md"), "# x\n<!-- diagram:qas:start -->\nold\n<!-- diagram:qas:end -->\ntail\n");
        return project;
    }

    [Fact]
    public void Diagram_update_replaces_only_the_marked_part_and_leaves_no_temporary_file()
    {
        using var project = ProjectWithReadme(null);
        var result = InfraCli.Run("diagram", "--stack", "qas", "--dir", project.Directory, "--update-readme", project.Path("README.md"));
        Assert.Equal(0, result.ExitCode);
        var readme = File.ReadAllText(project.Path("README.md"));
        Assert.StartsWith("# x\n<!-- diagram:qas:start -->\n```mermaid\n", readme, StringComparison.Ordinal);
        Assert.EndsWith("```\n<!-- diagram:qas:end -->\ntail\n", readme, StringComparison.Ordinal);
        Assert.Equal(["Pulumi.qas.yaml", "Pulumi.yaml", "README.md"], Directory.GetFiles(project.Directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Diagram_update_refuses_a_config_value_holding_a_marker_and_leaves_the_readme_whole()
    {
        using var project = ProjectWithReadme("gw <!-- diagram:qas:end --> x");
        var path = project.Path("README.md");
        var before = File.ReadAllText(path);
        var result = InfraCli.Run("diagram", "--stack", "qas", "--dir", project.Directory, "--update-readme", path);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Contains("--update-readme", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(path));
    }
}

/// <summary>Text tables at a narrow terminal (issue 20, item 10): values wrap between words, never inside one.</summary>
public sealed class NarrowTableTests
{
    [Theory]
    [InlineData(80)]
    [InlineData(100)]
    public void Cidrs_ids_and_instance_types_stay_whole_and_nothing_is_cut_with_an_ellipsis(int width)
    {
        var env = Infra.StackConfig.StackLoader.Load(new Infra.StackConfig.StackSource.StackFile(Repo.Root, "qas"));
        var layout = new TextLayout(width, Unicode: false);
        var text = Capacity.ToReport(Capacity.Compute(ValidatedEnvironment.From(env), InstanceLimits.Embedded)).Render(OutputFormat.Text, layout)
            + Plan.ToReport(Plan.Compute(ValidatedEnvironment.From(env), Infra.Emit.ProgramEmitter.Build(env))).Render(OutputFormat.Text, layout);
        foreach (var token in new[] { "100.96.32.0/22", "100.96.36.0/22", "t3.medium", "208.75.11.75/32", "100.96.32.0/21", "sg-07019a3af3f18cfa1" })
        {
            Assert.Contains(token, text, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("…", text, StringComparison.Ordinal);
        Assert.All(text.Split('\n'), line => Assert.True(line.Length <= width, $"{line.Length} > {width}: {line}"));
    }
}
