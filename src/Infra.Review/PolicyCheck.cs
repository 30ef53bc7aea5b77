using System.Globalization;
using Infra.Emit;
using Infra.Model;
using Infra.Model.Addressing;
using Infra.Model.Cluster;
using Infra.Model.Network;
using Infra.StackConfig;

namespace Infra.Review;

public enum Severity
{
    Error,
    Warning,
    Note,
}

public sealed record PolicyRule(string Id, string Title, Severity Severity);

/// <param name="ConfigKey">The stack config key to change (its path, as config problems name it), when the finding has one.</param>
public sealed record Finding(string RuleId, Severity Severity, string Resource, string Message, string Fix, string? ConfigKey = null)
{
    /// <summary>Where <see cref="ConfigKey"/> stands in the stack file (or the nearest key that encloses it).</summary>
    public SourcePosition? Position { get; init; }
}

public sealed record CheckResult(string Stack, int Errors, int Warnings, int Notes, IReadOnlyList<Finding> Findings);

/// <summary>`infra check`: policy rules over the planned program and the stack's routing.</summary>
public static class PolicyCheck
{
    public static IReadOnlyList<PolicyRule> Rules { get; } =
    [
        new("INFRA001", "Ingress from 0.0.0.0/0 only on 443 to load balancer security groups", Severity.Error),
        new("INFRA002", "No SSH or RDP from anywhere", Severity.Error),
        new("INFRA003", "Public EKS API endpoint open to 0.0.0.0/0", Severity.Warning),
        new("INFRA004", "Default and RFC 1918 routes all on one gateway instance while another exists", Severity.Warning),
        new("INFRA005", "Subnet missing the load balancer discovery tags", Severity.Error),
        new("INFRA006", "Overlapping or shadowed routes", Severity.Warning),
        new("INFRA007", "Service CIDR overlaps a routed network", Severity.Warning),
        new("INFRA008", "Node group cannot reach the API endpoint or the image registries when it is created", Severity.Error),
        new("INFRA009", "Program declares no resources", Severity.Error),
    ];

    /// <param name="positions">Where the stack file's keys stand, so each finding can point at a line.</param>
    public static CheckResult Run(EnvironmentSpec env, ProgramSnapshot program, StackFilePositions? positions = null)
    {
        var findings = new List<Finding>();
        CheckIngress(env, program, findings);
        CheckEndpoint(env, program, findings);
        CheckSinglePointOfFailure(env.Network, findings);
        CheckSubnetTags(env, program, findings);
        CheckRoutes(env.Network, findings);
        CheckServiceCidr(env, findings);
        CheckBootstrap(env, findings);
        CheckNotEmpty(program, findings);
        var located = findings.Select(f => f.ConfigKey is { } key && positions?.Find(key) is { } at ? f with { Position = at } : f);
        var ordered = located.OrderBy(f => f.Severity).ThenBy(f => f.RuleId, StringComparer.Ordinal).ThenBy(f => f.Resource, StringComparer.Ordinal).ToList();
        return new CheckResult(env.Stack, ordered.Count(f => f.Severity == Severity.Error), ordered.Count(f => f.Severity == Severity.Warning), ordered.Count(f => f.Severity == Severity.Note), ordered);
    }

    /// <summary>The security group a rule's `securityGroupId` refers to; a literal id stays as given.</summary>
    private static string GroupOf(string? value) => ProgramSnapshot.ReferencedName(value) ?? value ?? "";

    /// <summary>One source admitted on a group's ports, whichever resource form declared it.</summary>
    private sealed record IngressGrant(string Resource, string Group, string Protocol, int From, int To, string Source);

