using System.Text.Json.Nodes;

namespace Infra.Tests.Harness;

/// <summary>A resource a component registers as its child, as the harness models it.</summary>
public sealed record ModelledChild(string Name, string Type, JsonObject Inputs);

/// <summary>
/// The parts of components' own logic that the program's correctness depends on. A type check sees
/// only a component's inputs; what it then creates (and which value wins) is modelled here from
/// the component's source, cited per method. Only the behaviour this project relies on is modelled.
/// </summary>
public static class ComponentModels
{
    public static IReadOnlyList<ModelledChild> Expand(string name, string type, JsonObject inputs) => type switch
    {
        "eks:Cluster" => [AwsEksCluster(name, inputs), .. OidcProvider(name, inputs), ClusterKubernetesProvider(name), .. EksCluster(name, inputs), KubeProxyAddon(name, inputs)],
        "eks:ManagedNodeGroup" => [ManagedNodeGroup(name, inputs)],
        "eks:VpcCniAddon" => [VpcCniAddon(name, inputs)],
        "kubernetes:yaml/v2:ConfigGroup" => ConfigGroupV2(name, inputs),
        _ => [],
    };

    /// <summary>
    /// The plugin versions a component's own SDK registers children with when no provider of their
    /// package reaches it: pulumi-eks v4.3.0 nodejs/eks/package.json pins @pulumi/aws 7.25.0 and
    /// @pulumi/kubernetes 4.19.0 exactly (yarn.lock resolves the same); ConfigGroup is the
    /// kubernetes plugin itself.
    /// </summary>
    public static string BundledVersion(string componentType, string package) => (componentType.Split(':')[0], package) switch
    {
        ("eks", "aws") => "7.25.0",
        ("eks", "kubernetes") => "4.19.0",
        ("kubernetes", "kubernetes") => "4.34.2",
        _ => throw new MockEngineException($"no model of which {package} plugin {componentType} bundles"),
    };

    /// <summary>The package of a resource type ("aws:eks:Cluster" -> aws, "pulumi:providers:kubernetes" -> kubernetes).</summary>
    public static string PackageOf(string type) =>
        type.StartsWith("pulumi:providers:", StringComparison.Ordinal) ? type["pulumi:providers:".Length..] : type.Split(':')[0];

    /// <summary>
    /// pulumi-eks v4.3.0 cluster.ts (around line 745): the aws:eks:Cluster child, with
    /// deletionProtection passed as given (an input left out stays out, and AWS keeps its value).
    /// </summary>
    private static ModelledChild AwsEksCluster(string name, JsonObject inputs)
    {
        var cluster = new JsonObject
        {
            ["name"] = inputs["name"]?.DeepClone() ?? name,
            ["version"] = inputs["version"]?.DeepClone(),
        };
        if (inputs["deletionProtection"] is { } protection)
        {
            cluster["deletionProtection"] = protection.DeepClone();
        }

        return new ModelledChild($"{name}-eksCluster", "aws:eks:Cluster", cluster);
    }

    /// <summary>cluster.ts (around line 1262): with createOidcProvider, an aws:iam:OpenIdConnectProvider child.</summary>
    private static IReadOnlyList<ModelledChild> OidcProvider(string name, JsonObject inputs) =>
        IsTrue(inputs["createOidcProvider"]) ? [new ModelledChild($"{name}-oidcProvider", "aws:iam:OpenIdConnectProvider", new JsonObject { ["clientIdLists"] = new JsonArray("sts.amazonaws.com") })] : [];

    /// <summary>
    /// cluster.ts lines 914-921: the cluster always registers its own kubernetes provider
    /// "&lt;name&gt;-eks-k8s" from its bundled @pulumi/kubernetes, whatever the caller passes (its
    /// package is `pulumi`, so it inherits nothing). Only the aws-auth ConfigMap, storage classes,
    /// the component's own VpcCniAddon and CoreDNS use it; the harness models none of them for a
    /// program that turns them off, so a child using it fails the provider test.
    /// </summary>
    private static ModelledChild ClusterKubernetesProvider(string name) =>
        new($"{name}-eks-k8s", "pulumi:providers:kubernetes", new JsonObject { ["kubeconfig"] = "(the cluster's own kubeconfig)" });

    /// <summary>
    /// pulumi-eks v4.3.0, nodejs/eks/cluster/cluster.ts (around line 1090): unless `useDefaultVpcCni`
    /// is true, the cluster creates its own VpcCniAddon named "&lt;name&gt;-vpc-cni" from
    /// `vpcCniOptions`, with clusterVersion set to the cluster's version.
    /// </summary>
    private static IReadOnlyList<ModelledChild> EksCluster(string name, JsonObject inputs)
    {
        if (IsTrue(inputs["useDefaultVpcCni"]))
        {
            return [];
        }

        var options = inputs["vpcCniOptions"]?.DeepClone() as JsonObject ?? [];
        options["clusterName"] = inputs["name"]?.DeepClone() ?? name;
        options["clusterVersion"] = inputs["version"]?.DeepClone() ?? "1.33";
        return [VpcCniAddon($"{name}-vpc-cni", options)];
    }

