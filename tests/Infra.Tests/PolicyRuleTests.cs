using System.Text.Json.Nodes;
using Infra.Emit;
using Infra.Review;
using Infra.StackConfig;
using Infra.Tests.Harness;

namespace Infra.Tests;

/// <summary>
/// Every rule `check` declares has a case here that triggers it, every finding carries its rule's
/// declared severity, and no finding names a rule that is not declared (issue 19, item 7). Cases
/// edit the shipped stacks (or their program) the way a user would.
/// </summary>
public sealed class PolicyRuleTests
{
    private static CheckResult CheckEdited(string stack, Action<JsonObject> edit, Func<string, string>? editProgram = null, DateOnly? today = null)
    {
        var config = PulumiRun.StackConfig(stack);
        edit(config);
        var env = StackLoader.Load(new StackSource.PulumiEnvironment(PulumiRun.ProjectName, stack, PulumiRun.EncodeConfig(config)));
        var program = (editProgram ?? (p => p))(ProgramEmitter.Render(env));
        return PolicyCheck.Run(ValidatedEnvironment.From(env), ProgramSnapshot.Parse(program, "edited"), today: today ?? new DateOnly(2026, 6, 1));
    }

    private static readonly Dictionary<string, Func<CheckResult>> Triggers = new(StringComparer.Ordinal)
    {
        ["INFRA001"] = () => CheckEdited("qas", _ => { }, p => p.Replace("resources:\n", "resources:\n  open:\n    type: aws:vpc:SecurityGroupIngressRule\n    properties:\n      securityGroupId: ${security-group--nodes.id}\n      ipProtocol: tcp\n      fromPort: 8080\n      toPort: 8080\n      cidrIpv4: 0.0.0.0/0\n", StringComparison.Ordinal)),
        ["INFRA002"] = () => CheckEdited("qas", _ => { }, p => p.Replace("resources:\n", "resources:\n  open:\n    type: aws:vpc:SecurityGroupIngressRule\n    properties:\n      securityGroupId: ${security-group--nodes.id}\n      ipProtocol: tcp\n      fromPort: 22\n      toPort: 22\n      cidrIpv4: 0.0.0.0/0\n", StringComparison.Ordinal)),
        ["INFRA003"] = () => CheckEdited("qas", _ => { }),
        ["INFRA004"] = () => CheckEdited("dev", _ => { }),
        ["INFRA005"] = () => CheckEdited("qas", _ => { }, p => p.Replace("kubernetes.io/role/internal-elb: \"1\"", "other: \"1\"", StringComparison.Ordinal)),
        ["INFRA006"] = () => CheckEdited("qas", c => ConfigEdit.Set(c, "leadertools:routeTables.main.routes[7]", JsonNode.Parse("""{"destination":"10.1.0.0/16","target":"aviatrix-primary"}"""))),
        ["INFRA007"] = () => CheckEdited("qas", _ => { }),
        ["INFRA008"] = () => CheckEdited("qas", c => ConfigEdit.Set(c, "leadertools:loadBalancerController.imageRepository", "public.ecr.aws/eks/aws-load-balancer-controller")),
        ["INFRA009"] = () => CheckEdited("qas", _ => { }, _ => "resources: {}\n"),
        ["INFRA010"] = () => CheckEdited("qas", c => ConfigEdit.Set(c, "leadertools:routeTables.main.routes[7]", JsonNode.Parse("""{"destination":"10.1.0.0/16","target":"aviatrix-secondary"}"""))),
        ["INFRA011"] = () => CheckEdited("qas", c => ConfigEdit.Remove(c, "leadertools:cluster.addonVersions.coreDns")),
        ["INFRA013"] = () => CheckEdited("qas", _ => { }),
        ["INFRA015"] = () => CheckEdited("qas", c => c.Remove("aws:defaultTags")),
        ["INFRA016"] = () => CheckEdited("dev", c => ConfigEdit.Set(c, "leadertools:vpc.name", "leadertools-qas-vpc")),
        ["INFRA017"] = () => CheckEdited("dev", c => ConfigEdit.Set(c, "leadertools:routeTables.main.routes[0].target", "tgw-0123456789abcdef0")),
        ["INFRA018"] = () => CheckEdited("dev", c =>
        {
            ConfigEdit.Set(c, "leadertools:privateNatGateways", JsonNode.Parse("""{"partner":{"subnet":"public/us-east-1a"}}"""));
            ConfigEdit.Set(c, "leadertools:routeTables.main.routes[1].target", "private-nat-gateway/partner");
        }),
        ["INFRA019"] = () => CheckEdited("dev", c =>
        {
            ConfigEdit.Set(c, "leadertools:vpc.amazonIpv6", true);
            ConfigEdit.Set(c, "leadertools:subnets.nodes.us-east-1a", JsonNode.Parse("""{"cidr":"10.150.0.0/24","ipv6Index":1,"dns64":true}"""));
        }),
        ["INFRA014"] = () => CheckEdited("qas", _ => { }, today: new DateOnly(2027, 8, 3)),
        ["INFRA012"] = () => CheckEdited("qas", c => ConfigEdit.Set(c, "leadertools:cluster.endpoint.publicAccessCidrs", JsonNode.Parse("""["203.0.113.0/24"]"""))),
    };

