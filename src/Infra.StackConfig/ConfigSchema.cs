using Infra.StackConfig.Keys;

namespace Infra.StackConfig;

/// <summary>What a configuration value is: the reader, the JSON Schema and the README's reference all derive from it.</summary>
public abstract record ConfigType;

/// <summary>A scalar: text, a CIDR block, a whole number or a boolean.</summary>
/// <param name="MaxLength">The longest text the key takes (the schema's maxLength; the reader refuses longer).</param>
/// <param name="Minimum">The smallest whole number (the schema's minimum, on the number's form).</param>
/// <param name="Maximum">The largest whole number (the schema's maximum, on the number's form).</param>
public sealed record ScalarType(ScalarKind Kind, IReadOnlyList<string>? Allowed = null, string? Pattern = null, int? MaxLength = null, int? Minimum = null, int? Maximum = null) : ConfigType;

public enum ScalarKind
{
    String,
    Cidr,
    Integer,
    Boolean,
}

/// <summary>A mapping with fixed keys.</summary>
/// <param name="ExactlyOneOf">Keys of which a value must give exactly one.</param>
/// <param name="AtLeastOneOf">Keys of which a value must give at least one.</param>
/// <param name="AtMostOneOf">Keys of which a value may give one, or none.</param>
public sealed record ObjectType(IReadOnlyList<ConfigField> Fields, IReadOnlyList<string>? ExactlyOneOf = null, IReadOnlyList<string>? AtLeastOneOf = null, IReadOnlyList<string>? AtMostOneOf = null) : ConfigType
{
    /// <summary>Keys required or refused by another key's value (an interface endpoint's subnets and private DNS).</summary>
    public IReadOnlyList<KeyCondition> Conditions { get; init; } = [];

    public ConfigField? Field(string name) => Fields.FirstOrDefault(f => f.Name == name);
}

/// <summary>
/// When <paramref name="Key"/> holds one of <paramref name="Values"/>: the mapping gives each of
/// <paramref name="Requires"/> (a list, not empty) and none of <paramref name="Refuses"/>.
/// <paramref name="Why"/> is the reason a user reads with the problem. The schema says it as if/then.
/// </summary>
public sealed record KeyCondition(string Key, IReadOnlyList<string> Values, IReadOnlyList<string> Requires, IReadOnlyList<string> Refuses, string Why);

/// <summary>A mapping whose keys are names the user chooses (or, with <paramref name="Keys"/>, one of a fixed set).</summary>
/// <param name="KeyName">What a key is, as the reference writes it: "zone", "name".</param>
/// <param name="ValueDescription">What each value is.</param>
/// <param name="MinEntries">The fewest entries the map takes (the schema's minProperties; the reader refuses fewer).</param>
public sealed record MapType(string KeyName, ConfigType Values, string ValueDescription, IReadOnlyList<string>? Keys = null, int? MinEntries = null) : ConfigType;

/// <param name="MinItems">The fewest items (the schema's minItems; the reader refuses fewer).</param>
/// <param name="MaxItems">The most items (the schema's maxItems; the reader refuses more).</param>
/// <param name="Unique">No item twice (the schema's uniqueItems; the reader refuses a repeat).</param>
public sealed record ListType(ConfigType Items, int? MinItems = null, int? MaxItems = null, bool Unique = false) : ConfigType;

/// <summary>A value that may take one of several shapes (a subnet is a CIDR or {cidr, replicaOf}).</summary>
public sealed record EitherType(IReadOnlyList<ConfigType> Variants) : ConfigType;

/// <summary>One configuration key: its type, whether a stack must give it, its default and what it means.</summary>
/// <param name="RequiredWith">A top-level key that makes this one required when it is set (nodeGroup with cluster).</param>
/// <param name="Default">The value the reader takes when the key is absent (a bool, an int or a string).</param>
public sealed record ConfigField(string Name, ConfigType Type, string Description, bool Required = false, object? Default = null, string? RequiredWith = null)
{
    /// <summary>
    /// The value passes unchanged into a resource, so it may be a secret: the program then refers to
    /// the config key (pulumi-yaml resolves it, secret, at run time) and the compiler never checks it.
    /// </summary>
    public bool MayBeSecret { get; init; }

    /// <summary>
    /// Why `infra discover` does not write this key, nor any below it (the live VPC does not show it,
    /// or it is the reviewer's, not the VPC's); null: discover writes it wherever the live VPC has
    /// it, which a test holds discover to, naming the key.
    /// </summary>
    public string? NotDiscovered { get; init; }

    /// <summary>Why `infra drift` does not compare this key, nor any below it; null: drift compares it, which a test holds drift to, naming the key.</summary>
    public string? NotCompared { get; init; }

    /// <summary>A top-level key that may stand in this one's place (nodeGroups for nodeGroup): with it given, this one is not required, and both together are refused.</summary>
    public string? OrInstead { get; init; }
}

/// <summary>
/// The project's stack configuration keys, gathered from each concern's declarations under Keys/
/// (where each key is declared once with its type, default, checks and the record it binds to).
/// <see cref="StackConfigReader"/> binds them, `infra schema` turns them into the JSON Schema editors
/// validate Pulumi.&lt;stack&gt;.yaml with, and the README's configuration reference is generated
/// from them.
/// </summary>
public static class ConfigSchema
{
    /// <summary>A subnet named as `role/zone`, the roles being the subnet-role table's keys.</summary>
    public static ScalarType SubnetReference => Declare.SubnetReference;

    /// <summary>The top-level keys in the project's namespace (`leadertools:vpc`, ...), in the order the reference lists them.</summary>
    internal static IReadOnlyList<ConfigKey> Keys { get; } =
    [
        VpcKeys.Vpc,
        VpcKeys.AvailabilityZones,
        SubnetKeys.Subnets,
        VpcKeys.InternetGateway,
        VpcKeys.EgressOnlyInternetGateway,
        RoutingKeys.NatGateway,
        RoutingKeys.PrivateNatGateways,
        RoutingKeys.PublicNatGateways,
        RoutingKeys.Gateways,
        RoutingKeys.GatewayRoutes,
        RoutingKeys.RouteTables,
        SecurityGroupKeys.SecurityGroups,
        VpcEndpointKeys.VpcEndpoints,
        ClusterKeys.Cluster,
        CniKeys.Cni,
        ClusterKeys.NodeGroup,
        ClusterKeys.NodeGroups,
        LoadBalancerKeys.LoadBalancers,
        ClusterKeys.Bootstrap,
        LoadBalancerKeys.LoadBalancerController,
        PolicyKeys.Protection,
        PolicyKeys.Policy,
        GuideKeys.GuideClaims,
    ];

    /// <summary>The keys' schema entries.</summary>
    public static IReadOnlyList<ConfigField> ProjectKeys { get; } = [.. Keys.Select(k => k.Field)];

    /// <summary>The project's keys as one mapping, where the reader starts its walk.</summary>
    public static ObjectType Project { get; } = new(ProjectKeys);

    /// <summary>Keys that only mean something with a cluster (read by nothing without one).</summary>
    public static IReadOnlyList<string> ClusterOnlyKeys { get; } = [CniKeys.Cni.Name, ClusterKeys.NodeGroup.Name, ClusterKeys.NodeGroups.Name, LoadBalancerKeys.LoadBalancers.Name, ClusterKeys.Bootstrap.Name, LoadBalancerKeys.LoadBalancerController.Name];
}