    /// <summary>The add-on version the aws provider is asked for when the component looks it up itself.</summary>
    public const string MostRecentAddonVersion = "(most recent, looked up on every run)";

    /// <summary>
    /// pulumi-eks v4.3.0, nodejs/eks/cluster/cluster.ts (around line 764): unless
    /// kubeProxyAddonOptions.enabled is false, the cluster creates the kube-proxy add-on
    /// "&lt;name&gt;-kube-proxy" with kubeProxyAddonOptions.version, or, without one, the version
    /// aws.eks.getAddonVersionOutput answers with mostRecent: true on every run.
    /// </summary>
    private static ModelledChild KubeProxyAddon(string name, JsonObject inputs) =>
        new($"{name}-kube-proxy", "aws:eks:Addon", new JsonObject
        {
            ["clusterName"] = inputs["name"]?.DeepClone() ?? name,
            ["addonName"] = "kube-proxy",
            ["addonVersion"] = inputs["kubeProxyAddonOptions"]?["version"]?.DeepClone() ?? MostRecentAddonVersion,
        });

    /// <summary>
    /// pulumi-eks v4.3.0, nodejs/eks/nodes/nodegroup.ts createManagedNodeGroup (lines 1879-2125):
    /// a user `launchTemplate` together with any of kubeletExtraArgs, bootstrapExtraArgs,
    /// bottlerocketSettings, nodeadmExtraOptions, enableIMDSv2, userData, amiId or enableEfaSupport
    /// is an input error; any of those without one makes the component build its own template
    /// (createMNGCustomLaunchTemplate), whose imageId is amiId or the SSM "recommended" AMI, read on
    /// every run (getRecommendedAMI). The aws:eks:NodeGroup gets the user's template unchanged, and
    /// amiType only as given (or derived from operatingSystem when no user data is generated).
    /// </summary>
    private static ModelledChild ManagedNodeGroup(string name, JsonObject inputs)
    {
        string[] customTemplateArgs = ["kubeletExtraArgs", "bootstrapExtraArgs", "bottlerocketSettings", "nodeadmExtraOptions", "enableIMDSv2", "userData", "amiId", "enableEfaSupport"];
        var given = customTemplateArgs.Where(a => inputs[a] is not null).ToList();
        if (inputs["launchTemplate"] is not null && given.Count > 0)
        {
            throw new MockEngineException($"eks:ManagedNodeGroup '{name}': If you provide a custom launch template, you cannot provide any of {string.Join(", ", given)}");
        }

        var nodeGroup = new JsonObject
        {
            ["clusterName"] = inputs["clusterName"]?.DeepClone() ?? "(the cluster's name)",
            ["nodeRoleArn"] = inputs["nodeRoleArn"]?.DeepClone(),
            ["subnetIds"] = inputs["subnetIds"]?.DeepClone(),
            ["instanceTypes"] = inputs["instanceTypes"]?.DeepClone(),
            ["scalingConfig"] = inputs["scalingConfig"]?.DeepClone(),
        };
        if (inputs["launchTemplate"] is JsonObject template)
        {
            nodeGroup["launchTemplate"] = template.DeepClone();
            if (inputs["amiType"] is { } amiType)
            {
                nodeGroup["amiType"] = amiType.DeepClone();
            }
        }
        else if (given.Count > 0)
        {
            nodeGroup["launchTemplate"] = new JsonObject { ["imageId"] = inputs["amiId"]?.DeepClone() ?? Mocks.FloatingAmi };
        }

        // The component registers it under its own name as a child; the harness keeps names unique.
        return new ModelledChild($"{name}-nodegroup", "aws:eks:NodeGroup", nodeGroup);
    }

