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
    // An internet client reaches a public subnet through the internet gateway...
    [InlineData("8.8.8.8", "10.142.39.10", "internet-gateway", true)]
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
    public void An_undelivered_packet_exits_3_and_says_why()
    {
        var result = InfraCli.Run("trace", "--stack", "qas", "--from", "100.96.32.10", "--to", "10.1.2.3", "--fail", "aviatrix-primary");
        Assert.Equal(3, result.ExitCode);
        Assert.Contains("Result: not delivered: aviatrix-primary is down", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("via none", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_port_the_security_groups_refuse_exits_3()
    {
        var trace = Trace("--from", "198.51.100.7", "--to", "10.142.39.20", "--port", "22");
        Assert.True(trace["reachable"]!.GetValue<bool>());
        Assert.False(trace["securityGroupsAllow"]!.GetValue<bool>());
        Assert.False(trace["delivered"]!.GetValue<bool>());
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
    public void Flow_internet_inbound_reaches_a_load_balancer_in_a_public_subnet_through_the_internet_gateway()
    {
        var trace = Trace("--from", "198.51.100.7", "--to", "10.142.39.20", "--port", "443");
        Assert.True(trace["reachable"]!.GetValue<bool>());
        Assert.Equal("internet-gateway", trace["target"]!.GetValue<string>());
        Assert.Equal("public/us-west-2a", trace["destinationSubnet"]!.GetValue<string>());
        Assert.Equal("public-hybrid", trace["routeTable"]!.GetValue<string>());
        Assert.Equal("explicit", trace["routeTableSelection"]!.GetValue<string>());
        Assert.All(trace["securityGroups"]!.AsArray(), g => Assert.True(g!["allows"]!.GetValue<bool>()));
        Assert.Equal(3, trace["securityGroups"]!.AsArray().Count);
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
}