    /// <summary>
    /// Ingress as the program declares it in any of the three forms the aws provider offers: the
    /// standalone aws:vpc:SecurityGroupIngressRule, the older aws:ec2:SecurityGroupRule (type
    /// ingress), and inline `ingress` blocks on aws:ec2:SecurityGroup; IPv4 and IPv6 sources; a
    /// source given through a variable resolved; protocol numbers and names normalised.
    /// </summary>
    private static List<IngressGrant> IngressGrants(ProgramSnapshot program)
    {
        var grants = new List<IngressGrant>();
        string? Resolve(string? value)
        {
            // "${name}" where name is a program variable holding a plain value.
            if (ProgramSnapshot.ReferencedName(value) is { } name && value == $"${{{name}}}" && program.Variables.TryGetValue(name, out var resolved))
            {
                return resolved;
            }

            return value;
        }

        void Add(string resource, string group, string? protocol, string? from, string? to, IEnumerable<string?> sources)
        {
            var normalised = NormaliseProtocol(Resolve(protocol));
            var low = int.TryParse(Resolve(from), NumberStyles.Integer, CultureInfo.InvariantCulture, out var f) ? f : 0;
            var high = int.TryParse(Resolve(to), NumberStyles.Integer, CultureInfo.InvariantCulture, out var t) ? t : 65535;
            if (normalised == "all" || low < 0)
            {
                (low, high) = (0, 65535);
            }

            foreach (var source in sources.Select(Resolve).OfType<string>())
            {
                grants.Add(new IngressGrant(resource, group, normalised, low, high, source));
            }
        }

        static IEnumerable<string?> Indexed(SnapshotResource resource, string prefix) =>
            resource.Properties.Where(kv => kv.Key.StartsWith(prefix + "[", StringComparison.Ordinal) && kv.Key.IndexOf('.', prefix.Length) < 0).Select(kv => (string?)kv.Value);

        foreach (var rule in program.OfType(ResourceTypes.SecurityGroupIngressRule))
        {
            Add(rule.Name, GroupOf(rule["securityGroupId"]), rule["ipProtocol"], rule["fromPort"], rule["toPort"], [rule["cidrIpv4"], rule["cidrIpv6"]]);
        }

        foreach (var rule in program.OfType(ResourceTypes.SecurityGroupRule).Where(r => r["type"] == "ingress"))
        {
            Add(rule.Name, GroupOf(rule["securityGroupId"]), rule["protocol"], rule["fromPort"], rule["toPort"], [.. Indexed(rule, "cidrBlocks"), .. Indexed(rule, "ipv6CidrBlocks")]);
        }

        foreach (var group in program.OfType(ResourceTypes.SecurityGroup))
        {
            var blocks = group.Properties.Keys.Where(k => k.StartsWith("ingress[", StringComparison.Ordinal)).Select(k => k[..(k.IndexOf(']', StringComparison.Ordinal) + 1)]).Distinct(StringComparer.Ordinal);
            foreach (var block in blocks)
            {
                Add(group.Name, group.Name, group[$"{block}.protocol"], group[$"{block}.fromPort"], group[$"{block}.toPort"],
                    [.. Indexed(group, $"{block}.cidrBlocks"), .. Indexed(group, $"{block}.ipv6CidrBlocks")]);
            }
        }

        return grants;
    }

    private static string NormaliseProtocol(string? protocol) => protocol?.ToLowerInvariant() switch
    {
        null or "-1" or "all" => "all",
        "6" => "tcp",
        "17" => "udp",
        "1" => "icmp",
        var named => named,
    };

    /// <summary>The whole IPv4 or IPv6 space.</summary>
    private static bool IsAnywhereSource(string source) =>
        System.Net.IPNetwork.TryParse(source, out var network) && network.PrefixLength == 0;

