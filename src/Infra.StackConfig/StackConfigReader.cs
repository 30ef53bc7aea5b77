using System.Text.Json;
using System.Text.RegularExpressions;
using System.Text.Json.Nodes;
using Infra.Model;
using Infra.Model.Addressing;
using Infra.Model.Cluster;
using Infra.Model.Network;
using Infra.Model.Validation;

namespace Infra.StackConfig;

/// <summary>
/// Reads a stack's Pulumi configuration into the environment model. The keys, in the project's
/// namespace, are documented in the README's config reference.
/// </summary>
public static partial class StackConfigReader
{
    public const string RegionKey = "aws:region";

    /// <summary>Namespaces whose keys a provider of the program reads (aws:region, aws:profile, ...).</summary>
    public static IReadOnlyList<string> ProviderNamespaces { get; } = ["aws", "eks", "kubernetes", "pulumi"];

    /// <summary>
    /// The aws provider's settings (@pulumi/aws 7.48.0, provider.d.ts, ProviderArgs), the keys it
    /// reads from the `aws:` config namespace.
    /// </summary>
    public static IReadOnlyList<string> AwsProviderKeys { get; } =
    [
        "accessKey", "allowedAccountIds", "assumeRoleWithWebIdentity", "assumeRoles", "customCaBundle", "defaultTags",
        "ec2MetadataServiceEndpoint", "ec2MetadataServiceEndpointMode", "endpoints", "forbiddenAccountIds", "httpProxy",
        "httpsProxy", "ignoreTags", "insecure", "maxRetries", "noProxy", "profile", "region", "retryMode",
        "s3UsEast1RegionalEndpoint", "s3UsePathStyle", "secretKey", "sharedConfigFiles", "sharedCredentialsFiles",
        "skipCredentialsValidation", "skipMetadataApiCheck", "skipRegionValidation", "skipRequestingAccountId", "stsRegion",
        "tagPolicyCompliance", "token", "tokenBucketRateLimiterCapacity", "useDualstackEndpoint", "useFipsEndpoint", "userAgents",
    ];

    public static EnvironmentSpec Read(string project, string stack, PulumiConfigMap config)
    {
        var problems = new List<ConfigProblem>();
        var nodes = new Dictionary<string, ConfigNode>(StringComparer.Ordinal);
        foreach (var (key, raw) in config.Values)
        {
            var colon = key.IndexOf(':', StringComparison.Ordinal);
            var ns = colon < 0 ? project : key[..colon];
            var name = colon < 0 ? key : key[(colon + 1)..];
            if (ns != project)
            {
                if (ns == "aws" && !AwsProviderKeys.Contains(name))
                {
                    // The aws provider ignores keys it does not know: a misspelling (aws:regoin) would pass silently.
                    problems.Add(new ConfigProblem(key, config.SecretKeys.Contains(key) ? Origin.Redacted : Printable.Short(raw), $"not a setting of the aws provider ({string.Join(", ", AwsProviderKeys)})"));
                }
                else if (!ProviderNamespaces.Contains(ns))
                {
                    // A misspelled project namespace would drop the key silently: nothing reads it.
                    problems.Add(new ConfigProblem(key, config.SecretKeys.Contains(key) ? Origin.Redacted : Printable.Short(raw), $"nothing reads the namespace '{ns}': config belongs to the project ({project}:...) or to a provider ({string.Join(", ", ProviderNamespaces.Select(n => n + ":..."))})"));
                }

                continue;
            }

            var secret = config.SecretKeys.Contains(key);
            if (ConfigSchema.Project.Field(name) is not { } field)
            {
                problems.Add(new ConfigProblem($"{project}:{name}", secret ? Origin.Redacted : Printable.Short(raw), $"unknown key (known: {string.Join(", ", ConfigSchema.ProjectKeys.Select(k => k.Name).Order(StringComparer.Ordinal))})"));
                continue;
            }

            var value = ParseStructured(raw, out var jsonError);
            if (jsonError is not null)
            {
                problems.Add(new ConfigProblem($"{project}:{name}", secret ? Origin.Redacted : Printable.Short(raw), jsonError));
                // Read on as if absent, but keep what that would report to ourselves: one message per key.
                nodes[name] = new ConfigNode(null, new Origin($"{project}:{name}", secret), [], field);
                continue;
            }

            nodes[name] = new ConfigNode(value, new Origin($"{project}:{name}", secret), problems, field);
        }

        var asked = new HashSet<string>(StringComparer.Ordinal);
        ConfigNode Key(string name)
        {
            asked.Add(name);
            return nodes.TryGetValue(name, out var n) ? n
                : new ConfigNode(null, new Origin($"{project}:{name}"), problems, ConfigSchema.Project.Field(name) ?? throw new InvalidOperationException($"the reader reads {project}:{name}, which ConfigSchema does not declare"));
        }


        var region = config.Values.TryGetValue(RegionKey, out var r) && r.Length > 0 ? r : null;
        if (region is not null && config.SecretKeys.Contains(RegionKey))
        {
            problems.Add(new ConfigProblem(RegionKey, Origin.Redacted, "cannot be a secret: the region names resources and zones in plain text"));
        }

        if (region is null)
        {
            problems.Add(new ConfigProblem(RegionKey, "(missing)", "the stack needs an AWS region"));
        }

        var network = ReadNetwork(region ?? string.Empty, Key);
        var cluster = Key("cluster").IsMissing ? null : ReadCluster(Key);
        if (Key("cluster").IsMissing)
        {
            // These describe the cluster; without one they would be read by nothing.
            foreach (var clusterKey in ConfigSchema.ClusterOnlyKeys.Where(k => !Key(k).IsMissing))
            {
                problems.Add(new ConfigProblem($"{project}:{clusterKey}", Key(clusterKey).At.Shown(Printable.Short(config.Values[$"{project}:{clusterKey}"])), $"applies to the cluster, and the stack has no {project}:cluster"));
            }
        }

        var claims = Key("guideClaims").IsMissing ? null : ReadClaims(Key("guideClaims"));
        if (ConfigSchema.ProjectKeys.FirstOrDefault(k => !asked.Contains(k.Name)) is { } unread)
        {
            throw new InvalidOperationException($"ConfigSchema declares {project}:{unread.Name}, which the reader never reads");
        }

        if (problems.Count > 0)
        {
            throw new ConfigException(problems);
        }

        return new EnvironmentSpec(project, stack, network!, cluster, claims)
        {
            ConfigKeyNames = ConfigSchema.ProjectKeys.Select(k => k.Name).ToHashSet(StringComparer.Ordinal),
            SecretValues = SecretValues(config),
        };
    }