    /// <summary>
    /// The severity each rule is meant to have, written here by hand (the README's rule table as
    /// reviewed): findings take theirs from the declaration, so comparing the two would prove
    /// nothing; a declaration or a finding that drifts from this fails.
    /// </summary>
    private static readonly Dictionary<string, Severity> MeantSeverity = new(StringComparer.Ordinal)
    {
        ["INFRA001"] = Severity.Error,
        ["INFRA002"] = Severity.Error,
        ["INFRA003"] = Severity.Warning,
        ["INFRA004"] = Severity.Warning,
        ["INFRA005"] = Severity.Error,
        ["INFRA006"] = Severity.Warning,
        ["INFRA007"] = Severity.Warning,
        ["INFRA008"] = Severity.Error,
        ["INFRA009"] = Severity.Error,
        ["INFRA010"] = Severity.Note,
        ["INFRA011"] = Severity.Warning,
        ["INFRA012"] = Severity.Error,
        ["INFRA013"] = Severity.Warning,
        ["INFRA014"] = Severity.Warning,
        ["INFRA015"] = Severity.Warning,
        ["INFRA016"] = Severity.Warning,
        ["INFRA017"] = Severity.Warning,
        ["INFRA018"] = Severity.Warning,
        ["INFRA019"] = Severity.Warning,
    };

    public static TheoryData<string> DeclaredRules() => new(PolicyCheck.Rules.Select(r => r.Id));

    [Theory]
    [MemberData(nameof(DeclaredRules))]
    public void Each_declared_rule_is_triggered_by_its_case_with_the_severity_it_is_meant_to_have(string ruleId)
    {
        Assert.True(MeantSeverity.TryGetValue(ruleId, out var meant), $"{ruleId} is declared but has no meant severity in this test");
        Assert.Equal(meant, PolicyCheck.Rules.Single(r => r.Id == ruleId).Severity);
        Assert.True(Triggers.ContainsKey(ruleId), $"{ruleId} has no triggering case");
        var findings = Triggers[ruleId]().Findings.Where(f => f.RuleId == ruleId).ToList();
        Assert.NotEmpty(findings);
        Assert.All(findings, f => Assert.Equal(meant, f.Severity));
    }

    [Fact]
    public void Every_rule_meant_is_declared_and_every_finding_is_of_a_meant_rule()
    {
        Assert.Equal(MeantSeverity.Keys.Order(StringComparer.Ordinal), PolicyCheck.Rules.Select(r => r.Id).Order(StringComparer.Ordinal));
        Assert.All(Triggers.Values.SelectMany(t => t().Findings), f => Assert.Contains(f.RuleId, MeantSeverity.Keys));
    }

    [Fact]
    public void Readme_rule_reference_is_what_infra_rules_prints() =>
        Assert.Equal(InfraCli.Run("rules", "--format", "markdown").Stdout, ReadmeSection.Content(File.ReadAllText(Repo.Path("README.md")), PolicyCheck.ReadmeSection));

    [Fact]
    public void Sarif_rules_carry_each_rules_help()
    {
        var sarif = JsonNode.Parse(InfraCli.Run("check", "--stack", "qas", "--format", "sarif").Stdout)!;
        var rules = sarif["runs"]![0]!["tool"]!["driver"]!["rules"]!.AsArray();
        Assert.Equal(PolicyCheck.Rules.Select(r => r.Id), rules.Select(r => r!["id"]!.GetValue<string>()));
        Assert.All(rules, r => Assert.Contains("Example that breaks it", r!["help"]!["text"]!.GetValue<string>(), StringComparison.Ordinal));
    }

