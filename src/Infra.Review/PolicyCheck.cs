using Infra.StackConfig;

namespace Infra.Review;

public enum Severity
{
    Error,
    Warning,
    Note,
}

/// <summary>
/// One policy rule, declared once: check's findings take their severity from it, SARIF's `rules`
/// carry its help, and the README's rule reference is generated from it.
/// </summary>
/// <param name="Why">What goes wrong when the rule is broken.</param>
/// <param name="Fix">What to change, in general (each finding says what to change for its resource).</param>
/// <param name="Example">A stack-file change that breaks the rule.</param>
/// <param name="DependsOnTheDate">Its findings change with the day `check` runs: kept out of the program (which must be the same whenever it is compiled).</param>
public sealed record PolicyRule(string Id, string Title, Severity Severity, string Why, string Fix, string Example, bool DependsOnTheDate = false);

/// <param name="ConfigKey">The stack config key to change (its path, as config problems name it), when the finding has one.</param>
public sealed record Finding(string RuleId, Severity Severity, string Resource, string Message, string Fix, string? ConfigKey = null)
{
    /// <summary>Where <see cref="ConfigKey"/> stands in the stack file (or the nearest key that encloses it).</summary>
    public SourcePosition? Position { get; init; }

    /// <summary>The stack's written reason for accepting an error-level finding (leadertools:policy.waivers).</summary>
    public string? WaivedBecause { get; init; }

    /// <summary>An error the stack has not waived: it fails `check` and the compiler.</summary>
    public bool Blocks => Severity == Severity.Error && WaivedBecause is null;
}

/// <param name="StackFile">The stack file the findings' positions are in; null when the config came from PULUMI_CONFIG.</param>
public sealed record CheckResult(string Stack, int Errors, int Warnings, int Notes, IReadOnlyList<Finding> Findings, string? StackFile = null)
{
    /// <summary>The day INFRA014 will first warn about the stack's Kubernetes version, while it is silent.</summary>
    public DateOnly? SupportWarningFrom { get; init; }
}