    private static void CheckIngress(EnvironmentSpec env, ProgramSnapshot program, List<Finding> findings)
    {
        var loadBalancerGroups = env.Cluster is null ? [] : SecurityDesign.Build(env.Network, env.Cluster)
            .Where(g => g.Role == SecurityGroupRole.LoadBalancer).Select(g => ResourceNames.SecurityGroup(g.Name)).ToHashSet(StringComparer.Ordinal);

        // A load balancer's group is one loadBalancers entry; every other group follows from the cluster's design.
        var appKeys = env.Cluster?.Applications.ToDictionary(a => ResourceNames.SecurityGroup(SecurityDesign.LoadBalancerGroup(a.Name)), a => a.At.Path, StringComparer.Ordinal) ?? [];
        string? KeyOf(string group) => appKeys.TryGetValue(group, out var key) ? key : env.Cluster?.Cluster.At.Path;
        var grants = IngressGrants(program);

        // Sources that are the whole internet together (0.0.0.0/1 plus 128.0.0.0/1) count as anywhere.
        var anywhere = grants.Where(g => IsAnywhereSource(g.Source)).ToList();
        foreach (var set in grants.GroupBy(g => (g.Group, g.Protocol, g.From, g.To)))
        {
            var blocks = set.Select(g => Cidr.TryParse(g.Source, out var c, out _) ? c : (Cidr?)null).OfType<Cidr>().ToList();
            if (!set.Any(g => IsAnywhereSource(g.Source)) && blocks.Count > 1 && Cidr.TryParse("0.0.0.0/0", out var all, out _) && Covered(all, blocks))
            {
                anywhere.Add(set.First() with { Source = string.Join(" + ", set.Select(g => g.Source)) });
            }
        }

        foreach (var grant in anywhere)
        {
            bool Covers(int port) => grant.Protocol == "all" || (port >= grant.From && port <= grant.To);
            foreach (var (port, name) in new[] { (22, "SSH"), (3389, "RDP") })
            {
                if (Covers(port) && grant.Protocol is "tcp" or "all")
                {
                    findings.Add(new Finding("INFRA002", Severity.Error, grant.Resource, $"{name} (port {port}) is open to the internet ({grant.Source}) on {grant.Group}.", "Remove the rule, or limit it to a bastion or corporate range; reach nodes with SSM Session Manager instead.", KeyOf(grant.Group)));
                }
            }

            var httpsOnly = grant.Protocol == "tcp" && grant.From == SecurityDesign.Https && grant.To == SecurityDesign.Https;
            if (!httpsOnly || !loadBalancerGroups.Contains(grant.Group))
            {
                var ports = grant.Protocol == "all" ? "all ports" : $"{grant.Protocol} {grant.From}-{grant.To}";
                findings.Add(new Finding("INFRA001", Severity.Error, grant.Resource, $"{grant.Group} admits {grant.Source} on {ports}; only load balancer groups may admit the internet, and only on 443.", "Narrow the source to the networks that need it, or put the service behind a load balancer.", KeyOf(grant.Group)));
            }
        }
    }

    private static void CheckEndpoint(EnvironmentSpec env, ProgramSnapshot program, List<Finding> findings)
    {
        var endpointKey = env.Cluster?.Cluster.At.Child("endpoint").Child("publicAccessCidrs").Path;
        // The eks component and the aws provider's own cluster resource both default to a public endpoint.
        var clusters = program.OfType(ResourceTypes.EksCluster).Select(c => (c.Name, Public: c["endpointPublicAccess"], Prefix: "publicAccessCidrs["))
            .Concat(program.OfType(ResourceTypes.AwsEksCluster).Select(c => (c.Name, Public: c["vpcConfig.endpointPublicAccess"], Prefix: "vpcConfig.publicAccessCidrs[")));
        foreach (var (name, publicAccess, prefix) in clusters)
        {
            var resource = program.Find(name)!;
            var cidrs = resource.Properties.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(kv => kv.Value).ToList();
            if (publicAccess != "false" && (cidrs.Count == 0 || cidrs.Any(IsAnywhereSource)))
            {
                findings.Add(new Finding("INFRA003", Severity.Warning, name, "The Kubernetes API endpoint is public and open to 0.0.0.0/0.", "List the corporate egress ranges in cluster.endpoint.publicAccessCidrs, or turn on private access and reach the API over the Aviatrix network.", endpointKey));
            }
        }
    }

    private static void CheckNotEmpty(ProgramSnapshot program, List<Finding> findings)
    {
        if (program.Resources.Count == 0)
        {
            findings.Add(new Finding("INFRA009", Severity.Error, "(program)", "The program declares no resources: `pulumi up` would delete everything the stack manages.", "Check that the program is the compiler's output for this stack."));
        }
    }

    private static void CheckSinglePointOfFailure(NetworkSpec network, List<Finding> findings)
    {
        if (network.Gateways.Count == 0)
        {
            return;
        }

        foreach (var table in network.RouteTables)
        {
            var critical = table.Routes.Where(r => r.Destination.PrefixLength == 0 || AwsAddressRules.Rfc1918.Contains(r.Destination)).ToList();
            var instances = critical.Where(r => r.Target.Kind == RouteTargetKind.Instance).Select(r => r.Target.GatewayName!).Distinct().ToList();
            if (critical.Count > 0 && instances.Count == 1)
            {
                var spare = network.Gateways.Where(g => g.Name != instances[0]).Select(g => g.Name).ToList();
                var via = critical.Where(r => r.Target.GatewayName == instances[0]).Select(r => r.Destination.ToString());
                var standby = spare.Count > 0 ? $"while {string.Join(", ", spare)} stands by" : ", the only gateway";
                findings.Add(new Finding("INFRA004", Severity.Warning, ResourceNames.RouteTable(table),
                    $"Route table {table.Name} sends {string.Join(", ", via)} to {instances[0]} alone{(spare.Count > 0 ? " " : "")}{standby}: if {instances[0]} fails, those routes become blackholes (AWS does not fail over).",
                    spare.Count > 0
                        ? "Spread the RFC 1918 routes across both gateways, or let the Aviatrix controller manage failover of the route targets."
                        : "Add a second gateway in another zone and spread the routes, or accept the single point of failure knowingly.",
                    table.At.Child("routes").Path));
            }
        }
    }