    /// <summary>
    /// pulumi-eks v4.3.0, nodejs/eks/addons/cni-addon.ts: the constructor throws without `clusterName`,
    /// and without either `addonVersion` or `clusterVersion`; it then registers an aws:eks:Addon
    /// "vpc-cni" whose configurationValues are mergeConfigurationValues(computeEnv(args), ...).
    /// </summary>
    private static ModelledChild VpcCniAddon(string name, JsonObject inputs)
    {
        if (inputs["clusterName"] is null)
        {
            throw new MockEngineException($"eks:VpcCniAddon '{name}': Missing required option 'clusterName'");
        }

        if (inputs["addonVersion"] is null && inputs["clusterVersion"] is null)
        {
            throw new MockEngineException($"eks:VpcCniAddon '{name}': You need to specify either `addonVersion` or `clusterVersion` to determine the version of the vpc-cni addon to use.");
        }

        var configuration = inputs["configurationValues"]?.DeepClone() as JsonObject ?? [];
        var env = ComputeCniEnvironment(inputs);
        if (configuration["env"] is JsonObject given)
        {
            foreach (var (key, value) in given)
            {
                env[key] = value?.ToString() ?? "";
            }
        }

        configuration["env"] = new JsonObject(env.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)JsonValue.Create(e.Value))));
        return new ModelledChild(name, "aws:eks:Addon", new JsonObject
        {
            ["clusterName"] = inputs["clusterName"]!.DeepClone(),
            ["addonName"] = "vpc-cni",
            ["configurationValues"] = configuration.ToJsonString(),
        });
    }

    /// <summary>
    /// cni-addon.ts computeEnv, in its order, for the variables this project sets or that override
    /// them: each push is an Object.assign into one map, so a later entry for the same name wins.
    /// The `cniCustomNetworkCfg` branch writes AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG after
    /// `customNetworkConfig` did, and writes "false" when it is unset.
    /// </summary>
    public static Dictionary<string, string> ComputeCniEnvironment(JsonObject args)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        if (IsTruthy(args["nodePortSupport"]))
        {
            env["AWS_VPC_CNI_NODE_PORT_SUPPORT"] = Bool(args["nodePortSupport"]);
        }

        if (IsTruthy(args["customNetworkConfig"]))
        {
            env["AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG"] = Bool(args["customNetworkConfig"]);
        }

        env["WARM_ENI_TARGET"] = args["warmEniTarget"]?.ToString() ?? "1";
        if (IsTruthy(args["warmIpTarget"]))
        {
            env["WARM_IP_TARGET"] = args["warmIpTarget"]!.ToString();
        }

        if (IsTruthy(args["warmPrefixTarget"]))
        {
            env["WARM_PREFIX_TARGET"] = args["warmPrefixTarget"]!.ToString();
        }

        if (IsTruthy(args["enablePrefixDelegation"]))
        {
            env["ENABLE_PREFIX_DELEGATION"] = Bool(args["enablePrefixDelegation"]);
        }

        if (IsTruthy(args["eniConfigLabelDef"]))
        {
            env["ENI_CONFIG_LABEL_DEF"] = args["eniConfigLabelDef"]!.ToString();
        }

        env["AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG"] = IsTruthy(args["cniCustomNetworkCfg"]) ? Bool(args["cniCustomNetworkCfg"]) : "false";
        env["AWS_VPC_K8S_CNI_EXTERNALSNAT"] = IsTruthy(args["externalSnat"]) ? Bool(args["externalSnat"])
            : IsTruthy(args["cniExternalSnat"]) ? Bool(args["cniExternalSnat"]) : "false";
        return env;
    }

    /// <summary>
    /// kubernetes:yaml/v2:ConfigGroup (pulumi-kubernetes v4.10+, a multi-language component usable from
    /// Pulumi YAML; registry docs "kubernetes.yaml/v2.ConfigGroup" and pulumi.com/blog/kubernetes-yaml-v2):
    /// each object of `objs` becomes a child resource of type kubernetes:&lt;apiVersion&gt;:&lt;kind&gt;.
    /// Every object needs apiVersion, kind and metadata.name, or the component fails.
    /// </summary>
    private static IReadOnlyList<ModelledChild> ConfigGroupV2(string name, JsonObject inputs)
    {
        if (inputs["files"] is not null || inputs["yaml"] is not null)
        {
            throw new MockEngineException($"ConfigGroup '{name}': the harness models only `objs`");
        }

        var children = new List<ModelledChild>();
        foreach (var obj in inputs["objs"] as JsonArray ?? [])
        {
            var apiVersion = obj?["apiVersion"]?.ToString();
            var kind = obj?["kind"]?.ToString();
            var objectName = obj?["metadata"]?["name"]?.ToString();
            if (apiVersion is null || kind is null || objectName is null)
            {
                throw new MockEngineException($"ConfigGroup '{name}': an object lacks apiVersion, kind or metadata.name");
            }

            children.Add(new ModelledChild($"{name}:{objectName}", $"kubernetes:{apiVersion}:{kind}", (JsonObject)obj!.DeepClone()));
        }

        if (children.Select(c => c.Name).Distinct(StringComparer.Ordinal).Count() != children.Count)
        {
            throw new MockEngineException($"ConfigGroup '{name}': two objects share a name");
        }

        return children;
    }

    private static bool IsTrue(JsonNode? node) => node is JsonValue v && (v.TryGetValue<bool>(out var b) ? b : v.ToString() == "true");

    /// <summary>JavaScript truthiness of an input: false, 0, "" and absent are falsy.</summary>
    private static bool IsTruthy(JsonNode? node) => node switch
    {
        null => false,
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v when v.TryGetValue<long>(out var n) => n != 0,
        JsonValue v when v.TryGetValue<string>(out var s) => s.Length > 0,
        _ => true,
    };

    private static string Bool(JsonNode? node) => IsTruthy(node) ? "true" : "false";
}