/// <summary>`infra check`: policy rules over the planned program and the stack's routing.</summary>
public static partial class PolicyCheck
{
    public static IReadOnlyList<PolicyRule> Rules { get; } =
    [
        new("INFRA001", "Ingress from 0.0.0.0/0 only on 443 to load balancer security groups", Severity.Error,
            "Anything else open to the internet exposes nodes, pods or gateways directly.",
            "Restrict the rule's source to the networks that need it, or front the service with a load balancer.",
            "a security group rule admitting 0.0.0.0/0 on 8080 to the node group"),
        new("INFRA002", "No SSH or RDP from anywhere", Severity.Error,
            "Port 22 or 3389 open to the internet is the most scanned door there is; nodes are reached through Session Manager instead.",
            "Remove the rule; use Session Manager (the node role carries AmazonSSMManagedInstanceCore).",
            "an ingress rule 0.0.0.0/0 tcp 22"),
        new("INFRA003", "Public EKS API endpoint open to 0.0.0.0/0", Severity.Warning,
            "Anyone on the internet can reach the Kubernetes API (authentication still applies).",
            "List the corporate egress ranges in cluster.endpoint.publicAccessCidrs, or use private access only.",
            "cluster.endpoint.publicAccessCidrs: [0.0.0.0/0] (the guide's qas setting)"),
        new("INFRA004", "Default and RFC 1918 routes all on one gateway instance while another exists", Severity.Warning,
            "One appliance failing turns every such route into a blackhole; AWS does not fall back to a less specific route.",
            "Spread the routes over the gateways, or document the active/standby design.",
            "every route of routeTables.main targeting aviatrix-primary with aviatrix-secondary unused"),
        new("INFRA005", "Subnet missing the load balancer discovery tags", Severity.Error,
            "The load balancer controller picks subnets by kubernetes.io/role/elb or internal-elb; without them Ingresses never get a load balancer.",
            "Keep the subnet in its role (public or nodes); the emitter tags it.",
            "a program edited to drop kubernetes.io/role/internal-elb from a node subnet"),
        new("INFRA006", "Shadowed or redundant routes", Severity.Warning,
            "A route that never wins, or that repeats a wider route to the same target, misleads whoever reads the table.",
            "Remove the route that has no effect.",
            "routes 10.0.0.0/8 -> aviatrix-primary and 10.1.0.0/16 -> aviatrix-primary in one table"),
        new("INFRA007", "Service CIDR overlaps a routed network", Severity.Warning,
            "Pods cannot reach hosts of a routed network whose addresses collide with Kubernetes service addresses.",
            "Pick a service CIDR that no corporate route names.",
            "cluster.serviceCidr: 10.100.0.0/16 while 10.0.0.0/8 is routed to the gateways"),
        new("INFRA008", "A workload the stack installs cannot pull its images or reach the APIs it calls while it is created", Severity.Error,
            "Nodes, the VPC CNI, CoreDNS, kube-proxy and the load balancer controller wait for image pulls and AWS API calls; where the phase gives them no path the node group fails after about 20 minutes and a Helm release after its 300 s wait.",
            "Give the phase a path: bootstrap.nodeEgress vpcEndpoints (with private endpoint access), a NAT gateway default route, images from the region's EKS registry.",
            "loadBalancerController.imageRepository: public.ecr.aws/eks/aws-load-balancer-controller with bootstrap.nodeEgress: vpcEndpoints"),
        new("INFRA009", "Program declares no resources", Severity.Error,
            "`pulumi up` with an empty program deletes everything the stack manages.",
            "Check that the program is the compiler's output for this stack.",
            "check --program with an empty file"),
        new("INFRA010", "A route carves an exception out of a wider route to another target", Severity.Note,
            "Traffic to part of a network takes another path than the rest; deliberate exceptions should say so.",
            "Nothing if it is meant; say so in the route's purpose.",
            "208.75.11.75/32 -> aviatrix-secondary beside 0.0.0.0/0 -> aviatrix-primary"),
        new("INFRA011", "A version AWS may change is left to float", Severity.Warning,
            "Without a pinned AMI release or add-on version, the next unrelated `pulumi up` picks up whatever AWS released and rolls nodes or add-ons unreviewed.",
            "Pin it in the stack file (the README's \"Pinned versions\" gives the command that prints the current value).",
            "leaving out nodeGroup.amiReleaseVersion or cluster.addonVersions.coreDns"),
        new("INFRA012", "The public API endpoint admits only ranges the internet cannot come from", Severity.Error,
            "Documentation (RFC 5737), private (RFC 1918), shared (RFC 6598), loopback, link-local or multicast ranges never source internet traffic: the machine running `pulumi up` cannot reach the API, and the eks component waits 300 s before the ENIConfigs, node group and controller fail.",
            "List the public egress ranges of the machines that run Pulumi, or turn private access on and run Pulumi from inside the VPC.",
            "cluster.endpoint.publicAccessCidrs: [203.0.113.0/24]"),
        new("INFRA013", "Only the cluster's creator can use it", Severity.Warning,
            "With authenticationMode API, EKS admits only the creating identity and the access entries given; everyone else, CI included, gets Unauthorized.",
            "Add cluster.accessEntries for each role that runs Pulumi or kubectl.",
            "a cluster without cluster.accessEntries"),
        new("INFRA014", "The Kubernetes version is in EKS extended support", Severity.Warning,
            "Past the end of standard support EKS bills the cluster at the extended-support rate (0.60 instead of 0.10 USD per cluster hour), and at the end of extended support upgrades it by itself.",
            "Plan the upgrade to the version the finding names, then move cluster.kubernetesVersion (with the AMI release and add-on pins for it).",
            "cluster.kubernetesVersion: \"1.31\" after 2025-11-26", DependsOnTheDate: true),
        new("INFRA015", "Resources may be created without the cost-allocation tags", Severity.Warning,
            "Tags the program writes reach only the resources it declares; the roles, security groups and OIDC provider the eks component creates, and the instances and volumes of the node group, carry only what the provider's default tags and the launch template give them.",
            "Set aws:defaultTags.tags with Project and Environment (the provider then tags everything it creates), and keep the launch template's tag specifications.",
            "a stack file without aws:defaultTags"),
        new("INFRA016", "A name or tag speaks of another stack", Severity.Warning,
            "A stack file copied from another keeps that stack's names and Environment tag: two environments then carry one name, and cost reports book one's spend to the other.",
            "Rename what the finding names after this stack (README, \"A new stack\").",
            "Pulumi.dev.yaml copied from qas, still with vpc.name leadertools-qas-vpc"),
        new("INFRA017", "A route targets a transit gateway, peering connection or local gateway the stack does not own", Severity.Warning,
            "AWS refuses the route unless this VPC is attached to the transit gateway, is a side of the peering connection (EC2 API Reference, CreateRoute), or is associated with the local gateway's route table (AWS Outposts User Guide); the stack arranges none of these, and a replica's new VPC has none until someone attaches, peers or associates it: `pulumi up` fails at the route.",
            "Attach the new VPC to the transit gateway (or peer it, or associate it with the Outpost's local gateway route table) before `pulumi up` creates the route, or target an appliance of the stack's instead.",
            "routes: [{destination: 10.0.0.0/8, target: tgw-0123456789abcdef0}]"),
        new("INFRA018", "A route to a private NAT gateway goes nowhere from there", Severity.Warning,
            "A private NAT gateway sends what it translates on by its own subnet's route table: where that table has no route for the destination, sends it to another private NAT gateway (or back to itself), or to the internet gateway, which drops what a private NAT gateway sends (Amazon VPC User Guide, NAT gateways), the traffic never arrives, and `pulumi up` says nothing.",
            "Put the private NAT gateway in a subnet whose route table sends the destination on (to a transit gateway, peering or appliance), or route the destination there directly.",
            "privateNatGateways: {partner: {subnet: public/us-east-1a}} with routes: [{destination: 0.0.0.0/0, target: private-nat-gateway/partner}]"),
        new("INFRA019", "A DNS64 subnet has no NAT64 route", Severity.Warning,
            "With DNS64 on, the Amazon DNS server answers a name that has only IPv4 addresses with a synthesized 64:ff9b::/96 address; only a route for 64:ff9b::/96 to a NAT gateway translates it back to IPv4 (Amazon VPC User Guide, DNS64 and NAT64). Without one, IPv6 clients in the subnet resolve such names and their connections hang (terraform-aws-modules/vpc issue 972).",
            "Add { destination: \"64:ff9b::/96\", target: nat-gateway } to the ipv6Routes of the subnet's route table, or turn dns64 off.",
            "subnets: {nodes: {us-east-1a: {cidr: 10.0.0.0/24, ipv6Index: 1, dns64: true}}} in a table without 64:ff9b::/96"),
    ];