    private static void CheckSubnetTags(EnvironmentSpec env, ProgramSnapshot program, List<Finding> findings)
    {
        var subnetKeys = env.Network.Subnets.ToDictionary(s => ResourceNames.Subnet(s), s => s.EntryAt.Path, StringComparer.Ordinal);
        foreach (var subnet in program.OfType(ResourceTypes.Subnet))
        {
            var key = subnetKeys.GetValueOrDefault(subnet.Name);
            if (!SubnetRoles.TryParse(subnet["tags.Tier"] ?? "", out var role))
            {
                continue;
            }

            if (role.LoadBalancerDiscoveryTag() is { } tag && subnet[$"tags.{tag}"] != "1")
            {
                findings.Add(new Finding("INFRA005", Severity.Error, subnet.Name, $"The {role.Key()} subnet lacks {tag}=1, so the AWS Load Balancer Controller will not place load balancers in it.", $"Tag the subnet {tag}: \"1\".", key));
            }

            if (env.Cluster is { } cluster && role.SharedWithCluster() && subnet[$"tags.kubernetes.io/cluster/{cluster.Cluster.Name}"] is null)
            {
                findings.Add(new Finding("INFRA005", Severity.Error, subnet.Name, $"The {role.Key()} subnet lacks kubernetes.io/cluster/{cluster.Cluster.Name}.", $"Tag the subnet kubernetes.io/cluster/{cluster.Cluster.Name}: shared.", key));
            }
        }
    }

    /// <summary>
    /// A route is shadowed when more specific routes cover all of it (it can never win); it is
    /// redundant when the route that would win without it goes to the same target.
    /// </summary>
    private static void CheckRoutes(NetworkSpec network, List<Finding> findings)
    {
        foreach (var table in network.RouteTables)
        {
            var routes = table.Routes;
            foreach (var route in routes)
            {
                var inside = routes.Where(r => r != route && route.Destination.Contains(r.Destination) && r.Destination != route.Destination).ToList();
                if (inside.Count > 0 && Covered(route.Destination, inside.Select(r => r.Destination).ToList()))
                {
                    findings.Add(new Finding("INFRA006", Severity.Warning, ResourceNames.Route(table, route.Destination),
                        $"{route.Destination} -> {route.Target} in {table.Name} is shadowed: more specific routes cover all of it, so it never wins.", "Remove it, or remove the more specific routes if they were meant to fall back to it.", route.At.Path));
                }

                var wider = routes.Where(r => r != route && r.Destination.Contains(route.Destination) && r.Destination != route.Destination)
                    .OrderByDescending(r => r.Destination.PrefixLength).FirstOrDefault();
                if (wider is not null && wider.Target == route.Target && wider.Destination.PrefixLength > 0)
                {
                    findings.Add(new Finding("INFRA006", Severity.Warning, ResourceNames.Route(table, route.Destination),
                        $"{route.Destination} -> {route.Target} in {table.Name} overlaps {wider.Destination}, which goes to the same target: the route is redundant.", "Remove the narrower route, or point it at another target if it was meant to differ.", route.At.Path));
                }
                else if (wider is not null && wider.Target != route.Target && wider.Destination.PrefixLength > 0)
                {
                    findings.Add(new Finding("INFRA006", Severity.Note, ResourceNames.Route(table, route.Destination),
                        $"{route.Destination} -> {route.Target} in {table.Name} carves a part out of {wider.Destination} -> {wider.Target}.", "Nothing, if the exception is meant; say so in the route's purpose.", route.At.Path));
                }
            }
        }
    }

