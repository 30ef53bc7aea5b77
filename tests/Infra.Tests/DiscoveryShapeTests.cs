using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Amazon.EC2;
using Amazon.EC2.Model;
using Infra.Review;
using Infra.Tests.Harness;

namespace Infra.Tests;

/// <summary>
/// discover and drift without silent loss (issue 29): a VPC with what the stack format cannot hold
/// (IPv6, an egress-only gateway, endpoints and their prefix-list route, a second NAT gateway, a
/// second node subnet in a zone) is still written, every such object named in the file and in the
/// summary; the file compiles; drift is clean right after and says what it did not compare; and the
/// live changes drift used to miss are each one finding.
/// </summary>
public sealed class DiscoveryShapeTests(MotoFixture moto) : IClassFixture<MotoFixture>
{
    private sealed record Shape(LiveQas Qas, string SecondNodeSubnet, string Eigw, string GatewayEndpoint, string InterfaceEndpoint, string SecondNat, string Ipv6Block);

    private static async Task<Shape> SeedAsync(IAmazonEC2 ec2)
    {
        var qas = await LiveQas.SeedAsync(ec2);
        var main = qas.ByName["main"];
        var ipv6 = await ec2.AssociateVpcCidrBlockAsync(new AssociateVpcCidrBlockRequest { VpcId = qas.VpcId, AmazonProvidedIpv6CidrBlock = true });
        var block = ipv6.Ipv6CidrBlockAssociation.Ipv6CidrBlock;
        var eigw = (await ec2.CreateEgressOnlyInternetGatewayAsync(new CreateEgressOnlyInternetGatewayRequest { VpcId = qas.VpcId })).EgressOnlyInternetGateway.EgressOnlyInternetGatewayId;
        await ec2.CreateRouteAsync(new CreateRouteRequest { RouteTableId = main, DestinationIpv6CidrBlock = "::/0", EgressOnlyInternetGatewayId = eigw });
        var gatewayEndpoint = (await ec2.CreateVpcEndpointAsync(new CreateVpcEndpointRequest { VpcId = qas.VpcId, ServiceName = "com.amazonaws.us-west-2.s3", VpcEndpointType = VpcEndpointType.Gateway, RouteTableIds = [main] })).VpcEndpoint.VpcEndpointId;
        var interfaceEndpoint = (await ec2.CreateVpcEndpointAsync(new CreateVpcEndpointRequest { VpcId = qas.VpcId, ServiceName = "com.amazonaws.us-west-2.sts", VpcEndpointType = VpcEndpointType.Interface, SubnetIds = [qas.ByName["nodes/us-west-2a"]] })).VpcEndpoint.VpcEndpointId;
        var second = (await ec2.CreateSubnetAsync(new CreateSubnetRequest { VpcId = qas.VpcId, CidrBlock = "10.142.32.0/24", AvailabilityZone = "us-west-2a" })).Subnet.SubnetId;
        var allocation = (await ec2.AllocateAddressAsync(new AllocateAddressRequest { Domain = DomainType.Vpc })).AllocationId;
        var allocation2 = (await ec2.AllocateAddressAsync(new AllocateAddressRequest { Domain = DomainType.Vpc })).AllocationId;
        await ec2.CreateNatGatewayAsync(new CreateNatGatewayRequest { SubnetId = qas.ByName["public/us-west-2a"], AllocationId = allocation });
        var nat2 = (await ec2.CreateNatGatewayAsync(new CreateNatGatewayRequest { SubnetId = qas.ByName["public/us-west-2b"], AllocationId = allocation2 })).NatGateway.NatGatewayId;
        return new Shape(qas, second, eigw, gatewayEndpoint, interfaceEndpoint, nat2, block);
    }

    private static string ScratchProject() => DiscoveryProject.Create("infra-shape-");

    private CompilerResult Discover(string vpcId, string dir) => moto.Discover(vpcId, dir);

    private JsonNode Drift(string dir) => moto.Drift(dir);