    private static Finding Found(string ruleId, string resource, string message, string fix, string? configKey = null) =>
        new(ruleId, Rules.Single(r => r.Id == ruleId).Severity, resource, message, fix, configKey);

    /// <param name="positions">Where the stack file's keys stand, so each finding can point at a line.</param>
    /// <param name="today">The day to judge support windows by (default: today, UTC).</param>
    public static CheckResult Run(ValidatedEnvironment env, ProgramSnapshot program, StackFilePositions? positions = null, DateOnly? today = null)
    {
        var findings = new List<Finding>();
        CheckIngress(env, program, findings);
        CheckEndpoint(env, program, findings);
        CheckSinglePointOfFailure(env, findings);
        CheckSubnetTags(env, program, findings);
        CheckRoutes(env.Network, findings);
        CheckExistingTargets(env.Network, findings);
        CheckPrivateNatOnward(env, findings);
        CheckNat64(env, findings);
        CheckServiceCidr(env, findings);
        CheckBootstrap(env, findings);
        CheckPinnedVersions(env, findings);
        CheckPublicAccessRanges(env, findings);
        CheckAccessEntries(env, findings);
        var day = today ?? DateOnly.FromDateTime(DateTime.UtcNow);
        CheckSupportWindow(env, day, findings);
        CheckDefaultTags(env, program, findings);
        CheckStackNames(env, findings);
        CheckNotEmpty(program, findings);
        CheckWaivers(env);
        var located = findings.Select(f => f.ConfigKey is { } key && positions?.Find(key) is { } at ? f with { Position = at } : f)
            .Select(f => env.Waivers.TryGetValue(f.RuleId, out var reason) ? f with { WaivedBecause = reason.Value } : f);
        var ordered = located.OrderBy(f => f.Severity).ThenBy(f => f.RuleId, StringComparer.Ordinal).ThenBy(f => f.Resource, StringComparer.Ordinal).ToList();
        return new CheckResult(env.Stack, ordered.Count(f => f.Blocks), ordered.Count(f => f.Severity == Severity.Warning && f.WaivedBecause is null), ordered.Count(f => f.Severity == Severity.Note), ordered, positions?.File)
        {
            SupportWarningFrom = SupportWarningFrom(env, day),
        };
    }

