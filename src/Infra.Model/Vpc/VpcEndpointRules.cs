namespace Infra.Model.Vpc;

/// <summary>The endpoints a stack states: their route tables, subnets and groups exist, and none collides with the bootstrap's own.</summary>
public static class VpcEndpointRules
{
    public static void Validate(EnvironmentSpec environment, IReadOnlyList<SecurityGroupDesign> groups, List<ConfigProblem> problems)
    {
        var network = environment.Network;
        var bootstrapEndpoints = environment.Cluster?.Bootstrap?.NodeEgress == NodeEgress.VpcEndpoints;
        var groupNames = groups.Select(g => g.Name).ToList();
        foreach (var endpoint in network.VpcEndpoints)
        {
            if (endpoint.Service.StartsWith("com.amazonaws.", StringComparison.Ordinal)
                && !endpoint.Service.StartsWith("com.amazonaws.vpce.", StringComparison.Ordinal)
                && endpoint.AwsService(network.Region) is null)
            {
                Rule.Add(problems, endpoint.At.Child("service"), endpoint.Service, $"names another region's service: an endpoint reaches services of its own region ({network.Region})");
            }

            if (endpoint.Kind == VpcEndpointKind.Gateway)
            {
                if (endpoint.RouteTables.Count == 0)
                {
                    Rule.Add(problems, endpoint.At.Child("routeTables"), "(none)", "a gateway endpoint routes from at least one route table");
                }

                foreach (var table in endpoint.RouteTables.Where(t => network.RouteTables.All(r => r.Name != t.Value)))
                {
                    Rule.Add(problems, table.At, table.Value, $"not a route table of the stack (tables: {string.Join(", ", network.RouteTables.Select(t => t.Name))})");
                }

                if (bootstrapEndpoints && endpoint.AwsService(network.Region) == NodeBootstrap.GatewayEndpointService)
                {
                    foreach (var table in endpoint.RouteTables.Where(t => NodeBootstrap.GatewayEndpointTables(network).Any(b => b.Name == t.Value)))
                    {
                        Rule.Add(problems, table.At, table.Value, "already routes S3 to the bootstrap's gateway endpoint (bootstrap.nodeEgress: vpcEndpoints); a table holds one route per prefix list");
                    }
                }
            }
            else
            {
                // A Gateway Load Balancer endpoint is one interface in one subnet, of an endpoint service (EC2 CreateVpcEndpoint, SubnetIds).
                if (endpoint.Kind == VpcEndpointKind.GatewayLoadBalancer && endpoint.Subnets.Count > 1)
                {
                    Rule.Add(problems, endpoint.At.Child("subnets"), string.Join(", ", endpoint.Subnets.Select(s => s.Value)), "a Gateway Load Balancer endpoint has its interface in one subnet; give one endpoint per zone");
                }

                if (endpoint.Kind == VpcEndpointKind.GatewayLoadBalancer && !endpoint.Service.StartsWith($"com.amazonaws.vpce.{network.Region}.vpce-svc-", StringComparison.Ordinal))
                {
                    Rule.Add(problems, endpoint.At.Child("service"), endpoint.Service, $"a Gateway Load Balancer endpoint connects to an endpoint service of its region (com.amazonaws.vpce.{network.Region}.vpce-svc-...)");
                }

                if (endpoint.Subnets.Count == 0)
                {
                    Rule.Add(problems, endpoint.At.Child("subnets"), "(none)", "an interface endpoint has an interface in at least one subnet");
                }

                foreach (var subnet in endpoint.Subnets.Where(s => network.FindSubnet(s.Value) is null))
                {
                    Rule.Add(problems, subnet.At, subnet.Value, $"not a subnet of the stack (subnets: {string.Join(", ", network.Subnets.Select(s => s.Key))})");
                }

                foreach (var twice in endpoint.Subnets.Select(s => network.FindSubnet(s.Value)).OfType<SubnetSpec>().GroupBy(s => s.Zone).Where(g => g.Count() > 1))
                {
                    Rule.Add(problems, endpoint.At.Child("subnets"), string.Join(", ", twice.Select(s => s.Key)), $"an interface endpoint has one interface per zone ({twice.Key} twice)");
                }

                foreach (var group in endpoint.SecurityGroups.Where(g => !groupNames.Contains(g.Value)))
                {
                    Rule.Add(problems, group.At, group.Value, $"not a security group of the stack (groups: {string.Join(", ", groupNames)})");
                }

                if (bootstrapEndpoints && endpoint.PrivateDns && endpoint.AwsService(network.Region) is { } service && NodeBootstrap.InterfaceEndpointServices.Contains(service))
                {
                    Rule.Add(problems, endpoint.At.Child("privateDns"), true, $"the bootstrap's {service} endpoint has private DNS already (bootstrap.nodeEgress: vpcEndpoints); AWS refuses a second one for the service");
                }
            }
        }
    }
}
