using System.Text.Json.Nodes;
using Amazon.EC2;
using Amazon.EC2.Model;
using Infra.Review;
using Infra.Tests.Harness;

namespace Infra.Tests;

/// <summary>
/// What the stack format now holds of a live VPC (issue 29, item 2), each on a VPC of its own shape
/// in moto: routes to a transit gateway and a peering connection, a NAT gateway per zone, a
/// security-group zoo. For each: the file discover writes, that it compiles, that drift is clean,
/// that a single live change is one finding, and that undoing it is clean again. A class of its
/// own (its own emulator), so that it runs beside DiscoveryShapeTests.
/// </summary>
public sealed class DiscoveryRepresentationTests(MotoFixture moto) : IClassFixture<MotoFixture>
{
    private static string ScratchProject() => DiscoveryProject.Create("infra-shape-");

    private CompilerResult Discover(string vpcId, string dir) => moto.Discover(vpcId, dir);

    private JsonNode Drift(string dir) => moto.Drift(dir);

    /// <summary>A new VPC of its own shape (moto: reset first), with its main route table's id.</summary>
    private static async Task<(string Vpc, string Main)> NewVpcAsync(IAmazonEC2 ec2, string cidr, bool ipv6 = false)
    {
        var vpc = (await ec2.CreateVpcAsync(new CreateVpcRequest { CidrBlock = cidr, AmazonProvidedIpv6CidrBlock = ipv6 })).Vpc.VpcId;
        var main = (await ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest { Filters = [new Amazon.EC2.Model.Filter("vpc-id", [vpc])] })).RouteTables.Single().RouteTableId;
        return (vpc, main);
    }

    /// <summary>An internet gateway attached to the VPC.</summary>
    private static async Task<string> AttachInternetGatewayAsync(IAmazonEC2 ec2, string vpc)
    {
        var igw = (await ec2.CreateInternetGatewayAsync(new CreateInternetGatewayRequest())).InternetGateway.InternetGatewayId;
        await ec2.AttachInternetGatewayAsync(new AttachInternetGatewayRequest { InternetGatewayId = igw, VpcId = vpc });
        return igw;
    }

    /// <summary>
    /// Routes to a transit gateway and a peering connection are written with their ids as targets
    /// (issue 29, item 2): the file compiles (with INFRA017's warning), drift is clean, deleting
    /// one is one finding, and putting it back is clean again.
    /// </summary>
    [NeedsMotoFact]
    public async Task Transit_gateway_and_peering_routes_are_written_by_id_and_drift_follows_them()
    {
        moto.Server.Reset();
        using var ec2 = moto.Server.Client();
        var qas = await LiveQas.SeedAsync(ec2);
        var peer = (await ec2.CreateVpcAsync(new CreateVpcRequest { CidrBlock = "100.64.0.0/16" })).Vpc.VpcId;
        var tgw = (await ec2.CreateTransitGatewayAsync(new CreateTransitGatewayRequest())).TransitGateway.TransitGatewayId;
        var pcx = (await ec2.CreateVpcPeeringConnectionAsync(new CreateVpcPeeringConnectionRequest { VpcId = qas.VpcId, PeerVpcId = peer })).VpcPeeringConnection.VpcPeeringConnectionId;
        var toTgw = new CreateRouteRequest { RouteTableId = qas.ByName["main"], DestinationCidrBlock = "203.0.113.0/24", TransitGatewayId = tgw };
        await ec2.CreateRouteAsync(toTgw);
        await ec2.CreateRouteAsync(new CreateRouteRequest { RouteTableId = qas.ByName["public-hybrid"], DestinationCidrBlock = "100.64.0.0/16", VpcPeeringConnectionId = pcx });
        var dir = ScratchProject();
        var discovered = Discover(qas.VpcId, dir);
        Assert.True(discovered.ExitCode == 0, discovered.Stderr);
        var text = File.ReadAllText(Path.Combine(dir, "Pulumi.shape.yaml"));
        Assert.Contains($"- {{ destination: 203.0.113.0/24, target: {tgw} }}", text, StringComparison.Ordinal);
        Assert.Contains($"- {{ destination: 100.64.0.0/16, target: {pcx} }}", text, StringComparison.Ordinal);
        Assert.DoesNotContain("left out: 203.0.113.0/24", text, StringComparison.Ordinal);
        Assert.Equal(0, InfraCli.Run("compile", "--stack", "shape", "--dir", dir).ExitCode);
        Assert.Empty(Drift(dir)["findings"]!.AsArray());

        await ec2.DeleteRouteAsync(new DeleteRouteRequest { RouteTableId = qas.ByName["main"], DestinationCidrBlock = "203.0.113.0/24" });
        var finding = Assert.Single(Drift(dir)["findings"]!.AsArray());
        Assert.Equal("route-missing", finding!["kind"]!.GetValue<string>());
        Assert.Contains(tgw, finding["stack"]!.GetValue<string>(), StringComparison.Ordinal);

        await ec2.CreateRouteAsync(toTgw);
        Assert.Empty(Drift(dir)["findings"]!.AsArray());
    }

    /// <summary>
    /// Three zones with a NAT gateway each (issue 29's first shape): discover writes `zones` and each
    /// original, routes name their zone's NAT gateway, the file compiles, drift is clean; a route
    /// moved to another zone's NAT gateway and a NAT gateway deleted are each one finding, and
    /// moving the route back is clean again.
    /// </summary>
    [NeedsMotoFact]
    public async Task A_nat_gateway_per_zone_is_written_and_drift_sees_it_moved_or_gone()
    {
        moto.Server.Reset();
        using var ec2 = moto.Server.Client();
        var (vpc, _) = await NewVpcAsync(ec2, "10.20.0.0/16");
        var igw = await AttachInternetGatewayAsync(ec2, vpc);
        var publicTable = (await ec2.CreateRouteTableAsync(new CreateRouteTableRequest { VpcId = vpc })).RouteTable.RouteTableId;
        await ec2.CreateRouteAsync(new CreateRouteRequest { RouteTableId = publicTable, DestinationCidrBlock = "0.0.0.0/0", GatewayId = igw });
        var nats = new Dictionary<string, string>(StringComparer.Ordinal);
        var privateTables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (zone, i) in new[] { "us-west-2a", "us-west-2b", "us-west-2c" }.Select((z, i) => (z, i)))
        {
            var publicSubnet = (await ec2.CreateSubnetAsync(new CreateSubnetRequest { VpcId = vpc, CidrBlock = $"10.20.{i}.0/24", AvailabilityZone = zone })).Subnet.SubnetId;
            await ec2.AssociateRouteTableAsync(new AssociateRouteTableRequest { RouteTableId = publicTable, SubnetId = publicSubnet });
            var privateSubnet = (await ec2.CreateSubnetAsync(new CreateSubnetRequest { VpcId = vpc, CidrBlock = $"10.20.{10 + i}.0/24", AvailabilityZone = zone })).Subnet.SubnetId;
            var allocation = (await ec2.AllocateAddressAsync(new AllocateAddressRequest { Domain = DomainType.Vpc })).AllocationId;
            nats[zone] = (await ec2.CreateNatGatewayAsync(new CreateNatGatewayRequest { SubnetId = publicSubnet, AllocationId = allocation })).NatGateway.NatGatewayId;
            var table = (await ec2.CreateRouteTableAsync(new CreateRouteTableRequest { VpcId = vpc, TagSpecifications = [new TagSpecification { ResourceType = ResourceType.RouteTable, Tags = [new Tag("Name", $"private-{zone}")] }] })).RouteTable.RouteTableId;
            await ec2.CreateRouteAsync(new CreateRouteRequest { RouteTableId = table, DestinationCidrBlock = "0.0.0.0/0", NatGatewayId = nats[zone] });
            await ec2.AssociateRouteTableAsync(new AssociateRouteTableRequest { RouteTableId = table, SubnetId = privateSubnet });
            privateTables[zone] = table;
        }

        var dir = ScratchProject();
        var discovered = Discover(vpc, dir);
        Assert.True(discovered.ExitCode == 0, discovered.Stderr);
        var text = File.ReadAllText(Path.Combine(dir, "Pulumi.shape.yaml"));
        Assert.Contains("    zones: [us-west-2a, us-west-2b, us-west-2c]\n", text, StringComparison.Ordinal);
        Assert.Contains($"    replicaOf: {{ us-west-2a: {nats["us-west-2a"]}, us-west-2b: {nats["us-west-2b"]}, us-west-2c: {nats["us-west-2c"]} }}\n", text, StringComparison.Ordinal);
        Assert.Contains("- { destination: 0.0.0.0/0, target: nat-gateway/us-west-2b }", text, StringComparison.Ordinal);
        Assert.DoesNotContain("left out", text, StringComparison.Ordinal);
        var compiled = InfraCli.Run("compile", "--stack", "shape", "--dir", dir);
        Assert.True(compiled.ExitCode == 0, compiled.Stderr);
        Assert.Equal(3, ProgramSnapshot.Parse(compiled.Stdout, "program").Resources.Count(r => r.Type == "aws:ec2:NatGateway"));
        Assert.Empty(Drift(dir)["findings"]!.AsArray());

        // The second zone's private subnets sent through the first zone's NAT gateway.
        await ec2.ReplaceRouteAsync(new ReplaceRouteRequest { RouteTableId = privateTables["us-west-2b"], DestinationCidrBlock = "0.0.0.0/0", NatGatewayId = nats["us-west-2a"] });
        var moved = Assert.Single(Drift(dir)["findings"]!.AsArray());
        Assert.Equal("route-retargeted", moved!["kind"]!.GetValue<string>());
        Assert.Contains(nats["us-west-2a"], moved["live"]!.GetValue<string>(), StringComparison.Ordinal);
        await ec2.ReplaceRouteAsync(new ReplaceRouteRequest { RouteTableId = privateTables["us-west-2b"], DestinationCidrBlock = "0.0.0.0/0", NatGatewayId = nats["us-west-2b"] });
        Assert.Empty(Drift(dir)["findings"]!.AsArray());

        await ec2.DeleteNatGatewayAsync(new DeleteNatGatewayRequest { NatGatewayId = nats["us-west-2c"] });
        var gone = Drift(dir)["findings"]!.AsArray();
        Assert.Contains(gone, f => f!["kind"]!.GetValue<string>() == "nat-gateway" && f["live"]!.GetValue<string>() == "(no such NAT gateway in the VPC)");
    }

    /// <summary>
    /// A security-group zoo (issue 29's third shape): IPv4, IPv6, prefix-list, group and self
    /// references, ICMP, all traffic, egress, descriptions in other scripts, an ESP rule and a group
    /// open to the internet. discover states each group with every rule it can name (the ESP rule
    /// left out and said; the internet-open group accepted by a waiver that says so), the file
    /// compiles, drift is clean, a revoked rule is one finding, and restoring it is clean again.
    /// </summary>
    [NeedsMotoFact]
    public async Task A_security_group_zoo_is_stated_rule_by_rule_and_drift_follows_each_rule()
    {
        moto.Server.Reset();
        using var ec2 = moto.Server.Client();
        var (vpc, main) = await NewVpcAsync(ec2, "10.30.0.0/16");
        await ec2.CreateSubnetAsync(new CreateSubnetRequest { VpcId = vpc, CidrBlock = "10.30.1.0/24", AvailabilityZone = "us-west-2a" });
        async Task<string> Group(string name, string description) =>
            (await ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest { VpcId = vpc, GroupName = name, Description = description })).GroupId;
        var web = await Group("web", "Web tier");
        var app = await Group("app", "Anwendung: Dienste für das Web");
        var db = await Group("db", "Database");
        var list = (await ec2.CreateManagedPrefixListAsync(new CreateManagedPrefixListRequest { PrefixListName = "office", AddressFamily = "IPv4", MaxEntries = 5, Entries = [new AddPrefixListEntry { Cidr = "198.51.100.0/24" }] })).PrefixList.PrefixListId;
        await ec2.AuthorizeSecurityGroupIngressAsync(new AuthorizeSecurityGroupIngressRequest
        {
            GroupId = web,
            IpPermissions =
            [
                new IpPermission { IpProtocol = "tcp", FromPort = 80, ToPort = 80, Ipv4Ranges = [new IpRange { CidrIp = "0.0.0.0/0", Description = "HTTP für alle ☕" }] },
                new IpPermission { IpProtocol = "tcp", FromPort = 443, ToPort = 443, Ipv6Ranges = [new Ipv6Range { CidrIpv6 = "2001:db8::/32" }] },
            ],
        });
        var icmp = new IpPermission { IpProtocol = "icmp", FromPort = 8, ToPort = -1, Ipv4Ranges = [new IpRange { CidrIp = "10.0.0.0/8", Description = "ping" }] };
        // One permission per call: the emulator refuses some batches that EC2 takes.
        foreach (var permission in new[]
        {
            new IpPermission { IpProtocol = "tcp", FromPort = 8080, ToPort = 8080, UserIdGroupPairs = [new UserIdGroupPair { GroupId = web, Description = "från webben" }] },
            new IpPermission { IpProtocol = "-1", UserIdGroupPairs = [new UserIdGroupPair { GroupId = app }] },
            icmp,
            new IpPermission { IpProtocol = "udp", FromPort = 53, ToPort = 53, PrefixListIds = [new PrefixListId { Id = list }] },
            new IpPermission { IpProtocol = "50", FromPort = -1, ToPort = -1, Ipv4Ranges = [new IpRange { CidrIp = "172.16.0.0/12" }] },
        })
        {
            await ec2.AuthorizeSecurityGroupIngressAsync(new AuthorizeSecurityGroupIngressRequest { GroupId = app, IpPermissions = [permission] });
        }

        await ec2.RevokeSecurityGroupEgressAsync(new RevokeSecurityGroupEgressRequest { GroupId = app, IpPermissions = [new IpPermission { IpProtocol = "-1", Ipv4Ranges = [new IpRange { CidrIp = "0.0.0.0/0" }] }] });
        await ec2.AuthorizeSecurityGroupEgressAsync(new AuthorizeSecurityGroupEgressRequest { GroupId = app, IpPermissions = [new IpPermission { IpProtocol = "tcp", FromPort = 5432, ToPort = 5432, UserIdGroupPairs = [new UserIdGroupPair { GroupId = db }] }] });
        await ec2.AuthorizeSecurityGroupIngressAsync(new AuthorizeSecurityGroupIngressRequest { GroupId = db, IpPermissions = [new IpPermission { IpProtocol = "tcp", FromPort = 5432, ToPort = 5432, UserIdGroupPairs = [new UserIdGroupPair { GroupId = app }] }] });

        var dir = ScratchProject();
        var discovered = Discover(vpc, dir);
        Assert.True(discovered.ExitCode == 0, discovered.Stderr);
        var text = File.ReadAllText(Path.Combine(dir, "Pulumi.shape.yaml"));
        Assert.Contains($"      replicaOf: {app}\n", text, StringComparison.Ordinal);
        Assert.Contains("- { protocol: tcp, fromPort: 8080, toPort: 8080, group: web, description: \"fr\\u00E5n webben\" }", text, StringComparison.Ordinal);
        Assert.Contains("- { protocol: all, group: app }", text, StringComparison.Ordinal);
        Assert.Contains("- { protocol: icmp, fromPort: 8, toPort: -1, cidr: 10.0.0.0/8, description: ping }", text, StringComparison.Ordinal);
        Assert.Contains($"- {{ protocol: udp, fromPort: 53, toPort: 53, prefixList: {list} }}", text, StringComparison.Ordinal);
        Assert.Contains("- { protocol: tcp, fromPort: 443, toPort: 443, ipv6Cidr: \"2001:db8::/32\" }", text, StringComparison.Ordinal);
        Assert.Contains("- { protocol: tcp, fromPort: 5432, toPort: 5432, group: db }", text, StringComparison.Ordinal);
        Assert.Contains("left out: protocol 50", text, StringComparison.Ordinal);
        Assert.Contains("INFRA001: ", text, StringComparison.Ordinal);
        Assert.Contains("infra: warning: INFRA001 waived for securityGroups web", discovered.Stderr, StringComparison.Ordinal);
        Assert.Contains(discovered.Stderr.Split('\n'), l => l.Contains("security group rules:", StringComparison.Ordinal) && l.Contains("1 left out", StringComparison.Ordinal));

        var compiled = InfraCli.Run("compile", "--stack", "shape", "--dir", dir);
        Assert.True(compiled.ExitCode == 0, compiled.Stderr);
        var program = ProgramSnapshot.Parse(compiled.Stdout, "program");
        Assert.Equal(3, program.Resources.Count(r => r.Type == "aws:ec2:SecurityGroup" && r.Name.StartsWith("security-group--", StringComparison.Ordinal) && r.Name != "security-group--gateways"));
        Assert.Single(program.Resources, r => r.Type == "aws:vpc:SecurityGroupEgressRule" && r.Properties.GetValueOrDefault("fromPort") == "5432");
        var clean = Drift(dir);
        Assert.True(clean["findings"]!.AsArray().Count == 0, clean["findings"]!.ToJsonString());
        Assert.Contains(clean["notCompared"]!.AsArray(), n => n!.GetValue<string>().Contains("protocol the stack has no name for", StringComparison.Ordinal));

        await ec2.RevokeSecurityGroupIngressAsync(new RevokeSecurityGroupIngressRequest { GroupId = app, IpPermissions = [icmp] });
        var revoked = Assert.Single(Drift(dir)["findings"]!.AsArray());
        Assert.Equal("security-group-rule", revoked!["kind"]!.GetValue<string>());
        Assert.Equal("icmp type 8 code any from 10.0.0.0/8", revoked["stack"]!.GetValue<string>());
        Assert.Equal("leadertools:securityGroups.app.replicaOf", revoked["key"]!.GetValue<string>());

        await ec2.AuthorizeSecurityGroupIngressAsync(new AuthorizeSecurityGroupIngressRequest { GroupId = app, IpPermissions = [icmp] });
        Assert.Empty(Drift(dir)["findings"]!.AsArray());
    }

    /// <summary>
    /// Endpoints (issue 29, item 2): a gateway endpoint on two tables and an interface endpoint
    /// with a stated group are written, compile and drift clean; a table taken off the gateway
    /// endpoint is one finding, put back is clean; a deleted endpoint is one finding.
    /// </summary>
    [NeedsMotoFact]
    public async Task Vpc_endpoints_are_written_and_drift_sees_their_tables_and_their_deletion()
    {
        moto.Server.Reset();
        using var ec2 = moto.Server.Client();
        var (vpc, main) = await NewVpcAsync(ec2, "10.40.0.0/16");
        var other = (await ec2.CreateRouteTableAsync(new CreateRouteTableRequest { VpcId = vpc, TagSpecifications = [new TagSpecification { ResourceType = ResourceType.RouteTable, Tags = [new Tag("Name", "private")] }] })).RouteTable.RouteTableId;
        var subnet = (await ec2.CreateSubnetAsync(new CreateSubnetRequest { VpcId = vpc, CidrBlock = "10.40.1.0/24", AvailabilityZone = "us-west-2a" })).Subnet.SubnetId;
        await ec2.AssociateRouteTableAsync(new AssociateRouteTableRequest { RouteTableId = other, SubnetId = subnet });
        var group = (await ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest { VpcId = vpc, GroupName = "endpoints", Description = "HTTPS to the endpoints" })).GroupId;
        var s3 = (await ec2.CreateVpcEndpointAsync(new CreateVpcEndpointRequest { VpcId = vpc, ServiceName = "com.amazonaws.us-west-2.s3", VpcEndpointType = VpcEndpointType.Gateway, RouteTableIds = [main, other] })).VpcEndpoint.VpcEndpointId;
        var sts = (await ec2.CreateVpcEndpointAsync(new CreateVpcEndpointRequest { VpcId = vpc, ServiceName = "com.amazonaws.us-west-2.sts", VpcEndpointType = VpcEndpointType.Interface, SubnetIds = [subnet], SecurityGroupIds = [group], PrivateDnsEnabled = true })).VpcEndpoint.VpcEndpointId;

        var dir = ScratchProject();
        var discovered = Discover(vpc, dir);
        Assert.True(discovered.ExitCode == 0, discovered.Stderr);
        var text = File.ReadAllText(Path.Combine(dir, "Pulumi.shape.yaml"));
        Assert.Contains($"      routeTables: [main, private]\n      replicaOf: {s3}\n", text, StringComparison.Ordinal);
        Assert.Contains($"      securityGroups: [endpoints]\n      privateDns: true\n      replicaOf: {sts}\n", text, StringComparison.Ordinal);
        var compiled = InfraCli.Run("compile", "--stack", "shape", "--dir", dir);
        Assert.True(compiled.ExitCode == 0, compiled.Stderr);
        Assert.Equal(2, ProgramSnapshot.Parse(compiled.Stdout, "program").Resources.Count(r => r.Type == "aws:ec2:VpcEndpoint"));
        Assert.Empty(Drift(dir)["findings"]!.AsArray());

        await ec2.ModifyVpcEndpointAsync(new ModifyVpcEndpointRequest { VpcEndpointId = s3, RemoveRouteTableIds = [other] });
        var moved = Assert.Single(Drift(dir)["findings"]!.AsArray());
        Assert.Equal("vpc-endpoint", moved!["kind"]!.GetValue<string>());
        Assert.Equal("leadertools:vpcEndpoints.s3.routeTables", moved["key"]!.GetValue<string>());
        await ec2.ModifyVpcEndpointAsync(new ModifyVpcEndpointRequest { VpcEndpointId = s3, AddRouteTableIds = [other] });
        Assert.Empty(Drift(dir)["findings"]!.AsArray());

        await ec2.DeleteVpcEndpointsAsync(new DeleteVpcEndpointsRequest { VpcEndpointIds = [sts] });
        var gone = Assert.Single(Drift(dir)["findings"]!.AsArray());
        Assert.Equal("(no such endpoint in the VPC)", gone!["live"]!.GetValue<string>());
    }

    /// <summary>
    /// IPv6 (issue 29, item 2): a VPC with an Amazon-provided block, an egress-only gateway and IPv6
    /// default routes is written (its own block asked for, the gateway and routes by their
    /// originals), compiles, drifts clean; a deleted IPv6 route is one finding at its key, and
    /// put back is clean again.
    /// </summary>
    [NeedsMotoFact]
    public async Task Ipv6_blocks_egress_only_gateways_and_ipv6_routes_are_written_and_drift_follows_them()
    {
        moto.Server.Reset();
        using var ec2 = moto.Server.Client();
        var (vpc, main) = await NewVpcAsync(ec2, "10.50.0.0/16", ipv6: true);
        await AttachInternetGatewayAsync(ec2, vpc);
        var eigw = (await ec2.CreateEgressOnlyInternetGatewayAsync(new CreateEgressOnlyInternetGatewayRequest { VpcId = vpc })).EgressOnlyInternetGateway.EgressOnlyInternetGatewayId;
        // The subnet takes the fourth /64 of the VPC's block and gives new interfaces an IPv6 address.
        var block = (await ec2.DescribeVpcsAsync(new DescribeVpcsRequest { VpcIds = [vpc] })).Vpcs[0].Ipv6CidrBlockAssociationSet[0].Ipv6CidrBlock;
        var subnetBlock = Infra.Model.Addressing.Ipv6SubnetBlocks.BlockAt(block, 3);
        var subnet = (await ec2.CreateSubnetAsync(new CreateSubnetRequest { VpcId = vpc, CidrBlock = "10.50.1.0/24", AvailabilityZone = "us-west-2a", Ipv6CidrBlock = subnetBlock })).Subnet.SubnetId;
        await ec2.ModifySubnetAttributeAsync(new ModifySubnetAttributeRequest { SubnetId = subnet, AssignIpv6AddressOnCreation = true });
        var toEigw = new CreateRouteRequest { RouteTableId = main, DestinationIpv6CidrBlock = "::/0", EgressOnlyInternetGatewayId = eigw };
        await ec2.CreateRouteAsync(toEigw);

        var dir = ScratchProject();
        var discovered = Discover(vpc, dir);
        Assert.True(discovered.ExitCode == 0, discovered.Stderr);
        var text = File.ReadAllText(Path.Combine(dir, "Pulumi.shape.yaml"));
        Assert.Contains("    amazonIpv6: true", text, StringComparison.Ordinal);
        Assert.Contains($"  leadertools:egressOnlyInternetGateway:\n    replicaOf: {eigw}\n", text, StringComparison.Ordinal);
        Assert.Contains("      ipv6Routes:\n        - { destination: \"::/0\", target: egress-only-internet-gateway }\n", text, StringComparison.Ordinal);
        Assert.Contains("ipv6Index: 3, assignIpv6: true }", text, StringComparison.Ordinal);
        Assert.Contains(discovered.Stderr.Split('\n'), l => l.Contains("subnet IPv6 blocks: 1 read, 1 written", StringComparison.Ordinal));
        var compiled = InfraCli.Run("compile", "--stack", "shape", "--dir", dir);
        Assert.True(compiled.ExitCode == 0, compiled.Stderr);
        var program = ProgramSnapshot.Parse(compiled.Stdout, "program");
        Assert.Equal("true", program.Resources.Single(r => r.Type == "aws:ec2:Vpc").Properties["assignGeneratedIpv6CidrBlock"]);
        Assert.Single(program.Resources, r => r.Type == "aws:ec2:EgressOnlyInternetGateway");
        Assert.Equal("${egress-only-internet-gateway.id}", program.Resources.Single(r => r.Type == "aws:ec2:Route" && r.Properties.GetValueOrDefault("destinationIpv6CidrBlock") == "::/0").Properties["egressOnlyGatewayId"]);
        var written = program.Resources.Single(r => r.Type == "aws:ec2:Subnet");
        Assert.Equal("${vpcIpv6PrefixBeforeOneDigit}3::/64", written["ipv6CidrBlock"]);
        Assert.Equal("true", written["assignIpv6AddressOnCreation"]);
        var clean = Drift(dir);
        Assert.Empty(clean["findings"]!.AsArray());
        Assert.DoesNotContain(clean["notCompared"]!.AsArray(), n => n!.GetValue<string>().Contains("subnet IPv6", StringComparison.Ordinal));

        await ec2.ModifySubnetAttributeAsync(new ModifySubnetAttributeRequest { SubnetId = subnet, AssignIpv6AddressOnCreation = false });
        var unassigned = Assert.Single(Drift(dir)["findings"]!.AsArray());
        Assert.Equal("subnet-ipv6", unassigned!["kind"]!.GetValue<string>());
        Assert.EndsWith("us-west-2a.assignIpv6", unassigned["key"]!.GetValue<string>(), StringComparison.Ordinal);
        await ec2.ModifySubnetAttributeAsync(new ModifySubnetAttributeRequest { SubnetId = subnet, AssignIpv6AddressOnCreation = true });

        await ec2.DeleteRouteAsync(new DeleteRouteRequest { RouteTableId = main, DestinationIpv6CidrBlock = "::/0" });
        var missing = Assert.Single(Drift(dir)["findings"]!.AsArray());
        Assert.Equal("route-missing", missing!["kind"]!.GetValue<string>());
        Assert.Equal("leadertools:routeTables.main.ipv6Routes[0]", missing["key"]!.GetValue<string>());
        await ec2.CreateRouteAsync(toEigw);
        Assert.Empty(Drift(dir)["findings"]!.AsArray());
    }
}