    /// <summary>A waiver must name a declared rule: a misspelt id would waive nothing, silently.</summary>
    private static void CheckWaivers(ValidatedEnvironment env)
    {
        var problems = env.Waivers
            .Where(w => Rules.All(r => r.Id != w.Key))
            .Select(w => new Model.Validation.ConfigProblem(w.Value.At.Path, w.Key, $"not a policy rule; waivers name one of {string.Join(", ", Rules.Select(r => r.Id))} (`infra rules`)"))
            .ToList();
        if (problems.Count > 0)
        {
            throw new Model.Validation.ConfigException(problems);
        }
    }

    /// <summary>The tags every resource must carry to be allocated: the project and the environment.</summary>
    public static IReadOnlyList<string> RequiredTags { get; } = ["Project", "Environment"];

    /// <summary>INFRA015: provider default tags missing the required keys, or a taggable resource of the program without them.</summary>
    private static void CheckDefaultTags(ValidatedEnvironment env, ProgramSnapshot program, List<Finding> findings)
    {
        var missing = RequiredTags.Where(t => !env.ProviderDefaultTags.ContainsKey(t)).ToList();
        if (missing.Count > 0)
        {
            findings.Add(Found("INFRA015", "(aws provider)",
                $"aws:defaultTags gives no {string.Join(" or ", missing)}: the resources the eks component creates inside itself carry none.",
                "Add aws:defaultTags: {tags: {Project: ..., Environment: ...}} to the stack file.",
                "aws:defaultTags"));
        }

        foreach (var resource in program.Resources.Where(r => Infra.Emit.ResourceTypes.Find(r.Type)?.Taggable == true))
        {
            var absent = RequiredTags.Where(t => resource[$"tags.{t}"] is null && !env.ProviderDefaultTags.ContainsKey(t)).ToList();
            if (absent.Count > 0)
            {
                findings.Add(Found("INFRA015", resource.Name, $"{resource.Name} ({resource.Type}) carries no {string.Join(" or ", absent)} tag.", "Tag it, or give the provider default tags.", null));
            }
        }
    }

    /// <summary>
    /// INFRA016: the Environment tag must be the stack's name, and a name that follows the
    /// PROJECT-STACK-... pattern must carry this stack's name (what a copied stack file keeps).
    /// </summary>
    private static void CheckStackNames(ValidatedEnvironment env, List<Finding> findings)
    {
        if (env.ProviderDefaultTags.TryGetValue("Environment", out var environment) && environment != env.Stack)
        {
            findings.Add(Found("INFRA016", "(aws provider)",
                $"aws:defaultTags gives Environment {environment}, but this is stack {env.Stack}: whatever the provider tags is booked to {environment}.",
                $"Set aws:defaultTags.tags.Environment to {env.Stack}.",
                "aws:defaultTags"));
        }

        var prefix = $"{env.Project}-";
        var named = new List<(string Name, string Key, string Resource)> { (env.Network.Vpc.Name, $"{env.Project}:vpc.name", Infra.Emit.ResourceNames.Vpc) };
        if (env.Cluster is { } design)
        {
            named.Add((design.Cluster.Name, design.Cluster.At.Child("name").Path, Infra.Emit.ResourceNames.Cluster));
        }

        foreach (var (name, key, resource) in named.Where(n => n.Name.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var rest = name[prefix.Length..];
            var stackPart = rest.Split('-')[0];
            if (stackPart != env.Stack)
            {
                findings.Add(Found("INFRA016", resource,
                    $"{key} is {name}, which names {stackPart} where this stack's name ({env.Stack}) belongs.",
                    $"Rename it {prefix}{env.Stack}{rest[stackPart.Length..]}.",
                    key));
            }
        }
    }

    private static void CheckNotEmpty(ProgramSnapshot program, List<Finding> findings)
    {
        if (program.Resources.Count == 0)
        {
            findings.Add(Found("INFRA009", "(program)", "The program declares no resources: `pulumi up` would delete everything the stack manages.", "Check that the program is the compiler's output for this stack."));
        }
    }
}