    /// <summary>
    /// Drift right after discover is clean (issue 29, item 5) on a VPC that never used the role tags
    /// the replica's subnets get, with a zone's second public subnet associated with a named table:
    /// the subnet is written as `public/us-west-2a/2` with its association, and the tags are said as
    /// not compared.
    /// </summary>
    [NeedsMotoFact]
    public async Task Drift_is_clean_after_discover_without_role_tags_and_with_a_second_subnet_of_a_role_in_a_zone()
    {
        moto.Server.Reset();
        using var ec2 = moto.Server.Client();
        var qas = await LiveQas.SeedAsync(ec2);
        var subnets = qas.ByName.Where(kv => kv.Key.Contains('/', StringComparison.Ordinal)).Select(kv => kv.Value).ToList();
        await ec2.DeleteTagsAsync(new DeleteTagsRequest { Resources = subnets, Tags = [new Tag("kubernetes.io/role/elb"), new Tag("kubernetes.io/role/internal-elb")] });
        var second = (await ec2.CreateSubnetAsync(new CreateSubnetRequest { VpcId = qas.VpcId, CidrBlock = "10.142.32.0/24", AvailabilityZone = "us-west-2a" })).Subnet.SubnetId;
        await ec2.AssociateRouteTableAsync(new AssociateRouteTableRequest { RouteTableId = qas.ByName["public-hybrid"], SubnetId = second });
        var dir = ScratchProject();
        var discovered = Discover(qas.VpcId, dir);
        Assert.True(discovered.ExitCode == 0, discovered.Stderr);

        var drift = Drift(dir);
        Assert.Empty(drift["findings"]!.AsArray());
        var notCompared = string.Join("\n", drift["notCompared"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Contains("the kubernetes.io/role/elb tag: no live subnet carries it", notCompared, StringComparison.Ordinal);
        Assert.DoesNotContain("discover left out", notCompared, StringComparison.Ordinal);
        var text = File.ReadAllText(Path.Combine(dir, "Pulumi.shape.yaml"));
        Assert.Contains($"replicaOf: {second} }}", text, StringComparison.Ordinal);
        Assert.Contains("- public/us-west-2a/2\n", text, StringComparison.Ordinal);
        Assert.Equal(0, InfraCli.Run("compile", "--stack", "shape", "--dir", dir).ExitCode);
    }

    [NeedsMotoFact]
    public async Task What_the_format_cannot_hold_is_named_in_the_file_and_the_summary_and_the_file_compiles()
    {
        moto.Server.Reset();
        using var ec2 = moto.Server.Client();
        var shape = await SeedAsync(ec2);
        var dir = ScratchProject();
        var result = Discover(shape.Qas.VpcId, dir);
        Assert.True(result.ExitCode == 0, result.Stderr);
        var text = File.ReadAllText(Path.Combine(dir, "Pulumi.shape.yaml"));
        foreach (var id in new[] { shape.SecondNodeSubnet, shape.Eigw, shape.GatewayEndpoint, shape.InterfaceEndpoint, shape.SecondNat, shape.Ipv6Block })
        {
            Assert.Contains(id, text, StringComparison.Ordinal);
        }

        // IPv6 is written now (issue 29, item 2): the VPC asks for its own block, the egress-only gateway and its route stand.
        Assert.Contains("    amazonIpv6: true # inferred: the original has " + shape.Ipv6Block, text, StringComparison.Ordinal);
        Assert.Contains($"  leadertools:egressOnlyInternetGateway:\n    replicaOf: {shape.Eigw}\n", text, StringComparison.Ordinal);
        Assert.Contains("      ipv6Routes:\n        - { destination: \"::/0\", target: egress-only-internet-gateway }\n", text, StringComparison.Ordinal);
        // Both NAT gateways are written now, one per zone (issue 29, item 2).
        Assert.Contains("    zones: [us-west-2a, us-west-2b]\n", text, StringComparison.Ordinal);
        // Both endpoints are written now (issue 29, item 2), and the gateway endpoint's prefix-list route is said as AWS's.
        Assert.Contains($"    s3:\n      service: com.amazonaws.us-west-2.s3\n      type: Gateway\n      routeTables: [main]\n      replicaOf: {shape.GatewayEndpoint}\n", text, StringComparison.Ordinal);
        Assert.Contains($"    sts:\n      service: com.amazonaws.us-west-2.sts\n      type: Interface\n      subnets: [nodes/us-west-2a]\n", text, StringComparison.Ordinal);
        Assert.Contains("added by AWS for vpcEndpoints.s3", text, StringComparison.Ordinal);
        // A zone's second subnet of a role is written now (issue 29, item 2), as a list under its zone.
        Assert.Contains(result.Stderr.Split('\n'), l => l.Contains("subnets: 7 read, 7 written", StringComparison.Ordinal));
        Assert.Contains($"      us-west-2a: # the first is the one the cluster, NAT gateway and endpoints use; the others are role/zone/2, ...\n", text, StringComparison.Ordinal);
        Assert.Contains($"{{ cidr: 10.142.32.0/24, replicaOf: {shape.SecondNodeSubnet} }}", text, StringComparison.Ordinal);

        Assert.Equal(0, InfraCli.Run("compile", "--stack", "shape", "--dir", dir).ExitCode);
    }

    [NeedsMotoFact]
    public async Task Right_after_discover_drift_is_clean_and_says_what_it_did_not_compare()
    {
        moto.Server.Reset();
        using var ec2 = moto.Server.Client();
        var shape = await SeedAsync(ec2);
        var dir = ScratchProject();
        Assert.Equal(0, Discover(shape.Qas.VpcId, dir).ExitCode);
        var drift = Drift(dir);
        Assert.True(drift["findings"]!.AsArray().Count == 0, drift["findings"]!.ToJsonString());
        var notCompared = string.Join("\n", drift["notCompared"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.DoesNotContain("IPv6", notCompared, StringComparison.Ordinal);
        Assert.DoesNotContain("VPC endpoint(s)", notCompared, StringComparison.Ordinal);
        Assert.Contains(drift["compared"]!.AsArray(), c => c!.GetValue<string>().StartsWith("each VPC endpoint the stack states", StringComparison.Ordinal));
        Assert.DoesNotContain(shape.SecondNodeSubnet, notCompared, StringComparison.Ordinal);
    }

    public static TheoryData<string> Changes() => ["new-subnet", "main-table-swap", "ipv6-ingress"];

    /// <summary>Live changes drift used to miss, each exactly one finding of its kind.</summary>
    [NeedsMotoTheory]
    [MemberData(nameof(Changes))]
    public async Task A_change_drift_used_to_miss_is_one_finding(string change)
    {
        moto.Server.Reset();
        using var ec2 = moto.Server.Client();
        var qas = await LiveQas.SeedAsync(ec2);
        var dir = ScratchProject();
        Assert.Equal(0, Discover(qas.VpcId, dir).ExitCode);
        // discover states every group of the VPC (securityGroups), so a change to one is compared without more keys.
        var before = Drift(dir)["findings"]!.AsArray().Select(f => f!.ToJsonString()).ToHashSet();
        var expected = change switch
        {
            "new-subnet" => await Do(ec2.CreateSubnetAsync(new CreateSubnetRequest { VpcId = qas.VpcId, CidrBlock = "10.142.33.0/24", AvailabilityZone = "us-west-2b" }), "subnet-extra"),
            "main-table-swap" => await Do(SwapMainAsync(ec2, qas), "main-table"),
            _ => await Do(ec2.AuthorizeSecurityGroupIngressAsync(new AuthorizeSecurityGroupIngressRequest
            {
                GroupId = qas.ByName["sg:nodes"],
                IpPermissions = [new IpPermission { IpProtocol = "tcp", FromPort = 443, ToPort = 443, Ipv6Ranges = [new Ipv6Range { CidrIpv6 = "::/0" }] }],
            }), "security-group-rule"),
        };
        var report = InfraCli.Run("drift", "--stack", "shape", "--dir", dir, "--endpoint-url", moto.Server.Endpoint, "--format", "json");
        Assert.True(report.ExitCode is 0 or 2, report.Stderr);
        var after = JsonNode.Parse(report.Stdout)!["findings"]!.AsArray().Where(f => !before.Contains(f!.ToJsonString())).ToList();
        Assert.True(after.Count == 1, report.Stdout);
        Assert.Equal(expected, after[0]!["kind"]!.GetValue<string>());
    }

    /// <summary>
    /// A private NAT gateway (issue 29, item 2) with a route to it is written under
    /// privateNatGateways and as the route's target; the file compiles; drift is clean; its deletion
    /// is one finding at its replicaOf, and a new private NAT gateway one at privateNatGateways.
    /// </summary>
    [NeedsMotoFact]
    public async Task A_private_nat_gateway_is_written_compared_and_its_deletion_is_one_finding()
    {
        moto.Server.Reset();
        using var ec2 = moto.Server.Client();
        var qas = await LiveQas.SeedAsync(ec2);
        var nat = (await ec2.CreateNatGatewayAsync(new CreateNatGatewayRequest { SubnetId = qas.ByName["nodes/us-west-2a"], ConnectivityType = ConnectivityType.Private })).NatGateway.NatGatewayId;
        await ec2.CreateRouteAsync(new CreateRouteRequest { RouteTableId = qas.ByName["main"], DestinationCidrBlock = "10.70.0.0/16", NatGatewayId = nat });
        var dir = ScratchProject();
        var discovered = Discover(qas.VpcId, dir);
        Assert.True(discovered.ExitCode == 0, discovered.Stderr);
        var text = File.ReadAllText(Path.Combine(dir, "Pulumi.shape.yaml"));
        Assert.Contains($"  leadertools:privateNatGateways:\n    {nat}: {{ subnet: nodes/us-west-2a, replicaOf: {nat} }}\n", text, StringComparison.Ordinal);
        Assert.Contains($"- {{ destination: 10.70.0.0/16, target: private-nat-gateway/{nat} }}", text, StringComparison.Ordinal);
        Assert.Equal(0, InfraCli.Run("compile", "--stack", "shape", "--dir", dir).ExitCode);
        var clean = Drift(dir);
        Assert.True(clean["findings"]!.AsArray().Count == 0, clean["findings"]!.ToJsonString());

        var added = (await ec2.CreateNatGatewayAsync(new CreateNatGatewayRequest { SubnetId = qas.ByName["nodes/us-west-2b"], ConnectivityType = ConnectivityType.Private })).NatGateway.NatGatewayId;
        var extra = Assert.Single(Drift(dir)["findings"]!.AsArray());
        Assert.Equal(("nat-gateway", "leadertools:privateNatGateways", added), (extra!["kind"]!.GetValue<string>(), extra["key"]!.GetValue<string>(), extra["liveId"]!.GetValue<string>()));
        await ec2.DeleteNatGatewayAsync(new DeleteNatGatewayRequest { NatGatewayId = added });

        await ec2.DeleteNatGatewayAsync(new DeleteNatGatewayRequest { NatGatewayId = nat });
        var gone = Drift(dir)["findings"]!.AsArray();
        Assert.Contains(gone, f => f!["kind"]!.GetValue<string>() == "nat-gateway" && f["key"]!.GetValue<string>() == $"leadertools:privateNatGateways.{nat}.replicaOf");
    }

    /// <summary>
    /// A second public NAT gateway in a zone (issue 29, item 2) is written under publicNatGateways,
    /// routes to it name it there, the file compiles to its own Elastic IP and NAT gateway, drift is
    /// clean, and its deletion is one finding at its replicaOf.
    /// </summary>
    [NeedsMotoFact]
    public async Task A_second_public_nat_gateway_in_a_zone_is_written_compiled_and_compared()
    {
        moto.Server.Reset();
        using var ec2 = moto.Server.Client();
        var qas = await LiveQas.SeedAsync(ec2);
        async Task<string> PublicNatAsync() => (await ec2.CreateNatGatewayAsync(new CreateNatGatewayRequest
        {
            SubnetId = qas.ByName["public/us-west-2a"],
            AllocationId = (await ec2.AllocateAddressAsync(new AllocateAddressRequest { Domain = DomainType.Vpc })).AllocationId,
        })).NatGateway.NatGatewayId;
        var nats = new[] { await PublicNatAsync(), await PublicNatAsync() }.Order(StringComparer.Ordinal).ToArray();
        // The zone's NAT gateway is the first by id; the other is the further one, which a partner's network is routed through.
        await ec2.CreateRouteAsync(new CreateRouteRequest { RouteTableId = qas.ByName["main"], DestinationCidrBlock = "203.0.113.0/24", NatGatewayId = nats[1] });
        var dir = ScratchProject();
        var discovered = Discover(qas.VpcId, dir);
        Assert.True(discovered.ExitCode == 0, discovered.Stderr);
        var text = File.ReadAllText(Path.Combine(dir, "Pulumi.shape.yaml"));
        Assert.Contains($"replicaOf: {{ us-west-2a: {nats[0]} }}", text, StringComparison.Ordinal);
        Assert.True(text.Contains($"    {nats[1]}: {{ subnet: public/us-west-2a, replicaOf: {nats[1]} }} # inferred: a further NAT gateway in us-west-2a", StringComparison.Ordinal), text);
        Assert.Contains($"- {{ destination: 203.0.113.0/24, target: public-nat-gateway/{nats[1]} }}", text, StringComparison.Ordinal);
        Assert.DoesNotContain("leftOut", text, StringComparison.Ordinal);
        var compiled = InfraCli.Run("compile", "--stack", "shape", "--dir", dir);
        Assert.True(compiled.ExitCode == 0, compiled.Stderr);
        var program = ProgramSnapshot.Parse(compiled.Stdout, "program");
        Assert.Equal($"${{public-nat-eip--{nats[1]}.id}}", program.Resources.Single(r => r.Name == $"public-nat-gateway--{nats[1]}")["allocationId"]);
        Assert.Equal($"${{public-nat-gateway--{nats[1]}.id}}", program.Resources.Single(r => r.Type == "aws:ec2:Route" && r["destinationCidrBlock"] == "203.0.113.0/24")["natGatewayId"]);
        var clean = Drift(dir);
        Assert.True(clean["findings"]!.AsArray().Count == 0, clean["findings"]!.ToJsonString());

        await ec2.DeleteNatGatewayAsync(new DeleteNatGatewayRequest { NatGatewayId = nats[1] });
        var gone = Drift(dir)["findings"]!.AsArray();
        Assert.Contains(gone, f => f!["kind"]!.GetValue<string>() == "nat-gateway" && f["key"]!.GetValue<string>() == $"leadertools:publicNatGateways.{nats[1]}.replicaOf");
    }

    /// <summary>
    /// A zone's second subnet of a role (issue 29, item 2) is written as `nodes/us-west-2a/2`, drift
    /// is clean, its move to another table is one finding at that table's subnets, and drift is
    /// clean again once the move is undone.
    /// </summary>
    [NeedsMotoFact]
    public async Task A_zones_second_subnet_is_written_and_its_move_to_another_table_is_one_finding_until_undone()
    {
        moto.Server.Reset();
        using var ec2 = moto.Server.Client();
        var qas = await LiveQas.SeedAsync(ec2);
        var second = (await ec2.CreateSubnetAsync(new CreateSubnetRequest { VpcId = qas.VpcId, CidrBlock = "10.142.32.0/24", AvailabilityZone = "us-west-2a" })).Subnet.SubnetId;
        var dir = ScratchProject();
        var discovered = Discover(qas.VpcId, dir);
        Assert.True(discovered.ExitCode == 0, discovered.Stderr);
        Assert.Contains($"{{ cidr: 10.142.32.0/24, replicaOf: {second} }}", File.ReadAllText(Path.Combine(dir, "Pulumi.shape.yaml")), StringComparison.Ordinal);
        Assert.Empty(Drift(dir)["findings"]!.AsArray());

        var moved = await ec2.AssociateRouteTableAsync(new AssociateRouteTableRequest { RouteTableId = qas.ByName["public-hybrid"], SubnetId = second });
        var finding = Assert.Single(Drift(dir)["findings"]!.AsArray());
        Assert.Equal(("association", "leadertools:routeTables.public-hybrid.subnets"), (finding!["kind"]!.GetValue<string>(), finding["key"]!.GetValue<string>()));

        await ec2.DisassociateRouteTableAsync(new DisassociateRouteTableRequest { AssociationId = moved.AssociationId });
        Assert.Empty(Drift(dir)["findings"]!.AsArray());
    }

    /// <summary>The main association moved to another table (ReplaceRouteTableAssociation on the main association).</summary>
    private static async Task SwapMainAsync(IAmazonEC2 ec2, LiveQas qas)
    {
        var tables = await ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest { RouteTableIds = [qas.ByName["main"]] });
        var association = tables.RouteTables[0].Associations.Single(a => a.Main == true).RouteTableAssociationId;
        await ec2.ReplaceRouteTableAssociationAsync(new ReplaceRouteTableAssociationRequest { AssociationId = association, RouteTableId = qas.ByName["public-internet"] });
    }

    private static async Task<string> Do(Task call, string kind)
    {
        await call;
        return kind;
    }

    /// <summary>
    /// AWS_ENDPOINT_URL_EC2, the SDK's own variable, is honoured and signed for the region asked
    /// (left to the SDK it was signed for us-east-1 and answered for another region's VPCs).
    /// </summary>
    [NeedsMotoFact]
    public async Task The_sdks_endpoint_variable_is_honoured_in_the_region_asked()
    {
        moto.Server.Reset();
        using var ec2 = moto.Server.Client("us-west-2");
        var qas = await LiveQas.SeedAsync(ec2);
        var result = Infra.Review.ProcessRunner.Run(Repo.Path("infra", "pulumi-compiler"), Repo.Root, ["discover", "--region", "us-west-2", "--vpc-id", qas.VpcId], TimeSpan.FromMinutes(10), start =>
        {
            foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal)).ToList())
            {
                start.Environment.Remove(key);
            }

            start.Environment["AWS_ENDPOINT_URL_EC2"] = moto.Server.Endpoint;
            start.Environment["AWS_ACCESS_KEY_ID"] = "testing";
            start.Environment["AWS_SECRET_ACCESS_KEY"] = "testing";
        });
        Assert.True(result.Code == 0, result.Err);
        Assert.Contains($"replicaOf: {qas.VpcId}", result.Out, StringComparison.Ordinal);
        Assert.Contains("aws:region: us-west-2", result.Out, StringComparison.Ordinal);
    }

    /// <summary>A server that closes every connection unanswered: the message names the call and the endpoint, in words.</summary>
    [NeedsMotoFact]
    public void A_dropped_connection_names_the_call_and_the_endpoint()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var endpoint = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
        using var cancel = new CancellationTokenSource();
        var server = Task.Run(async () =>
        {
            while (!cancel.IsCancellationRequested)
            {
                try
                {
                    using var client = await listener.AcceptTcpClientAsync(cancel.Token);
                    client.Client.Shutdown(SocketShutdown.Both);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (SocketException)
                {
                    return;
                }
            }
        });
        var dir = ScratchProject();
        var result = InfraCli.Run("discover", "--region", "us-west-2", "--vpc-id", "vpc-0123456789abcdef0", "--endpoint-url", endpoint, "--dir", dir);
        cancel.Cancel();
        listener.Stop();
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"ec2:DescribeVpcs = {endpoint}", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("net_http", result.Stderr, StringComparison.Ordinal);
    }
}