    private static bool Covered(Cidr outer, IReadOnlyList<Cidr> inner)
    {
        // Addresses covered by the union of the inner blocks, counted without double counting.
        var maximal = inner.Where(c => !inner.Any(o => o != c && o.Contains(c))).Distinct();
        return maximal.Sum(c => c.Size) >= outer.Size;
    }

    private static void CheckServiceCidr(EnvironmentSpec env, List<Finding> findings)
    {
        if (env.Cluster is not { } design)
        {
            return;
        }

        var service = design.Cluster.ServiceCidr.Value;
        foreach (var table in env.Network.RouteTables)
        {
            foreach (var route in table.Routes.Where(r => r.Destination.PrefixLength > 0 && r.Destination.Overlaps(service)))
            {
                findings.Add(new Finding("INFRA007", Severity.Warning, ResourceNames.Route(table, route.Destination),
                    $"The service CIDR {service} lies inside {route.Destination}, routed by {table.Name} to {route.Target}: pods cannot reach hosts of that network whose addresses collide with service IPs.",
                    "Pick a service CIDR that no corporate route names, or make sure no host the pods must reach uses addresses in it.",
                    design.Cluster.ServiceCidr.At.Path));
            }
        }
    }

    private static void CheckBootstrap(EnvironmentSpec env, List<Finding> findings)
    {
        foreach (var gap in NodeBootstrap.Gaps(env))
        {
            findings.Add(new Finding("INFRA008", Severity.Error, ResourceNames.Subnet(gap.Subnet),
                $"Nodes in {gap.Subnet.Key} cannot reach {gap.Unreachable} while the node group is created: {gap.Why}. The node group would fail after about 20 minutes.",
                "Set leadertools:bootstrap.nodeEgress to vpcEndpoints (with cluster.endpoint.privateAccess: true), give the node subnets a NAT gateway default route, or set nodeEgress: gateways once the appliances forward.",
                env.Cluster?.Bootstrap?.At.Path ?? gap.Subnet.EntryAt.Path));
        }
    }

    public static Report ToReport(CheckResult result) =>
        new($"check of {result.Stack}",
        [
            new Paragraph($"{result.Errors} errors, {result.Warnings} warnings, {result.Notes} notes."),
            result.Findings.Count == 0
                ? new Paragraph("No findings.")
                : new TableBlock(["id", "severity", "resource", "finding", "fix"], result.Findings.Select(f => (IReadOnlyList<string>)[f.RuleId, f.Severity.ToString().ToLowerInvariant(), f.Resource, f.Message, f.Fix]).ToList()),
        ],
        result);

    /// <summary>
    /// SARIF 2.1.0, so CI systems can show the findings: each result points at the stack file's key
    /// (line and column) to change, so code scanning annotates the pull request on that line.
    /// </summary>
    public static string ToSarif(CheckResult result, string stackFile)
    {
        var sarif = new Dictionary<string, object>
        {
            ["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json",
            ["version"] = "2.1.0",
            ["runs"] = new object[]
            {
                new Dictionary<string, object>
                {
                    ["tool"] = new { driver = new { name = "infra check", informationUri = "README.md", rules = Rules.Select(r => new { id = r.Id, shortDescription = new { text = r.Title }, defaultConfiguration = new { level = Level(r.Severity) } }) } },
                    ["results"] = result.Findings.Select(f => new
                    {
                        ruleId = f.RuleId,
                        level = Level(f.Severity),
                        message = new { text = $"{f.Message} Fix: {f.Fix}" },
                        locations = new[]
                        {
                            new
                            {
                                physicalLocation = new
                                {
                                    artifactLocation = new { uri = stackFile },
                                    region = f.Position is { } at ? new { startLine = at.Line, startColumn = at.Column } : null,
                                },
                                logicalLocations = LogicalLocations(f),
                            },
                        },
                    }),
                },
            },
        };
        return Report.ToJson(sarif);
    }

    /// <summary>The program resource the finding is about and, when it has one, the config key to change.</summary>
    private static List<object> LogicalLocations(Finding finding)
    {
        var locations = new List<object> { new { name = finding.Resource, kind = "resource" } };
        if (finding.ConfigKey is { } key)
        {
            locations.Add(new { name = key, kind = "member" });
        }

        return locations;
    }

    private static string Level(Severity severity) => severity switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        _ => "note",
    };
}