    [Fact]
    public void Every_rule_declares_why_how_to_fix_and_an_example() =>
        Assert.All(PolicyCheck.Rules, r => Assert.True(r.Why.Length > 20 && r.Fix.Length > 10 && r.Example.Length > 5, r.Id));

    [Fact]
    public void Shipped_stacks_pin_every_version_aws_may_change()
    {
        Assert.DoesNotContain(CheckEdited("qas", _ => { }).Findings, f => f.RuleId == "INFRA011");
        Assert.DoesNotContain(CheckEdited("dev", _ => { }).Findings, f => f.RuleId == "INFRA011");
    }

    [Theory]
    [InlineData("leadertools:nodeGroup.amiReleaseVersion")]
    [InlineData("leadertools:cluster.addonVersions.vpcCni")]
    [InlineData("leadertools:cluster.addonVersions.coreDns")]
    [InlineData("leadertools:cluster.addonVersions.kubeProxy")]
    public void A_version_left_to_float_is_a_warning_naming_its_key(string key)
    {
        var finding = CheckEdited("qas", c => ConfigEdit.Remove(c, key)).Findings.Single(f => f.RuleId == "INFRA011");
        Assert.Equal(key, finding.ConfigKey);
        Assert.Equal(Severity.Warning, finding.Severity);
    }

    [Theory]
    [InlineData("203.0.113.0/24")] // RFC 5737 documentation
    [InlineData("198.51.100.7/32")]
    [InlineData("10.20.0.0/16")] // RFC 1918
    [InlineData("100.64.1.0/24")] // RFC 6598
    [InlineData("169.254.0.0/16")]
    public void A_public_endpoint_reachable_only_from_non_routable_ranges_is_an_error(string block)
    {
        var findings = CheckEdited("dev", c => ConfigEdit.Set(c, "leadertools:cluster.endpoint.publicAccessCidrs", new JsonArray(block))).Findings.Where(f => f.RuleId == "INFRA012").ToList();
        Assert.Equal("leadertools:cluster.endpoint.publicAccessCidrs[0]", Assert.Single(findings).ConfigKey);
    }

    [Theory]
    [InlineData("208.75.8.0/24")]
    [InlineData("0.0.0.0/0")]
    [InlineData("8.8.8.0/24")]
    public void A_public_endpoint_open_to_internet_ranges_passes_INFRA012(string block) =>
        Assert.DoesNotContain(CheckEdited("dev", c => ConfigEdit.Set(c, "leadertools:cluster.endpoint.publicAccessCidrs", new JsonArray(block))).Findings, f => f.RuleId == "INFRA012");

    /// <summary>qas at 1.33, as it shipped before the upgrade.</summary>
    private static void At133(JsonObject config)
    {
        ConfigEdit.Set(config, "leadertools:cluster.kubernetesVersion", "1.33");
        ConfigEdit.Set(config, "leadertools:cluster.addonVersions.kubeProxy", "v1.33.5-eksbuild.2");
        ConfigEdit.Set(config, "leadertools:nodeGroup.amiReleaseVersion", "1.33.5-20251217");
    }

    [Theory]
    // EKS's calendar (EKS User Guide, kubernetes-versions.html, written here by hand): 1.33 leaves
    // standard support on 2026-07-29; 1.36, released on EKS 2026-06-02, stays in it until 2027-08-02.
    [InlineData("2026-07-29", null)]
    [InlineData("2026-07-30", "Move to 1.36 (in standard support until 2027-08-02) one minor at a time: `infra upgrade --stack qas --to 1.36`")]
    [InlineData("2026-12-03", "Move to 1.36 (in standard support until 2027-08-02)")]
    public void A_version_past_standard_support_is_a_warning_naming_the_version_to_move_to(string day, string? fix)
    {
        var findings = CheckEdited("qas", At133, today: DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture)).Findings.Where(f => f.RuleId == "INFRA014").ToList();
        if (fix is null)
        {
            Assert.Empty(findings);
            return;
        }

