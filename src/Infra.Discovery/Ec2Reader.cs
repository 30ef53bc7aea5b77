using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using Infra.Review;

namespace Infra.Discovery;

/// <summary>
/// Reads a VPC through the AWS SDK for .NET (AWSSDK.EC2): read-only Describe calls, each page of
/// each, filtered to the VPC. Credentials come from the SDK's standard chain (environment, shared
/// profiles, SSO, instance roles); throttling is retried by the SDK (standard retry mode).
/// AWS errors become one-line <see cref="ReviewArgumentException"/>s naming what failed.
/// </summary>
public static class Ec2Reader
{
    /// <summary>
    /// An EC2 client for a region; <paramref name="endpointUrl"/> overrides AWS's endpoint (an emulator,
    /// a VPC endpoint). Without one, the SDK's own variables AWS_ENDPOINT_URL_EC2 and AWS_ENDPOINT_URL
    /// are honoured here, signed for the stack's region: left to the SDK they would be signed for its
    /// default region and answer for another region's VPC.
    /// </summary>
    public static IAmazonEC2 Client(string region, string? endpointUrl, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        endpointUrl ??= environment("AWS_ENDPOINT_URL_EC2") is { Length: > 0 } ec2Url ? ec2Url : environment("AWS_ENDPOINT_URL") is { Length: > 0 } url ? url : null;
        var config = new AmazonEC2Config
        {
            RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(region),
            RetryMode = RequestRetryMode.Standard,
            MaxErrorRetry = 8,
        };
        if (endpointUrl is not null)
        {
            config.ServiceURL = endpointUrl;
            config.AuthenticationRegion = region;
        }

        try
        {
            // The client resolves credentials when it is made: no credentials fail here, before any call.
            return new AmazonEC2Client(config);
        }
        catch (AmazonClientException e) when (Translate("credentials", "", e, null, "EC2") is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>The call in progress, so that a failure names it.</summary>
    private sealed class CurrentCall
    {
        public string Name { get; set; } = "";
    }

    /// <param name="vpcKey">The stack file's key that gave the VPC id (drift), for messages; null: the command line's (discover).</param>
    public static async Task<LiveVpc> ReadAsync(IAmazonEC2 ec2, string region, string vpcId, CancellationToken cancel = default, string? vpcKey = null)
    {
        var call = new CurrentCall();
        try
        {
            return await Read(ec2, region, vpcId, vpcKey, call, cancel);
        }
        catch (Exception e) when (Translate(call.Name, vpcId, e, vpcKey, Where(ec2, region)) is { } translated)
        {
            throw translated;
        }
    }

    private static async Task<LiveVpc> Read(IAmazonEC2 ec2, string region, string vpcId, string? vpcKey, CurrentCall call, CancellationToken cancel)
    {
        var inVpc = new List<Filter> { new("vpc-id", [vpcId]) };
        call.Name = "DescribeVpcs";
        var vpc = (await ec2.DescribeVpcsAsync(new DescribeVpcsRequest { VpcIds = [vpcId] }, cancel)).Vpcs?.FirstOrDefault()
            ?? throw NoSuchVpc(vpcKey, vpcId, $"no such VPC in {region} (or not visible to these credentials)");
        var secondary = (vpc.CidrBlockAssociationSet ?? [])
            .Where(a => a.CidrBlock != vpc.CidrBlock && a.CidrBlockState?.State?.Value is "associated" or "associating")
            .Select(a => a.CidrBlock).ToList();
        var ipv6 = (vpc.Ipv6CidrBlockAssociationSet ?? [])
            .Where(a => a.Ipv6CidrBlockState?.State?.Value is "associated" or "associating" && a.Ipv6CidrBlock is not null)
            .Select(a => a.Ipv6CidrBlock).Order(StringComparer.Ordinal).ToList();

        var subnets = new List<LiveSubnet>();
        call.Name = "DescribeSubnets";
        await foreach (var s in ec2.Paginators.DescribeSubnets(new DescribeSubnetsRequest { Filters = inVpc }).Subnets.WithCancellation(cancel))
        {
            // An IPv6-only subnet (Ipv6Native) has no IPv4 block: EC2 leaves CidrBlock out.
            subnets.Add(new LiveSubnet(s.SubnetId, s.CidrBlock ?? "", s.AvailabilityZone, Tags(s.Tags))
            {
                // Every block but one on its way out (disassociating, disassociated) or failed.
                Ipv6Cidrs = [.. (s.Ipv6CidrBlockAssociationSet ?? []).Where(a => a.Ipv6CidrBlockState?.State?.Value is not ("disassociating" or "disassociated" or "failing" or "failed")).Select(a => a.Ipv6CidrBlock)],
                AssignIpv6OnCreation = s.AssignIpv6AddressOnCreation == true,
                Dns64 = s.EnableDns64 == true,
            });
        }

        call.Name = "DescribeInternetGateways";
        var igw = (await ec2.DescribeInternetGatewaysAsync(
            new DescribeInternetGatewaysRequest { Filters = [new("attachment.vpc-id", [vpcId])] }, cancel)).InternetGateways?.FirstOrDefault()?.InternetGatewayId;

        var nats = new List<LiveNatGateway>();
        call.Name = "DescribeNatGateways";
        await foreach (var n in ec2.Paginators.DescribeNatGateways(new DescribeNatGatewaysRequest { Filter = inVpc }).NatGateways.WithCancellation(cancel))
        {
            if (n.State?.Value is "available" or "pending")
            {
                nats.Add(new LiveNatGateway(n.NatGatewayId, n.SubnetId, n.ConnectivityType?.Value == "private"));
            }
        }

        var tables = new List<LiveRouteTable>();
        call.Name = "DescribeRouteTables";
        await foreach (var t in ec2.Paginators.DescribeRouteTables(new DescribeRouteTablesRequest { Filters = inVpc }).RouteTables.WithCancellation(cancel))
        {
            var associations = t.Associations ?? [];
            var routes = (t.Routes ?? []).Where(r => (r.DestinationCidrBlock ?? r.DestinationIpv6CidrBlock ?? r.DestinationPrefixListId) is not null).Select(ToRoute).ToList();
            tables.Add(new LiveRouteTable(t.RouteTableId, associations.Any(a => a.Main == true), Tags(t.Tags).GetValueOrDefault("Name"),
                [.. associations.Where(a => a.SubnetId is not null).Select(a => a.SubnetId).Order(StringComparer.Ordinal)], routes));
        }

        var gateways = await Appliances(ec2, vpcId, tables, call, cancel);

        var groups = new List<LiveSecurityGroup>();
        call.Name = "DescribeSecurityGroups";
        await foreach (var g in ec2.Paginators.DescribeSecurityGroups(new DescribeSecurityGroupsRequest { Filters = inVpc }).SecurityGroups.WithCancellation(cancel))
        {
            groups.Add(new LiveSecurityGroup(g.GroupId, g.GroupName, g.Description ?? "", Tags(g.Tags), Rules(g.IpPermissions)) { Egress = Rules(g.IpPermissionsEgress) });
        }

        var flowLogs = new List<LiveFlowLog>();
        call.Name = "DescribeFlowLogs";
        await foreach (var f in ec2.Paginators.DescribeFlowLogs(new DescribeFlowLogsRequest { Filter = [new("resource-id", [vpcId])] }).FlowLogs.WithCancellation(cancel))
        {
            var destinationType = f.LogDestinationType?.Value ?? "cloud-watch-logs";
            flowLogs.Add(new LiveFlowLog(f.FlowLogId, f.TrafficType?.Value ?? "ALL", destinationType, (destinationType == "cloud-watch-logs" ? f.LogGroupName : f.LogDestination) ?? "unknown"));
        }

        var endpoints = new List<LiveEndpoint>();
        call.Name = "DescribeVpcEndpoints";
        await foreach (var e in ec2.Paginators.DescribeVpcEndpoints(new DescribeVpcEndpointsRequest { Filters = inVpc }).VpcEndpoints.WithCancellation(cancel))
        {
            // A deleted endpoint stays listed for a while (as a deleted NAT gateway does): it is gone.
            if (e.State?.Value?.ToLowerInvariant() is "deleted" or "deleting" or "rejected" or "failed" or "expired")
            {
                continue;
            }

            endpoints.Add(new LiveEndpoint(e.VpcEndpointId, e.VpcEndpointType?.Value ?? "Gateway", e.ServiceName ?? "")
            {
                RouteTableIds = [.. (e.RouteTableIds ?? []).Order(StringComparer.Ordinal)],
                SubnetIds = [.. (e.SubnetIds ?? []).Order(StringComparer.Ordinal)],
                GroupIds = [.. (e.Groups ?? []).Select(g => g.GroupId).Order(StringComparer.Ordinal)],
                PrivateDns = e.PrivateDnsEnabled == true,
            });
        }

        var egressOnly = new List<string>();
        call.Name = "DescribeEgressOnlyInternetGateways";
        await foreach (var e in ec2.Paginators.DescribeEgressOnlyInternetGateways(new DescribeEgressOnlyInternetGatewaysRequest()).EgressOnlyInternetGateways.WithCancellation(cancel))
        {
            if ((e.Attachments ?? []).Any(a => a.VpcId == vpcId))
            {
                egressOnly.Add(e.EgressOnlyInternetGatewayId);
            }
        }

        return new LiveVpc(region, vpcId, Tags(vpc.Tags).GetValueOrDefault("Name"), vpc.CidrBlock, secondary,
            [.. subnets.OrderBy(s => s.Id, StringComparer.Ordinal)], igw, [.. nats.OrderBy(n => n.Id, StringComparer.Ordinal)],
            [.. tables.OrderBy(t => t.Id, StringComparer.Ordinal)], gateways, [.. groups.OrderBy(g => g.Id, StringComparer.Ordinal)])
        {
            FlowLogs = [.. flowLogs.OrderBy(f => f.Id, StringComparer.Ordinal)],
            Ipv6Cidrs = ipv6,
            Endpoints = [.. endpoints.OrderBy(e => e.Id, StringComparer.Ordinal)],
            EgressOnlyGateways = [.. egressOnly.Order(StringComparer.Ordinal)],
        };
    }

    /// <summary>Each permission toward each peer: IPv4 and IPv6 blocks, prefix lists, groups.</summary>
    private static List<LiveRule> Rules(List<IpPermission>? permissions) =>
        [.. (permissions ?? []).SelectMany(p =>
            (p.Ipv4Ranges ?? []).Select(r => (Peer: r.CidrIp, r.Description))
                .Concat((p.Ipv6Ranges ?? []).Select(r => (Peer: r.CidrIpv6, r.Description)))
                .Concat((p.PrefixListIds ?? []).Select(r => (Peer: r.Id, r.Description)))
                .Concat((p.UserIdGroupPairs ?? []).Select(u => (Peer: u.GroupId, u.Description)))
                .Select(peer => new LiveRule(p.IpProtocol, p.FromPort ?? 0, p.ToPort ?? 0, peer.Peer) { Description = peer.Description ?? "" }))];

    private static LiveRoute ToRoute(Route r)
    {
        var (destination, family) = r.DestinationCidrBlock is { } v4 ? (v4, LiveDestination.Ipv4)
            : r.DestinationIpv6CidrBlock is { } v6 ? (v6, LiveDestination.Ipv6)
            : (r.DestinationPrefixListId, LiveDestination.PrefixList);
        var route = r.GatewayId == "local" ? new LiveRoute(destination, LiveTargetKind.Local, "local")
            : r.GatewayId?.StartsWith("igw-", StringComparison.Ordinal) == true ? new LiveRoute(destination, LiveTargetKind.InternetGateway, r.GatewayId)
            : r.NatGatewayId is not null ? new LiveRoute(destination, LiveTargetKind.NatGateway, r.NatGatewayId)
            : r.InstanceId is not null ? new LiveRoute(destination, LiveTargetKind.Appliance, r.InstanceId)
            : r.NetworkInterfaceId is not null ? new LiveRoute(destination, LiveTargetKind.Appliance, r.NetworkInterfaceId)
            : new LiveRoute(destination, LiveTargetKind.Unsupported,
                r.TransitGatewayId ?? r.VpcPeeringConnectionId ?? r.GatewayId ?? r.CarrierGatewayId ?? r.LocalGatewayId ?? r.EgressOnlyInternetGatewayId ?? "unknown");
        return route with { Family = family };
    }

    /// <summary>The instances and interfaces routes target, with where each lives.</summary>
    private static async Task<IReadOnlyList<LiveGateway>> Appliances(IAmazonEC2 ec2, string vpcId, List<LiveRouteTable> tables, CurrentCall call, CancellationToken cancel)
    {
        var targets = tables.SelectMany(t => t.Routes).Where(r => r.Kind == LiveTargetKind.Appliance).Select(r => r.TargetId).Distinct().Order(StringComparer.Ordinal).ToList();
        var gateways = new List<LiveGateway>();
        var instanceIds = targets.Where(t => t.StartsWith("i-", StringComparison.Ordinal)).ToList();
        if (instanceIds.Count > 0)
        {
            call.Name = "DescribeInstances";
            await foreach (var instance in ec2.Paginators.DescribeInstances(new DescribeInstancesRequest { InstanceIds = instanceIds }).Reservations.WithCancellation(cancel))
            {
                foreach (var i in instance.Instances ?? [])
                {
                    gateways.Add(new LiveGateway(i.InstanceId, i.InstanceId, i.NetworkInterfaces?.FirstOrDefault(n => n.Attachment?.DeviceIndex == 0)?.NetworkInterfaceId, i.SubnetId, i.VpcId, Tags(i.Tags)));
                }
            }
        }

        var interfaceIds = targets.Where(t => t.StartsWith("eni-", StringComparison.Ordinal)).ToList();
        if (interfaceIds.Count > 0)
        {
            call.Name = "DescribeNetworkInterfaces";
            await foreach (var n in ec2.Paginators.DescribeNetworkInterfaces(new DescribeNetworkInterfacesRequest { NetworkInterfaceIds = interfaceIds }).NetworkInterfaces.WithCancellation(cancel))
            {
                gateways.Add(new LiveGateway(n.NetworkInterfaceId, n.Attachment?.InstanceId, n.NetworkInterfaceId, n.SubnetId, n.VpcId, Tags(n.TagSet)));
            }
        }

        if (gateways.FirstOrDefault(g => g.VpcId is not null && g.VpcId != vpcId) is { } gateway)
        {
            throw new ReviewArgumentException(ReviewInput.RouteTarget, gateway.TargetId, $"lives in {gateway.VpcId}, not in {vpcId}: a route cannot target an interface of another VPC, so the live routes are inconsistent");
        }

        return [.. gateways.OrderBy(g => g.TargetId, StringComparer.Ordinal)];
    }

    /// <summary>A failed connection in words, not the runtime's resource key (net_http_invalid_response_premature_eof).</summary>
    private static string Reason(Exception e)
    {
        var all = string.Join(" | ", Flatten(e).Select(x => x.Message));
        return all.Contains("premature_eof", StringComparison.OrdinalIgnoreCase) || all.Contains("prematurely", StringComparison.OrdinalIgnoreCase) || all.Contains("ended prematurely", StringComparison.OrdinalIgnoreCase)
            ? "the connection closed before a response came (a proxy, a firewall, or a server that is not EC2's)"
            : all.Contains("Connection refused", StringComparison.OrdinalIgnoreCase) ? "the connection was refused (nothing listens there)"
            : Infra.Model.Validation.Printable.Of(Flatten(e).Last().Message, 300);
    }

    private static IEnumerable<Exception> Flatten(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            yield return x;
        }
    }

    private static Dictionary<string, string> Tags(List<Tag>? tags) =>
        (tags ?? []).GroupBy(t => t.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Value ?? "", StringComparer.Ordinal);

    /// <summary>The endpoint a call went to, for messages: the override, or the region's.</summary>
    private static string Where(IAmazonEC2 ec2, string region) =>
        (ec2 as AmazonEC2Client)?.Config.ServiceURL is { Length: > 0 } url ? url : $"EC2 in {region}";

    /// <summary>What an AWS failure means for the user, in one line; null for what is not AWS's answer.</summary>
    /// <summary>The VPC id named, by the key or the option that gave it.</summary>
    private static ReviewArgumentException NoSuchVpc(string? vpcKey, string vpcId, string message) =>
        vpcKey is null ? new ReviewArgumentException(ReviewInput.VpcId, vpcId, message) : new ReviewArgumentException(vpcKey, vpcId, message);

    private static ReviewArgumentException? Translate(string call, string vpcId, Exception e, string? vpcKey, string where) => e switch
    {
        ReviewArgumentException => null,
        AmazonEC2Exception { ErrorCode: "InvalidVpcID.NotFound" or "InvalidVpcID.Malformed" } => NoSuchVpc(vpcKey, vpcId, "no such VPC in this region (or not visible to these credentials)"),
        AmazonEC2Exception { ErrorCode: "UnauthorizedOperation" or "AccessDenied" or "AccessDeniedException" } =>
            new ReviewArgumentException($"ec2:{call}", "denied", "these credentials may not call it; discover and drift need read-only EC2 access (for example the AWS managed policy AmazonEC2ReadOnlyAccess)"),
        AmazonEC2Exception { ErrorCode: "AuthFailure" or "InvalidClientTokenId" or "UnrecognizedClientException" or "SignatureDoesNotMatch" } ec2 =>
            new ReviewArgumentException(ReviewInput.Credentials, ec2.ErrorCode, "AWS refused them; check AWS_PROFILE or the access key, or sign in again (aws sso login)"),
        AmazonEC2Exception ec2 => new ReviewArgumentException($"ec2:{call}", ec2.ErrorCode ?? "error", ec2.Message),
        AmazonClientException client when client.Message.Contains("credentials", StringComparison.OrdinalIgnoreCase) =>
            new ReviewArgumentException(ReviewInput.Credentials, "(none found)", "the AWS SDK found no credentials: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run aws sso login"),
        AmazonClientException or HttpRequestException or IOException => new ReviewArgumentException($"ec2:{call}", where, $"no answer: {Reason(e)}"),
        _ => null,
    };
}
