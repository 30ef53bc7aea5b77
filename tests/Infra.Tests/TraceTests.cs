using Infra.Tests.Harness;

namespace Infra.Tests;

/// <summary>`infra trace` on the guide's four traffic flows, gateway failure, and bad arguments.</summary>
public sealed class TraceTests
{
    /// <summary>The JSON trace; its exit status says whether the packet is delivered (0) or not (3).</summary>
    private static System.Text.Json.Nodes.JsonNode Trace(params string[] args)
    {
        var result = InfraCli.Run(["trace", "--stack", "qas", .. args, "--format", "json"]);
        var trace = System.Text.Json.Nodes.JsonNode.Parse(result.Stdout)!;
        Assert.Equal(trace["delivered"]!.GetValue<bool>() ? 0 : 3, result.ExitCode);
        return trace;
    }

    /// <summary>Where a packet from outside the VPC comes in (issue 19, item 3): by the route back to its source.</summary>
    [Theory]
    // The guide's corporate host: main routes 208.75.9.40/32 to aviatrix-primary.
    [InlineData("208.75.9.40", "10.142.36.100", "aviatrix-primary", true)]
    // The corporate backup route goes to the secondary gateway.
    [InlineData("208.75.11.75", "10.142.36.100", "aviatrix-secondary", true)]
    // RFC 1918 networks come through the Aviatrix gateway too.
    [InlineData("192.168.1.1", "100.96.32.10", "aviatrix-primary", true)]
    // An internet client enters a public subnet through the internet gateway, but the gateway
    // forwards only to public addresses, and the stack gives its interfaces there none (issue 32, item 5)...
    [InlineData("8.8.8.8", "10.142.39.10", "internet-gateway", false)]
    // ...but no node: their default route to the gateway carries outbound traffic only.
    [InlineData("8.8.8.8", "10.142.36.100", "none", false)]
    public void A_packet_from_outside_enters_where_its_return_route_points(string from, string to, string entry, bool delivered)
    {
        var trace = Trace("--from", from, "--to", to);
        Assert.Equal(entry, trace["target"]!.GetValue<string>());
        Assert.Equal(delivered, trace["delivered"]!.GetValue<bool>());
        if (entry.StartsWith("aviatrix", StringComparison.Ordinal))
        {
            Assert.DoesNotContain(trace["path"]!.AsArray(), h => h!["detail"]!.GetValue<string>().Contains("internet gateway", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void A_corporate_source_loses_its_way_in_when_its_gateway_fails() =>
        Assert.False(Trace("--from", "208.75.9.40", "--to", "10.142.36.100", "--fail", "aviatrix-primary")["delivered"]!.GetValue<bool>());

    [Fact]
    public void An_address_inside_the_vpc_but_in_no_subnet_is_not_delivered()
    {
        var trace = Trace("--from", "208.75.9.40", "--to", "10.142.38.5");
        Assert.False(trace["delivered"]!.GetValue<bool>());
        Assert.Contains(trace["path"]!.AsArray(), h => h!["detail"]!.GetValue<string>().Contains("in no subnet", StringComparison.Ordinal));
    }

    [Fact]
    public void From_inside_to_an_address_in_the_vpc_but_in_no_subnet_is_not_delivered()
    {
        var trace = Trace("--from", "pods/us-west-2a", "--to", "10.142.38.5");
        Assert.Equal("local", trace["target"]!.GetValue<string>());
        Assert.False(trace["delivered"]!.GetValue<bool>());
        Assert.Contains(trace["path"]!.AsArray(), h => h!["detail"]!.GetValue<string>().Contains("in no subnet", StringComparison.Ordinal));
    }

    [Fact]
    public void A_destination_may_be_a_subnet_standing_for_a_host_in_it()
    {
        var trace = Trace("--from", "pods/us-west-2a", "--to", "nodes/us-west-2b", "--port", "10250");
        Assert.Equal("nodes/us-west-2b", trace["destinationSubnet"]!.GetValue<string>());
        Assert.Equal("node", trace["destinationInterface"]!.GetValue<string>());
        Assert.True(trace["delivered"]!.GetValue<bool>());
    }

    [Fact]
    public void An_undelivered_packet_exits_3_and_says_why()
    {
        var result = InfraCli.Run("trace", "--stack", "qas", "--from", "100.96.32.10", "--to", "10.1.2.3", "--fail", "aviatrix-primary");
        Assert.Equal(3, result.ExitCode);
        Assert.Contains("Result: not delivered: aviatrix-primary is down", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("via none", result.Stdout, StringComparison.Ordinal);
    }

    /// <summary>An IPv6 destination is said to be beyond trace, not read as a malformed IPv4 one.</summary>
    [Fact]
    public void An_ipv6_destination_is_refused_saying_trace_follows_ipv4_only()
    {
        var result = InfraCli.Run("trace", "--stack", "qas", "--from", "nodes/us-west-2a", "--to", "2001:db8::5");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Empty(result.Stdout);
        Assert.Contains("--to = 2001:db8::5: an IPv6 address: trace follows IPv4 only", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_port_the_security_groups_refuse_exits_3()
    {
        // A corporate host enters through aviatrix-primary; no group on a node admits SSH from it.
        var trace = Trace("--from", "208.75.9.40", "--to", "10.142.36.100", "--port", "22");
        Assert.True(trace["reachable"]!.GetValue<bool>());
        Assert.False(trace["securityGroupsAllow"]!.GetValue<bool>());
        Assert.False(trace["delivered"]!.GetValue<bool>());
    }

    /// <summary>The result line names the denial, not the last hop (issue 32, item 6): SSH from the internet to a node.</summary>
    [Fact]
    public void A_refused_packet_is_told_by_its_denial()
    {
        var result = InfraCli.Run("trace", "--stack", "qas", "--from", "208.75.9.40", "--to", "10.142.36.100", "--port", "22");
        Assert.Equal(3, result.ExitCode);
        var paragraph = result.Stdout[result.Stdout.IndexOf("Result:", StringComparison.Ordinal)..].Split("\n\n")[0].ReplaceLineEndings(" ");
        Assert.StartsWith("Result: not delivered: routed, but refused by security groups: ingress on node in nodes/us-west-2a", paragraph, StringComparison.Ordinal);
        Assert.Contains("no rule of ", paragraph, StringComparison.Ordinal);
        Assert.DoesNotContain("reachable from the internet", paragraph, StringComparison.Ordinal);
    }

    [Fact]
    public void From_the_internet_to_the_internet_is_refused()
    {
        var result = InfraCli.Run("trace", "--stack", "qas", "--from", "198.51.100.7", "--to", "8.8.8.8");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Contains("--to = 8.8.8.8: both", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Port_outside_the_vpc_is_judged_by_the_sources_egress()
    {
        var trace = Trace("--from", "100.96.32.10", "--to", "8.8.8.8", "--port", "443");
        Assert.NotEmpty(trace["securityGroups"]!.AsArray());
        Assert.Contains(trace["securityGroups"]!.AsArray(), g => g!["matchingRules"]!.AsArray().Any(r => r!.GetValue<string>().EndsWith("(egress)", StringComparison.Ordinal)));
        Assert.True(trace["securityGroupsAllow"]!.GetValue<bool>());
    }

    private static IEnumerable<string> FindingIds(System.Text.Json.Nodes.JsonNode trace) =>
        trace["findings"]!.AsArray().Select(f => f!["id"]!.GetValue<string>());

    [Fact]
    public void Internet_to_a_public_subnet_enters_by_the_internet_gateway_and_stops_at_an_interface_without_a_public_address()
    {
        // The stack's load balancers are internal: in the public subnets it places only the gateway
        // interfaces, which have no public address (the internet gateway forwards to none) and whose
        // group admits the VPC's own traffic and nothing from the internet.
        var trace = Trace("--from", "198.51.100.7", "--to", "10.142.39.20", "--port", "443");
        Assert.False(trace["reachable"]!.GetValue<bool>());
        Assert.Contains(trace["path"]!.AsArray(), h => h!["detail"]!.GetValue<string>().Contains("the gateway interfaces the stack creates have none", StringComparison.Ordinal));
        Assert.Equal("internet-gateway", trace["target"]!.GetValue<string>());
        Assert.Equal("public/us-west-2a", trace["destinationSubnet"]!.GetValue<string>());
        Assert.Equal("gateway", trace["destinationInterface"]!.GetValue<string>());
        Assert.Equal("public-hybrid", trace["routeTable"]!.GetValue<string>());
        Assert.Equal("explicit", trace["routeTableSelection"]!.GetValue<string>());
        Assert.Equal(["gateways"], GroupsMet(trace));
        Assert.False(trace["securityGroupsAllow"]!.GetValue<bool>());
    }

    private static List<string> GroupsMet(System.Text.Json.Nodes.JsonNode trace, string? direction = null) =>
        [.. trace["securityGroups"]!.AsArray()
            .Where(g => direction is null || g!["direction"]!.GetValue<string>() == direction)
            .Select(g => g!["group"]!.GetValue<string>())];

    /// <summary>Every matching rule, across the groups met.</summary>
    private static List<string> RulesMatched(System.Text.Json.Nodes.JsonNode trace) =>
        [.. trace["securityGroups"]!.AsArray().SelectMany(g => g!["matchingRules"]!.AsArray().Select(r => r!.GetValue<string>()))];

    [Fact]
    public void A_node_source_is_not_a_member_of_the_control_planes_group()
    {
        // Only the control plane's interfaces carry `cluster`: the nodes group's kubelet rule admits
        // the control plane, and a node reaches another node's kubelet through the EKS-created group.
        var fromNode = Trace("--from", "nodes/us-west-2a", "--to", "10.142.37.50", "--port", "10250");
        Assert.DoesNotContain(RulesMatched(fromNode), r => r.StartsWith("kubelet-from-cluster", StringComparison.Ordinal));
        Assert.Contains(RulesMatched(fromNode), r => r.StartsWith("all-from-members", StringComparison.Ordinal));
        var fromControlPlane = Trace("--from", "nodes/us-west-2a", "--from-interface", "control-plane", "--to", "10.142.37.50", "--port", "10250");
        Assert.Contains(RulesMatched(fromControlPlane), r => r.StartsWith("kubelet-from-cluster", StringComparison.Ordinal));
    }

    [Fact]
    public void A_node_calling_the_control_plane_meets_the_control_planes_groups()
    {
        var trace = Trace("--from", "nodes/us-west-2a", "--to", "10.142.37.50", "--to-interface", "control-plane", "--port", "443");
        Assert.Equal("control-plane", trace["destinationInterface"]!.GetValue<string>());
        Assert.Equal(["cluster", "eks-managed"], GroupsMet(trace).Order(StringComparer.Ordinal));
        Assert.Contains(RulesMatched(trace), r => r.StartsWith("https-from-nodes", StringComparison.Ordinal));
        Assert.True(trace["securityGroupsAllow"]!.GetValue<bool>());
    }

    [Fact]
    public void Leaving_through_a_gateway_meets_the_sources_egress_and_the_gateway_interfaces_ingress()
    {
        var trace = Trace("--from", "100.96.32.10", "--to", "208.75.9.40", "--port", "443");
        Assert.Equal(["eks-managed", "nodes"], GroupsMet(trace, "egress").Order(StringComparer.Ordinal));
        Assert.Equal(["gateways"], GroupsMet(trace, "ingress"));
        var gateway = trace["securityGroups"]!.AsArray().Single(g => g!["group"]!.GetValue<string>() == "gateways")!;
        Assert.Equal("aviatrix-primary's interface in public/us-west-2a", gateway["interface"]!.GetValue<string>());
        Assert.True(gateway["allows"]!.GetValue<bool>());
        Assert.True(trace["delivered"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("--to-interface", "pod", "not an interface the stack places in nodes/us-west-2b (there: node, control-plane, endpoint)")]
    [InlineData("--to-interface", "load-balancer", "not an interface the stack places in nodes/us-west-2b")]
    [InlineData("--from-interface", "sideways", "not an interface the stack places in pods/us-west-2a (there: pod)")]
    public void An_interface_the_subnet_does_not_hold_is_refused_by_name(string option, string value, string message)
    {
        var result = InfraCli.Run("trace", "--stack", "qas", "--from", "100.96.32.10", "--to", "10.142.37.50", option, value);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Contains($"{option} = {value}: {message}", result.Stderr, StringComparison.Ordinal);
    }

    /// <summary>Issue 19, item 3: a request through a load balancer, hop by hop, with the groups of each interface it meets.</summary>
    [Fact]
    public void A_corporate_request_to_a_load_balancer_reaches_the_pods_hop_by_hop()
    {
        var trace = Trace("--from", "208.75.9.40", "--to", "lb:crownpeak");
        Assert.True(trace["delivered"]!.GetValue<bool>());
        Assert.Equal("aviatrix-primary", trace["target"]!.GetValue<string>());
        var legs = trace["legs"]!.AsArray();
        Assert.Equal(
            ["load balancer lb-crownpeak in nodes/us-west-2a", "node in nodes/us-west-2a", "pod in pods/us-west-2a"],
            legs.Select(l => l!["to"]!.GetValue<string>()));
        Assert.Equal(["443", "NodePort 30000-32767", "the pod's container port (any)"], legs.Select(l => l!["ports"]!.GetValue<string>()));
        var perLeg = trace["securityGroups"]!.AsArray().GroupBy(g => g!["leg"]!.GetValue<int>()).ToDictionary(g => g.Key, g => g.Select(v => v!["group"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList());
        Assert.Equal(["lb-crownpeak"], perLeg[1]);
        Assert.Equal(["eks-managed", "nodes"], perLeg[2]);
        Assert.Equal(["eks-managed", "nodes"], perLeg[3]);
        Assert.Contains(RulesMatched(trace), r => r.StartsWith("nodeport-from-lb-crownpeak", StringComparison.Ordinal));
    }

    [Fact]
    public void An_internet_request_to_an_internal_load_balancer_stops_at_the_first_hop()
    {
        var trace = Trace("--from", "198.51.100.7", "--to", "lb:po3");
        Assert.False(trace["delivered"]!.GetValue<bool>());
        Assert.Single(trace["legs"]!.AsArray());
        Assert.Contains("internal-load-balancers", FindingIds(trace));
    }

    [Fact]
    public void A_load_balancer_refuses_a_port_other_than_its_listener()
    {
        var trace = Trace("--from", "208.75.9.40", "--to", "lb:ranktracker", "--port", "80");
        Assert.False(trace["delivered"]!.GetValue<bool>());
        Assert.False(trace["legs"]!.AsArray()[0]!["securityGroupsAllow"]!.GetValue<bool>());
        Assert.Contains("stops at hop 1", trace["path"]!.AsArray()[^1]!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_pod_reaches_a_load_balancer_in_its_own_zone()
    {
        var trace = Trace("--from", "pods/us-west-2b", "--to", "lb:crownpeak");
        Assert.Equal("load balancer lb-crownpeak in nodes/us-west-2b", trace["legs"]!.AsArray()[0]!["to"]!.GetValue<string>());
        Assert.True(trace["delivered"]!.GetValue<bool>());
    }

    [Fact]
    public void Ip_targets_go_from_the_load_balancer_to_the_pod_and_the_design_does_not_admit_them()
    {
        // The design admits load balancers on the nodes' NodePorts only (SecurityDesign); with ip
        // targets the pods' groups would need a rule from the load balancer group.
        var env = Infra.StackConfig.StackLoader.Load(new Infra.StackConfig.StackSource.StackFile(Repo.Root, "qas"));
        var ipTargets = env with { Cluster = env.Cluster! with { Applications = [.. env.Cluster.Applications.Select(a => a with { TargetType = LoadBalancerTargetType.Ip })] } };
        var trace = Infra.Review.Trace.Run(ValidatedEnvironment.From(ipTargets), "208.75.9.40", "lb:crownpeak");
        Assert.Equal(2, trace.Legs.Count);
        Assert.Equal("pod in pods/us-west-2a", trace.Legs[1].To);
        Assert.False(trace.Legs[1].SecurityGroupsAllow);
        Assert.False(trace.Delivered);
    }

    [Theory]
    [InlineData("lb:nosuch", "--to = lb:nosuch: not a load balancer of the stack (load balancers: lb:crownpeak, lb:po3, lb:ranktracker)")]
    [InlineData("lb:", "--to = lb:: not a load balancer of the stack")]
    public void An_unknown_load_balancer_is_refused_with_the_ones_there_are(string to, string message)
    {
        var result = InfraCli.Run("trace", "--stack", "qas", "--from", "208.75.9.40", "--to", to);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_output_of_a_load_balancer_flow_shows_each_hop_and_the_interfaces_groups()
    {
        var text = InfraCli.Run("trace", "--stack", "qas", "--from", "208.75.9.40", "--to", "lb:crownpeak").Stdout;
        Assert.Contains("Hop by hop", text, StringComparison.Ordinal);
        Assert.Contains("Security groups on the interfaces it meets", text, StringComparison.Ordinal);
        Assert.Contains("NodePort 30000-32767", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Flow_internet_inbound_cannot_reach_internal_load_balancers_and_says_the_guide_claims_otherwise()
    {
        var trace = Trace("--from", "198.51.100.7", "--to", "10.142.36.40", "--port", "443");
        Assert.False(trace["reachable"]!.GetValue<bool>());
        Assert.Contains("internal-load-balancers", FindingIds(trace));
    }

    [Fact]
    public void Flow_pods_outbound_to_the_internet_takes_the_main_tables_default_route_to_the_primary_gateway()
    {
        var trace = Trace("--from", "100.96.32.10", "--to", "8.8.8.8");
        Assert.Equal("pods/us-west-2a", trace["sourceSubnet"]!.GetValue<string>());
        Assert.Equal("main", trace["routeTable"]!.GetValue<string>());
        Assert.Equal("main", trace["routeTableSelection"]!.GetValue<string>());
        Assert.Equal("0.0.0.0/0", trace["winningRoute"]!.GetValue<string>());
        Assert.Equal("aviatrix-primary", trace["target"]!.GetValue<string>());
    }

    [Fact]
    public void Flow_pods_outbound_says_the_prose_claims_the_internet_gateway() =>
        Assert.Contains("default-route", FindingIds(Trace("--from", "100.96.32.10", "--to", "8.8.8.8")));

    [Fact]
    public void Flow_pods_outbound_to_the_corporate_backup_route_takes_the_secondary_gateway()
    {
        var trace = Trace("--from", "pods/us-west-2b", "--to", "208.75.11.75");
        Assert.Equal("208.75.11.75/32", trace["winningRoute"]!.GetValue<string>());
        Assert.Equal("aviatrix-secondary", trace["target"]!.GetValue<string>());
    }

    [Fact]
    public void Flow_control_plane_nodes_reach_the_api_server_locally_through_the_eks_managed_group()
    {
        // Managed nodes' primary interfaces carry only the group EKS creates with the cluster, which
        // admits all traffic from its members (the control plane's interfaces carry it too).
        var trace = Trace("--from", "nodes/us-west-2a", "--to", "10.142.37.50", "--port", "443");
        Assert.Equal("local", trace["target"]!.GetValue<string>());
        var managed = trace["securityGroups"]!.AsArray().Single(g => g!["group"]!.GetValue<string>() == "eks-managed")!;
        Assert.True(managed["allows"]!.GetValue<bool>());
        Assert.True(trace["securityGroupsAllow"]!.GetValue<bool>());
    }

    [Fact]
    public void Flow_pod_to_pod_across_zones_is_local_and_the_pod_interfaces_groups_allow_it()
    {
        var trace = Trace("--from", "100.96.32.10", "--to", "100.96.36.20", "--port", "8080");
        Assert.Equal("local", trace["target"]!.GetValue<string>());
        Assert.Equal("pods/us-west-2b", trace["destinationSubnet"]!.GetValue<string>());
        Assert.Equal(["eks-managed", "nodes"], trace["securityGroups"]!.AsArray().Select(g => g!["group"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.True(trace["securityGroupsAllow"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("10.142.36.10", "100.96.32.10", "9443")] // control plane -> load balancer controller webhook on a pod
    [InlineData("100.96.32.10", "10.142.37.20", "10250")] // pod (metrics-server) -> kubelet on a node
    [InlineData("10.142.36.10", "100.96.36.20", "8080")] // node forwarding NodePort traffic to a pod in the other zone
    [InlineData("100.96.36.20", "10.142.36.10", "53")] // pod -> CoreDNS on the node network
    public void Pods_nodes_and_the_control_plane_reach_each_other_as_eks_requires(string from, string to, string port)
    {
        var trace = Trace("--from", from, "--to", to, "--port", port);
        Assert.True(trace["reachable"]!.GetValue<bool>());
        Assert.True(trace["securityGroupsAllow"]!.GetValue<bool>());
    }

    [Fact]
    public void Source_may_be_named_by_the_subnet_id_it_replicates() =>
        Assert.Equal("pods/us-west-2a", Trace("--from", "subnet-09d92cbf937adefe5", "--to", "8.8.8.8")["sourceSubnet"]!.GetValue<string>());

    [Fact]
    public void Primary_gateway_failure_blackholes_its_routes_without_falling_back()
    {
        var trace = Trace("--from", "100.96.32.10", "--to", "10.1.2.3", "--fail", "aviatrix-primary");
        Assert.False(trace["reachable"]!.GetValue<bool>());
        Assert.Equal("none", trace["target"]!.GetValue<string>());
        var lost = trace["lostRoutes"]!.AsArray().Where(l => l!["routeTable"]!.GetValue<string>() == "main").Select(l => l!["destination"]!.GetValue<string>()).Order(StringComparer.Ordinal);
        Assert.Equal(new[] { "0.0.0.0/0", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "208.75.9.40/32", "64.47.4.88/32" }.Order(StringComparer.Ordinal), lost);
    }

    [Fact]
    public void Primary_gateway_failure_leaves_the_route_through_the_secondary()
    {
        var trace = Trace("--from", "100.96.32.10", "--to", "208.75.11.75", "--fail", "aviatrix-primary");
        Assert.True(trace["reachable"]!.GetValue<bool>());
        Assert.Equal("aviatrix-secondary", trace["target"]!.GetValue<string>());
    }

    [Fact]
    public void Dev_stack_pods_reach_the_internet_through_its_nat_gateway_and_corporate_through_transit()
    {
        var toInternet = InfraCli.Json("trace", "--stack", "dev", "--from", "100.100.0.10", "--to", "1.1.1.1");
        Assert.Equal("nat-gateway", toInternet["target"]!.GetValue<string>());
        Assert.True(toInternet["reachable"]!.GetValue<bool>());
        Assert.Equal("transit", InfraCli.Json("trace", "--stack", "dev", "--from", "100.100.0.10", "--to", "10.9.9.9")["target"]!.GetValue<string>());
    }

    [Fact]
    public void Text_output_names_the_route_table_and_the_finding_plainly()
    {
        var text = InfraCli.Run("trace", "--stack", "qas", "--from", "100.96.32.10", "--to", "8.8.8.8").Stdout;
        Assert.Contains("rtb-0af593cb336560f42", text, StringComparison.Ordinal);
        Assert.Contains("Where the guide's prose and its route tables disagree", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--to", "999.1.1.1", "--to = 999.1.1.1")]
    [InlineData("--to", "8.8.8", "--to = 8.8.8")]
    [InlineData("--from", "nowhere", "--from = nowhere")]
    [InlineData("--from", "10.142.35.1", "--from = 10.142.35.1")]
    [InlineData("--fail", "aviatrix-tertiary", "--fail = aviatrix-tertiary")]
    [InlineData("--to", "service:s4", "--to = service:s4: not a service trace knows (services: service:dynamodb, service:ec2, ")]
    [InlineData("--port", "70000", "--port = 70000")]
    [InlineData("--format", "yaml", "yaml")]
    [InlineData("--stack", "nosuch", "--stack = nosuch")]
    public void Bad_arguments_get_one_message_and_a_non_zero_exit(string option, string value, string message)
    {
        var args = new List<string> { "trace", "--stack", "qas", "--from", "100.96.32.10", "--to", "8.8.8.8" };
        var at = args.IndexOf(option);
        if (at >= 0)
        {
            args[at + 1] = value;
        }
        else
        {
            args.AddRange([option, value]);
        }

        var result = InfraCli.Run([.. args]);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
    }

    /// <summary>help trace says how sources outside the VPC enter and what trace follows besides routes (issue 32, items 1-4).</summary>
    [Fact]
    public void Help_trace_says_how_corporate_sources_services_and_translations_are_traced()
    {
        using var stdout = new StringWriter();
        Assert.Equal(0, Infra.Cli.Program.Run(["trace", "--help"], stdout, new StringWriter()));
        var help = string.Join(' ', stdout.ToString().Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries));
        foreach (var said in new[] { "guideClaims.corporateNetworks", "service:NAME", "kube-proxy", "source NAT", "public addresses only" })
        {
            Assert.Contains(said, help, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_service_is_traced_from_inside_the_vpc_only()
    {
        var result = InfraCli.Run("trace", "--stack", "qas", "--from", "8.8.8.8", "--to", "service:s3");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Contains("--from = 8.8.8.8: service:s3 is traced from inside the VPC", result.Stderr, StringComparison.Ordinal);
    }

    /// <summary>A gateway endpoint the stack states (vpcEndpoints) routes the service from its tables, in trace and plan alike.</summary>
    [Fact]
    public void A_stated_gateway_endpoint_carries_its_service_from_its_tables()
    {
        var stack = File.ReadAllText(Repo.Path("Pulumi.dev.yaml")) + "  leadertools:vpcEndpoints:\n    s3:\n      service: com.amazonaws.us-east-1.s3\n      type: Gateway\n      routeTables: [main]\n";
        using var project = new TempProject("stated-endpoint").WithStack("dev", stack);
        var trace = System.Text.Json.Nodes.JsonNode.Parse(InfraCli.Run("trace", "--stack", "dev", "--dir", project.Directory, "--from", "pods/us-east-1a", "--to", "service:s3", "--format", "json").Stdout)!;
        Assert.Equal("vpc-endpoint-s3", trace["target"]!.GetValue<string>());
        var fromPublic = System.Text.Json.Nodes.JsonNode.Parse(InfraCli.Run("trace", "--stack", "dev", "--dir", project.Directory, "--from", "public/us-east-1a", "--to", "service:s3", "--format", "json").Stdout)!;
        Assert.Equal("internet-gateway", fromPublic["target"]!.GetValue<string>());
        var main = InfraCli.Json("plan", "--stack", "dev", "--dir", project.Directory)["routeTables"]!.AsArray().Single(t => t!["name"]!.GetValue<string>() == "main")!;
        Assert.Contains(main["routes"]!.AsArray(), r => r!["destination"]!.GetValue<string>() == "com.amazonaws.us-east-1.s3 (prefix list)");
    }

    /// <summary>An interface endpoint the stack states, with private DNS, answers for its service; its own groups judge the packet.</summary>
    [Fact]
    public void A_stated_interface_endpoint_answers_for_its_service_with_its_own_groups()
    {
        var stack = File.ReadAllText(Repo.Path("examples", "Pulumi.adopted.yaml"));
        using var project = new TempProject("stated-interface").WithStack("adopted", stack);
        System.Text.Json.Nodes.JsonNode Run(string port) => System.Text.Json.Nodes.JsonNode.Parse(
            InfraCli.Run("trace", "--stack", "adopted", "--dir", project.Directory, "--from", "nodes/us-east-1b", "--to", "service:logs", "--port", port, "--format", "json").Stdout)!;
        var https = Run("443");
        Assert.Equal("local", https["target"]!.GetValue<string>());
        Assert.Equal("nodes/us-east-1b", https["destinationSubnet"]!.GetValue<string>());
        Assert.Equal(["endpoints"], GroupsMet(https, "ingress"));
        Assert.True(https["delivered"]!.GetValue<bool>());
        Assert.False(Run("80")["delivered"]!.GetValue<bool>());
    }
}