        var finding = Assert.Single(findings);
        Assert.Equal("leadertools:cluster.kubernetesVersion", finding.ConfigKey);
        Assert.Contains(fix, finding.Fix, StringComparison.Ordinal);
    }

    /// <summary>The shipped stacks run 1.36: INFRA014 is silent on 2026-12-06 and says from when it speaks.</summary>
    [Theory]
    [InlineData("qas")]
    [InlineData("dev")]
    public void Shipped_stacks_are_in_standard_support_and_say_until_when(string stack)
    {
        var result = CheckEdited(stack, _ => { }, today: new DateOnly(2026, 12, 6));
        Assert.DoesNotContain(result.Findings, f => f.RuleId == "INFRA014");
        Assert.Equal(new DateOnly(2027, 8, 3), result.SupportWarningFrom);
    }

    [Fact]
    public void Past_the_catalogues_last_standard_window_the_fix_says_to_refresh_it()
    {
        var finding = CheckEdited("qas", _ => { }, today: new DateOnly(2027, 8, 3)).Findings.Single(f => f.RuleId == "INFRA014");
        Assert.Contains("refresh src/Infra.Model/Versions", finding.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Shipped_stacks_give_the_provider_the_required_default_tags()
    {
        Assert.DoesNotContain(CheckEdited("qas", _ => { }).Findings, f => f.RuleId == "INFRA015");
        Assert.DoesNotContain(CheckEdited("dev", _ => { }).Findings, f => f.RuleId == "INFRA015");
    }

    /// <summary>INFRA016 (issue 32, item 10): what a stack file copied from qas into dev still says of qas.</summary>
    [Fact]
    public void A_copied_stack_is_told_which_names_and_tags_speak_of_the_other()
    {
        Assert.DoesNotContain(CheckEdited("qas", _ => { }).Findings, f => f.RuleId == "INFRA016");
        Assert.DoesNotContain(CheckEdited("dev", _ => { }).Findings, f => f.RuleId == "INFRA016");
        var findings = CheckEdited("dev", c =>
        {
            ConfigEdit.Set(c, "leadertools:vpc.name", "leadertools-qas-vpc");
            ConfigEdit.Set(c, "leadertools:cluster.name", "leadertools-qas");
            ConfigEdit.Set(c, "aws:defaultTags.tags.Environment", "qas");
        }).Findings.Where(f => f.RuleId == "INFRA016").ToList();
        Assert.Equal(3, findings.Count);
        Assert.Contains(findings, f => f.ConfigKey == "leadertools:vpc.name" && f.Fix == "Rename it leadertools-dev-vpc.");
        Assert.Contains(findings, f => f.ConfigKey == "leadertools:cluster.name" && f.Fix == "Rename it leadertools-dev.");
        Assert.Contains(findings, f => f.ConfigKey == "aws:defaultTags" && f.Message.Contains("booked to qas", StringComparison.Ordinal));
    }

    [Fact]
    public void A_resource_without_the_required_tags_is_named()
    {
        var findings = CheckEdited("qas", c => c.Remove("aws:defaultTags"), p => System.Text.RegularExpressions.Regex.Replace(p, @"(?m)^ +Project: leadertools\n", "")).Findings.Where(f => f.RuleId == "INFRA015").ToList();
        Assert.Contains(findings, f => f.Resource == "eks-vpc");
        Assert.Contains(findings, f => f.Resource == "(aws provider)" && f.ConfigKey == "aws:defaultTags");
    }

    [Fact]
    public void The_date_dependent_rule_stays_out_of_the_program() =>
        Assert.DoesNotContain("INFRA014", TestStacks.Program("qas"), StringComparison.Ordinal);

    [Fact]
    public void The_controller_from_public_ecr_cannot_start_in_the_endpoint_phase()
    {
        var finding = Triggers["INFRA008"]().Findings.Single(f => f.RuleId == "INFRA008");
        Assert.Equal("aws-load-balancer-controller", finding.Resource);
        Assert.Equal("leadertools:loadBalancerController.imageRepository", finding.ConfigKey);
    }

    [Fact]
    public void The_controller_from_public_ecr_is_fine_where_a_nat_gateway_gives_egress() =>
        Assert.DoesNotContain(CheckEdited("dev", c => ConfigEdit.Set(c, "leadertools:loadBalancerController.imageRepository", "public.ecr.aws/eks/aws-load-balancer-controller")).Findings, f => f.RuleId == "INFRA008");

    [Fact]
    public void Shipped_qas_workloads_all_start_in_the_endpoint_phase() =>
        Assert.DoesNotContain(CheckEdited("qas", _ => { }).Findings, f => f.RuleId == "INFRA008");
}