    /// <summary>Every scalar under a secret key, with the key it came from.</summary>
    private static Dictionary<string, string> SecretValues(PulumiConfigMap config)
    {
        var secrets = new Dictionary<string, string>(StringComparer.Ordinal);
        void Collect(JsonNode? node, string key)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (_, child) in o)
                    {
                        Collect(child, key);
                    }

                    break;
                case JsonArray a:
                    foreach (var child in a)
                    {
                        Collect(child, key);
                    }

                    break;
                case JsonValue v:
                    var text = v.TryGetValue<string>(out var s) ? s : v.ToJsonString();
                    if (text.Length > 0)
                    {
                        secrets.TryAdd(text, key);
                    }

                    break;
            }
        }

        foreach (var key in config.SecretKeys.Where(config.Values.ContainsKey))
        {
            Collect(ParseStructured(config.Values[key], out _), key);
        }

        return secrets;
    }

    private static JsonNode? ParseStructured(string raw, out string? error)
    {
        // Structured values arrive JSON-encoded; a plain string that is not JSON stays a string,
        // but text that opens an object or a list must be valid JSON (duplicate keys included).
        error = null;
        try
        {
            return StrictJson.Parse(raw);
        }
        catch (JsonException e)
        {
            if (raw.TrimStart() is ['{' or '[', ..])
            {
                error = e.Message;
                return null;
            }

            return JsonValue.Create(raw);
        }
    }

    private static NetworkSpec? ReadNetwork(string region, Func<string, ConfigNode> key)
    {
        var vpcNode = key("vpc");
        VpcSpec? vpc = null;
        if (vpcNode.IsObject())
        {
            var name = vpcNode.Child("name").String();
            var primary = vpcNode.Child("primaryCidr").Cidr();
            var secondary = vpcNode.Child("secondaryCidrs").Cidrs(required: false);
            var replica = vpcNode.Child("replicaOf").String(required: false);
            vpcNode.RejectUnknownKeys();
            if (name is not null && primary is not null)
            {
                vpc = new VpcSpec(name, primary, secondary, replica);
            }
        }

        var zonesNode = key("availabilityZones");
        var zones = zonesNode.Strings();
        if (!zonesNode.IsMissing && zones.Count == 0 && zonesNode.Value is JsonArray)
        {
            zonesNode.Problem("the stack needs at least one availability zone");
        }

        var subnets = new List<SubnetSpec>();
        var subnetsNode = key("subnets");
        foreach (var (roleKey, roleNode) in subnetsNode.Entries())
        {
            if (!SubnetRoles.TryParse(roleKey, out var role))
            {
                roleNode.Problem($"unknown subnet role (roles: {string.Join(", ", SubnetRoles.All.Select(x => x.Key()))})");
                continue;
            }

            foreach (var (zone, subnetNode) in roleNode.Entries())
            {
                // A subnet is either "zone: CIDR" or "zone: {cidr, replicaOf}".
                var isShort = subnetNode.Value is JsonValue;
                var cidrNode = isShort ? subnetNode : subnetNode.Child("cidr");
                var cidr = cidrNode.Cidr();
                var replica = isShort ? null : subnetNode.Child("replicaOf").String(required: false);
                if (!isShort)
                {
                    subnetNode.RejectUnknownKeys();
                }

                if (cidr is not null)
                {
                    subnets.Add(new SubnetSpec(role, zone, cidr.Value, replica, cidrNode.At, subnetNode.At));
                }
            }
        }

        var igwNode = key("internetGateway");
        string? igwReplica = null;
        if (igwNode.IsObject(required: false))
        {
            igwReplica = igwNode.Child("replicaOf").String(required: false);
            igwNode.RejectUnknownKeys();
        }

        var natNode = key("natGateway");
        var nat = new NatGatewaySpec(false, null, natNode.At);
        if (natNode.IsObject(required: false))
        {
            nat = new NatGatewaySpec(natNode.Child("enabled").Bool() ?? false, natNode.Child("zone").String(required: false), natNode.At);
            natNode.RejectUnknownKeys();
        }

        var gateways = new List<GatewayInstance>();
        foreach (var (name, gatewayNode) in key("gateways").Entries(required: false))
        {
            if (!gatewayNode.IsObject())
            {
                continue;
            }

            var description = gatewayNode.Child("description").String(required: false) ?? name;
            var replicaOf = gatewayNode.Child("replicaOf").String(required: false);
            var interfaceNode = gatewayNode.Child("interface");
            var existingNode = gatewayNode.Child("existing");
            foreach (var misplaced in new[] { "instanceId", "networkInterfaceId" })
            {
                // The earlier layout named the guide's instances directly; they live in the original
                // VPC, so a route in this stack's new VPC cannot target them.
                if (gatewayNode.Refused(misplaced) is { Value: not null } refused)
                {
                    refused.Problem(
                        "a route can only target an interface in this stack's VPC: record the original as `replicaOf`, let the stack create the interface (`interface: {subnet: role/zone}`), or, once the appliance runs in this VPC, give it under `existing` with `inThisVpc: true`");
                }
            }

            gatewayNode.RejectUnknownKeys();
            if (interfaceNode.Value is not null && existingNode.Value is not null)
            {
                existingNode.Problem("give either `interface` (the stack creates it) or `existing`, not both");
            }
            else if (interfaceNode.IsObject(required: false))
            {
                var subnet = interfaceNode.Child("subnet").String();
                interfaceNode.RejectUnknownKeys();
                if (subnet is not null)
                {
                    gateways.Add(new GatewayInstance(name, description, GatewayPlacement.CreatedInterface, subnet, null, null, replicaOf, gatewayNode.At));
                }
            }
            else if (existingNode.IsObject(required: false))
            {
                var instanceId = existingNode.Child("instanceId").String(required: false);
                var eni = existingNode.Child("networkInterfaceId").String(required: false);
                var inThisVpc = existingNode.Child("inThisVpc").Bool(false) ?? false;
                existingNode.RejectUnknownKeys();
                if (instanceId is null && eni is null)
                {
                    existingNode.Problem("needs `instanceId` or `networkInterfaceId`");
                }
                else if (!inThisVpc)
                {
                    existingNode.Child("inThisVpc").Problem(
                        "this stack creates its VPC, so an existing appliance is in it only if it was launched into it after the first deployment; state `inThisVpc: true` once it is, or let the stack create the interface (`interface: {subnet: role/zone}`)");
                }
                else
                {
                    gateways.Add(new GatewayInstance(name, description, GatewayPlacement.ExistingInThisVpc, null, instanceId, eni, replicaOf, gatewayNode.At));
                }
            }
            else if (interfaceNode.Value is null && existingNode.Value is null)
            {
                gatewayNode.Problem("says nowhere how the gateway exists in this VPC: give `interface: {subnet: role/zone}` (the stack creates it) or `existing: {instanceId, inThisVpc: true}`");
            }
        }

        var tables = new List<RouteTableSpec>();
        var tablesNode = key("routeTables");
        foreach (var (name, tableNode) in tablesNode.Entries())
        {
            if (!tableNode.IsObject())
            {
                continue;
            }

            var isMain = tableNode.Child("main").Bool() ?? false;
            var replica = tableNode.Child("replicaOf").String(required: false);
            var subnetKeys = tableNode.Child("subnets").Strings(required: false);
            var routes = new List<RouteSpec>();
            foreach (var routeNode in tableNode.Child("routes").Items(required: false))
            {
                if (!routeNode.IsObject())
                {
                    continue;
                }

                var destination = routeNode.Child("destination").Cidr();
                var target = routeNode.Child("target").String();
                var purpose = routeNode.Child("purpose").String(required: false);
                routeNode.RejectUnknownKeys();
                if (destination is not null && target is not null)
                {
                    routes.Add(new RouteSpec(destination.Value, ParseTarget(target), purpose, routeNode.At));
                }
            }

            tableNode.RejectUnknownKeys();
            tables.Add(new RouteTableSpec(name, isMain, replica, routes, subnetKeys, tableNode.At));
        }

        if (!tablesNode.IsMissing && tablesNode.Value is JsonObject { Count: 0 })
        {
            tablesNode.Problem("the stack needs at least the main route table");
        }

        return vpc is null ? null : new NetworkSpec(region, vpc, zones, subnets, igwReplica, nat, gateways, tables);
    }

    private static RouteTarget ParseTarget(string name) => name switch
    {
        RouteTarget.LocalName => RouteTarget.Local,
        RouteTarget.InternetGatewayName => RouteTarget.InternetGateway,
        RouteTarget.NatGatewayName => RouteTarget.NatGateway,
        _ => RouteTarget.Instance(name),
    };

    private static ClusterDesign? ReadCluster(Func<string, ConfigNode> key)
    {
        var clusterNode = key("cluster");
        if (!clusterNode.IsObject())
        {
            return null;
        }

        var name = clusterNode.Child("name").String();
        var version = clusterNode.Child("kubernetesVersion").String();
        var serviceCidr = clusterNode.Child("serviceCidr").Cidr();
        var endpointNode = clusterNode.Child("endpoint");
        EndpointAccess? endpoint = null;
        if (endpointNode.IsObject())
        {
            endpoint = new EndpointAccess(
                endpointNode.Child("publicAccess").Bool() ?? true,
                endpointNode.Child("privateAccess").Bool() ?? false,
                endpointNode.Child("publicAccessCidrs").Cidrs(required: false));
            endpointNode.RejectUnknownKeys();
        }

        var logTypes = clusterNode.Child("logTypes").Strings(required: false).Select(l => l.Value).ToList();
        var replicaNode = clusterNode.Child("replicaOf");
        string? replicaSg = null, replicaEndpoint = null;
        if (replicaNode.IsObject(required: false))
        {
            replicaSg = replicaNode.Child("securityGroup").String(required: false);
            replicaEndpoint = replicaNode.Child("endpoint").String(required: false);
            replicaNode.RejectUnknownKeys();
        }

        clusterNode.RejectUnknownKeys();

        // Absent, or without some keys, the CNI takes the schema's defaults.
        var cniNode = key("cni");
        cniNode.IsObject(required: false);
        var cni = new CniSpec(
            cniNode.Child("customNetworking").Bool() ?? true,
            cniNode.Child("eniConfigLabel").String(required: false)!,
            cniNode.Child("prefixDelegation").Bool() ?? true,
            cniNode.At);
        cniNode.RejectUnknownKeys();

        var nodeGroupNode = key("nodeGroup");
        NodeGroupSpec? nodeGroup = null;
        if (nodeGroupNode.IsObject())
        {
            var types = nodeGroupNode.Child("instanceTypes").Strings();
            var min = nodeGroupNode.Child("minSize").Int();
            var desired = nodeGroupNode.Child("desiredSize").Int();
            var max = nodeGroupNode.Child("maxSize").Int();
            // Absent: AWS's rule by vCPU count (MaxPods.AwsCap).
            var capNode = nodeGroupNode.Child("maxPodsCap");
            var cap = capNode.Value is null ? null : capNode.Int();
            var replica = nodeGroupNode.Child("replicaOf");
            string? replicaNodeSg = null;
            if (replica.IsObject(required: false))
            {
                replicaNodeSg = replica.Child("securityGroup").String(required: false);
                replica.RejectUnknownKeys();
            }

            nodeGroupNode.RejectUnknownKeys();
            if (min is not null && desired is not null && max is not null && (cap is not null || capNode.Value is null))
            {
                nodeGroup = new NodeGroupSpec(types, min.Value, desired.Value, max.Value, cap, replicaNodeSg, nodeGroupNode.At);
            }
        }

        var apps = new List<LoadBalancedApp>();
        foreach (var appNode in key("loadBalancers").Items(required: false))
        {
            if (!appNode.IsObject())
            {
                continue;
            }

            var appName = appNode.Child("name").String();
            var replica = appNode.Child("replicaOf").String(required: false);
            appNode.RejectUnknownKeys();
            if (appName is not null)
            {
                apps.Add(new LoadBalancedApp(appName, replica, appNode.At));
            }
        }

        BootstrapSpec? bootstrap = null;
        var bootstrapNode = key("bootstrap");
        if (bootstrapNode.IsObject(required: false))
        {
            var egressNode = bootstrapNode.Child("nodeEgress");
            var egress = egressNode.String();
            bootstrapNode.RejectUnknownKeys();
            switch (egress)
            {
                case "gateways":
                    bootstrap = new BootstrapSpec(NodeEgress.Gateways, bootstrapNode.At);
                    break;
                case "vpcEndpoints":
                    bootstrap = new BootstrapSpec(NodeEgress.VpcEndpoints, bootstrapNode.At);
                    break;
                case not null:
                    egressNode.Problem("expected gateways (the routed appliances already forward) or vpcEndpoints (the stack creates VPC endpoints for the nodes)");
                    break;
            }
        }

        // Every key is read before giving up on a part, so one run reports every mistake.
        var controller = ReadLoadBalancerController(key("loadBalancerController"));
        if (name is null || version is null || serviceCidr is null || endpoint is null || nodeGroup is null)
        {
            return null;
        }

        var cluster = new ClusterSpec(name, version, serviceCidr, endpoint, logTypes, replicaSg, replicaEndpoint, clusterNode.At);
        return new ClusterDesign(cluster, cni, nodeGroup, apps) { Bootstrap = bootstrap, LoadBalancerController = controller };
    }

    /// <summary>The controller's chart, pinned by the stack: a repository URL and an exact chart version.</summary>
    private static LoadBalancerControllerSpec? ReadLoadBalancerController(ConfigNode node)
    {
        if (!node.IsObject(required: false))
        {
            return null;
        }

        var repositoryNode = node.Child("chartRepository");
        var repository = repositoryNode.String();
        var versionNode = node.Child("chartVersion");
        var version = versionNode.String();
        node.RejectUnknownKeys();
        if (repository is not null && !(Uri.TryCreate(repository, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "oci" && uri.Host.Length > 0))
        {
            repositoryNode.Problem("expected the chart repository's https:// or oci:// URL");
            repository = null;
        }

        if (version is not null && !ChartVersion().IsMatch(version))
        {
            versionNode.Problem("expected an exact chart version such as 1.14.0 (a range would let the controller change without a reviewed diff)");
            version = null;
        }

        return repository is null || version is null ? null : new LoadBalancerControllerSpec(repository, version, node.At);
    }

    private static GuideClaims ReadClaims(ConfigNode node)
    {
        if (!node.IsObject())
        {
            return new GuideClaims([], null, false, null, null, null);
        }

        var claims = new GuideClaims(
            node.Child("corporateNetworks").Cidrs(required: false),
            node.Child("privateInternetVia").String(required: false),
            node.Child("internetReachesInternalLoadBalancers").Bool() ?? false,
            node.Child("podsPerNode").IsMissing ? null : node.Child("podsPerNode").Int(),
            node.Child("traditionalPodsPerNode").IsMissing ? null : node.Child("traditionalPodsPerNode").Int(),
            node.Child("concurrentPods").IsMissing ? null : node.Child("concurrentPods").Int());
        node.RejectUnknownKeys();
        return claims;
    }


    [GeneratedRegex(@"^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex ChartVersion();
}
