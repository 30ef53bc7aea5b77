using System.Text.Json;
using System.Text.Json.Nodes;
using Infra.StackConfig.Keys;

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
                problems.Add(new ConfigProblem($"{project}:{name}", secret ? Origin.Redacted : Printable.Short(raw), $"unknown key{Infra.Model.Text.Spelling.Suggestion(ConfigSchema.ProjectKeys.Select(k => k.Name), name)} (known: {string.Join(", ", ConfigSchema.ProjectKeys.Select(k => k.Name).Order(StringComparer.Ordinal))})"));
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

            if (nodes.ContainsKey(name))
            {
                // Pulumi reads `cni` in the stack file as `leadertools:cni`: both given, one would win silently.
                problems.Add(new ConfigProblem($"{project}:{name}", secret ? Origin.Redacted : Printable.Short(raw), $"given twice, as {project}:{name} and as {name} (a key without a namespace belongs to the project); keep one"));
                continue;
            }

            nodes[name] = new ConfigNode(value, new Origin($"{project}:{name}", secret), problems, field, secretPaths: config.SecretPaths);
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

        T Bind<T>(ConfigKey<T> key) => key.Read(Key(key.Name));

        // Read in the reference's order, every key even when an earlier one failed, so one run reports every mistake.
        var vpc = Bind(VpcKeys.Vpc);
        var zones = Bind(VpcKeys.AvailabilityZones);
        var subnets = Bind(SubnetKeys.Subnets);
        var internetGateway = Bind(VpcKeys.InternetGateway);
        var egressOnlyGateway = Bind(VpcKeys.EgressOnlyInternetGateway);
        var nat = Bind(RoutingKeys.NatGateway);
        var gateways = Bind(RoutingKeys.Gateways);
        var gatewayRoutes = Bind(RoutingKeys.GatewayRoutes);
        var routeTables = Bind(RoutingKeys.RouteTables);
        var securityGroups = Bind(SecurityGroupKeys.SecurityGroups);
        var vpcEndpoints = Bind(VpcEndpointKeys.VpcEndpoints);
        var privateNats = Bind(RoutingKeys.PrivateNatGateways);
        var publicNats = Bind(RoutingKeys.PublicNatGateways);
        ClusterDesign? cluster = null;
        if (!Key(ClusterKeys.Cluster.Name).IsMissing)
        {
            var clusterSpec = Bind(ClusterKeys.Cluster);
            var cni = Bind(CniKeys.Cni);
            var nodeGroups = NodeGroups();
            var applications = Bind(LoadBalancerKeys.LoadBalancers);
            var bootstrap = Bind(ClusterKeys.Bootstrap);
            var controller = Bind(LoadBalancerKeys.LoadBalancerController);
            cluster = clusterSpec is null || cni is null || nodeGroups is null
                ? null
                : new ClusterDesign(clusterSpec, cni, nodeGroups, applications) { Bootstrap = bootstrap, LoadBalancerController = controller };
        }
        else
        {
            // These describe the cluster; without one they would be read by nothing.
            foreach (var clusterKey in ConfigSchema.ClusterOnlyKeys.Where(k => !Key(k).IsMissing))
            {
                problems.Add(new ConfigProblem($"{project}:{clusterKey}", Key(clusterKey).At.Shown(Printable.Short(config.Values[$"{project}:{clusterKey}"])), $"applies to the cluster, and the stack has no {project}:cluster"));
            }
        }

        var awsSettings = AwsProviderSettings(config, problems);

        // One group under nodeGroup, named after the stack; or several under nodeGroups, never both.
        IReadOnlyList<NodeGroupSpec>? NodeGroups()
        {
            var several = Key(ClusterKeys.NodeGroups.Name);
            if (several.IsMissing)
            {
                return Bind(ClusterKeys.NodeGroup) is { } single ? [single with { Name = stack }] : null;
            }

            var groups = Bind(ClusterKeys.NodeGroups);
            if (!Key(ClusterKeys.NodeGroup.Name).IsMissing)
            {
                problems.Add(new ConfigProblem($"{project}:{ClusterKeys.NodeGroup.Name}", Key(ClusterKeys.NodeGroup.Name).At.Shown("(given)"), $"give either {project}:{ClusterKeys.NodeGroup.Name} or {project}:{ClusterKeys.NodeGroups.Name}, not both"));
                return null;
            }

            if (groups.Count == 0)
            {
                problems.Add(new ConfigProblem($"{project}:{ClusterKeys.NodeGroups.Name}", several.At.Shown("{}"), "needs at least one node group"));
                return null;
            }

            return [.. groups.Select(g => g with { NamedApart = g.Name != stack })];
        }
        var protection = Bind(PolicyKeys.Protection);
        var waivers = Bind(PolicyKeys.Policy);
        var claims = Bind(GuideKeys.GuideClaims);
        if (ConfigSchema.ProjectKeys.FirstOrDefault(k => !asked.Contains(k.Name)) is { } unread)
        {
            throw new InvalidOperationException($"ConfigSchema declares {project}:{unread.Name}, which the reader never reads");
        }

        if (problems.Count > 0)
        {
            throw new ConfigException(problems);
        }

        var network = new NetworkSpec(region!, vpc!, zones, subnets, internetGateway?.Value, nat!, gateways, routeTables) { GatewayRoutesOwner = gatewayRoutes!.Value, SecurityGroups = securityGroups, VpcEndpoints = vpcEndpoints, EgressOnlyGateway = egressOnlyGateway, PrivateNatGateways = privateNats, PublicNatGateways = publicNats };
        return new EnvironmentSpec(project, stack, network, cluster, claims)
        {
            ConfigKeyNames = ConfigSchema.ProjectKeys.Select(k => k.Name).ToHashSet(StringComparer.Ordinal),
            Waivers = waivers!,
            Protection = protection!.Value,
            ConfigStrings = ConfigStrings(project, config),
            ProviderDefaultTags = DefaultTags(config),
            AwsProviderSettings = awsSettings,
        };
    }

    /// <summary>The aws settings that take a boolean or a number (@pulumi/aws 7.48.0 provider.d.ts, ProviderArgs); every other one is text or, for structured settings, JSON.</summary>
    private static readonly IReadOnlySet<string> AwsBooleanSettings = new HashSet<string>(StringComparer.Ordinal)
    {
        "insecure", "s3UsePathStyle", "skipCredentialsValidation", "skipMetadataApiCheck", "skipRegionValidation", "skipRequestingAccountId", "useDualstackEndpoint", "useFipsEndpoint",
    };

    private static readonly IReadOnlySet<string> AwsNumberSettings = new HashSet<string>(StringComparer.Ordinal) { "maxRetries", "tokenBucketRateLimiterCapacity" };

    /// <summary>
    /// Every aws: setting as JSON of the type the aws provider takes: PULUMI_CONFIG gives each as a
    /// string (structured ones JSON-encoded), the provider resource wants booleans and numbers typed.
    /// A secret is kept without its value: the program refers to it (`${aws:secretKey}`).
    /// </summary>
    private static List<ProviderSetting> AwsProviderSettings(PulumiConfigMap config, List<ConfigProblem> problems)
    {
        var settings = new List<ProviderSetting>();
        foreach (var key in config.Values.Keys.Where(k => k.StartsWith("aws:", StringComparison.Ordinal) && AwsProviderKeys.Contains(k[4..])).Order(StringComparer.Ordinal))
        {
            var name = key[4..];
            var raw = config.Values[key];
            if (config.SecretKeys.Contains(key))
            {
                settings.Add(new ProviderSetting(name, null, true));
            }
            else if (AwsBooleanSettings.Contains(name))
            {
                if (raw is "true" or "false")
                {
                    settings.Add(new ProviderSetting(name, raw, false));
                }
                else
                {
                    problems.Add(new ConfigProblem(key, Printable.Short(raw), "the aws provider takes true or false here"));
                }
            }
            else if (AwsNumberSettings.Contains(name))
            {
                if (int.TryParse(raw, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number))
                {
                    settings.Add(new ProviderSetting(name, number.ToString(System.Globalization.CultureInfo.InvariantCulture), false));
                }
                else
                {
                    problems.Add(new ConfigProblem(key, Printable.Short(raw), "the aws provider takes a whole number here"));
                }
            }
            else if (raw.TrimStart() is ['{' or '[', ..])
            {
                var parsed = ParseStructured(raw, out var error);
                if (error is not null || parsed is null)
                {
                    problems.Add(new ConfigProblem(key, Printable.Short(raw), $"not valid JSON: {error}"));
                }
                else
                {
                    settings.Add(new ProviderSetting(name, parsed.ToJsonString(), false));
                }
            }
            else
            {
                settings.Add(new ProviderSetting(name, JsonValue.Create(raw).ToJsonString(), false));
            }
        }

        return settings;
    }

    /// <summary>aws:defaultTags.tags as the aws provider reads it; anything else (malformed) is the provider's to refuse.</summary>
    private static Dictionary<string, string> DefaultTags(PulumiConfigMap config)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        if (config.Values.TryGetValue("aws:defaultTags", out var raw) && ParseStructured(raw, out _)?["tags"] is JsonObject given)
        {
            foreach (var (key, value) in given)
            {
                if (value is JsonValue v && v.TryGetValue<string>(out var text))
                {
                    tags[key] = text;
                }
            }
        }

        return tags;
    }

    /// <summary>Every text leaf of the project's config with its key path ("leadertools:vpc.name").</summary>
    private static List<Located<string>> ConfigStrings(string project, PulumiConfigMap config)
    {
        var strings = new List<Located<string>>();
        void Collect(JsonNode? node, string path)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (key, child) in o)
                    {
                        Collect(child, $"{path}.{key}");
                    }

                    break;
                case JsonArray a:
                    for (var i = 0; i < a.Count; i++)
                    {
                        Collect(a[i], $"{path}[{i}]");
                    }

                    break;
                case JsonValue v when v.TryGetValue<string>(out var s):
                    strings.Add(new Located<string>(s, new Origin(path)));
                    break;
            }
        }

        foreach (var (key, raw) in config.Values.Where(kv => kv.Key.StartsWith($"{project}:", StringComparison.Ordinal) || !kv.Key.Contains(':', StringComparison.Ordinal)))
        {
            var full = key.Contains(':', StringComparison.Ordinal) ? key : $"{project}:{key}";
            var parsed = ParseStructured(raw, out var error);
            Collect(error is null && parsed is not null ? parsed : JsonValue.Create(raw), full);
        }

        return strings;
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
}
