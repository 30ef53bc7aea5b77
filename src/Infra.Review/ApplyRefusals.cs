using Infra.Emit;

namespace Infra.Review;

/// <summary>A change `pulumi preview` accepts and AWS (or the Pulumi engine) refuses when `pulumi up` applies it.</summary>
public sealed record ApplyRefusal(string Rule, string Resource, string Message, string Source);

/// <summary>
/// The kinds of change that preview cannot see fail: preview asks the providers for a diff, and none
/// of these is wrong in a diff, only in the AWS call that applies it. Each rule names what refuses it
/// and where that is written; `diff` prints each finding as an error and exits 5.
/// </summary>
public static class ApplyRefusals
{
    /// <summary>One rule: its id, what it catches, and the source that says AWS or Pulumi refuses it.</summary>
    /// <param name="Fails">`pulumi up` stops with an error there; false where it succeeds without doing what the plan says.</param>
    public sealed record Rule(string Id, string Catches, string Source, bool Fails = true);

    public static Rule KmsKeyChanged { get; } = new("APPLY001", "the secrets KMS key of an encrypted cluster changes", "eksctl guide (docs.aws.amazon.com/eks/latest/eksctl/kms-encryption.html): once KMS encryption is enabled it cannot be disabled or updated to use a different key; EKS User Guide enable-kms: \"You can't disable secrets encryption after enabling it\"", Fails: false);

    public static Rule KubernetesDowngrade { get; } = new("APPLY002", "the cluster's Kubernetes version goes down more than one minor", "EKS User Guide, update-cluster.html: a cluster rolls back only to the previous minor, within 7 days of upgrading; after that it cannot be downgraded");

    public static Rule KubernetesJump { get; } = new("APPLY003", "the cluster's Kubernetes version moves up more than one minor", "EKS User Guide, update-cluster.html: \"you can update only one minor version at a time\"");

    public static Rule SubnetInUse { get; } = new("APPLY004", "a replaced subnet still holds interfaces the replacement does not remove", "VPC User Guide, subnet-deleting.html: \"You cannot delete a subnet if it contains any network interfaces\" (EC2 DependencyViolation)");

    public static Rule SubnetOverlap { get; } = new("APPLY005", "a replaced subnet's new CIDR overlaps its old one, which still exists when the new one is made", "EC2 API Reference, CreateSubnet: \"A subnet CIDR block must not overlap the CIDR block of an existing subnet in the VPC\" (InvalidSubnet.Conflict); Pulumi makes the successor first");

    public static Rule SecondaryCidrInUse { get; } = new("APPLY006", "a secondary CIDR goes while kept subnets lie in it", "VPC User Guide, add-ipv4-cidr.html: \"You must first delete all subnets in the CIDR block\"");

    public static Rule ProtectedReplaced { get; } = new("APPLY007", "a protected resource is replaced", "pulumi pkg/resource/deploy/step_generator.go: a resource protected in the state cannot be replaced until an update lifts protection");

    public static Rule ProtectedDeleted { get; } = new("APPLY008", "a protected resource is deleted", "pulumi pkg/resource/deploy/step_generator.go: a resource protected in the state cannot be deleted until an update lifts protection");

    public static Rule LoadBalancerGroupInUse { get; } = new("APPLY009", "a load balancer security group is replaced while the controller's load balancers hold it", "EC2 API Reference, DeleteSecurityGroup: a group associated with a network interface cannot be deleted (DependencyViolation); the controller's load balancers use the group their Ingress names");

    public static Rule ClusterZonesChange { get; } = new("APPLY010", "the cluster's subnets move to another set of zones", "EKS User Guide, network-reqs.html: \"All subnets that you add must be in the same set of AZs as originally provided when you created the cluster\"");

    public static Rule AuthenticationModeBack { get; } = new("APPLY011", "the cluster's authentication mode goes back to CONFIG_MAP", "EKS User Guide, grant-k8s-access.html: \"Once the access entry method is enabled, it cannot be disabled\"");

    public static Rule VpcWithOutsiders { get; } = new("APPLY012", "the VPC is replaced while resources outside the stack live in it", "EC2 API Reference, DeleteVpc and the DependencyViolation error: everything in the VPC must be gone first; the controller's load balancers and the CNI's interfaces are not in Pulumi's state");

    public static Rule ClusterVpcChange { get; } = new("APPLY013", "the cluster's subnets move to a new VPC while the cluster stays", "EKS User Guide, create-cluster.html: \"You can't change which VPC you want to use after cluster creation\"");

    public static IReadOnlyList<Rule> All { get; } =
        [KmsKeyChanged, KubernetesDowngrade, KubernetesJump, SubnetInUse, SubnetOverlap, SecondaryCidrInUse, ProtectedReplaced, ProtectedDeleted, LoadBalancerGroupInUse, ClusterZonesChange, AuthenticationModeBack, VpcWithOutsiders, ClusterVpcChange];

    public static IReadOnlyList<ApplyRefusal> Find(IReadOnlyList<ResourceChange> changes, IReadOnlyDictionary<string, SnapshotResource> oldByName, IReadOnlyDictionary<string, SnapshotResource> newByName)
    {
        var found = new List<ApplyRefusal>();
        void Add(Rule rule, string resource, string message) => found.Add(new ApplyRefusal(rule.Id, resource, rule.Fails ? $"{message}; `pulumi up` fails there" : message, rule.Source));

        foreach (var change in changes)
        {
            var before = oldByName.GetValueOrDefault(change.Name);
            var after = newByName.GetValueOrDefault(change.Name);
            if (before?["(options).protect"] == "true" && change.Action == "replace")
            {
                Add(ProtectedReplaced, change.Name, "is protected and would be replaced: lift leadertools:protection in its own `pulumi up` first, then replace it deliberately");
            }

            if (before?["(options).protect"] == "true" && change.Action == "delete")
            {
                Add(ProtectedDeleted, change.Name, "is protected and would be deleted: lift leadertools:protection in its own `pulumi up` first");
            }

            if (change.Type == ResourceTypes.EksCluster.Token && change.Action == "update")
            {
                ClusterRefusals(change, Add);
                if (before is not null && after is not null)
                {
                    ClusterSubnetRefusals(change, before, after, oldByName, newByName, changes, Add);
                }
            }

            if (change.Type == ResourceTypes.Subnet.Token && change.Action == "replace" && before is not null && after is not null)
            {
                SubnetRefusals(change, before, after, changes, newByName, Add);
            }

            if (change.Type == ResourceTypes.VpcCidrBlock.Token && change.Action is "delete" or "replace" && before?["cidrBlock"] is { } removed && Cidr.TryParse(removed, out var block, out _))
            {
                var kept = newByName.Values.Where(r => r.Type == ResourceTypes.Subnet.Token && !changes.Any(c => c.Name == r.Name && c.Action is "replace" or "delete")
                    && Cidr.TryParse(r["cidrBlock"], out var subnet, out _) && block.Contains(subnet)).Select(r => r.Name).ToList();
                if (kept.Count > 0)
                {
                    Add(SecondaryCidrInUse, change.Name, $"{removed} goes while {string.Join(", ", kept)} stay in it");
                }
            }

            if (change.Type == ResourceTypes.SecurityGroup.Token && change.Action == "replace" && change.Order?.DeleteFirst != true
                && newByName.Values.Any(r => r.Type == ResourceTypes.HelmRelease.Token) && IsLoadBalancerGroup(change.Name))
            {
                Add(LoadBalancerGroupInUse, change.Name, "is replaced (its successor first): the old group cannot be deleted while the controller's load balancers, made from the Ingress annotations, still hold it; move the Ingresses to the new group (output ingressAnnotations) before the old one is deleted");
            }

            if (change.Type == ResourceTypes.Vpc.Token && change.Action == "replace" && newByName.Values.Any(r => r.Type == ResourceTypes.EksCluster.Token))
            {
                Add(VpcWithOutsiders, change.Name, "is replaced: the old VPC cannot be deleted while the controller's load balancers and the CNI's leftover interfaces, which Pulumi does not know, remain in it (infra/pre-destroy removes them)");
            }
        }

        return [.. found.OrderBy(f => f.Rule, StringComparer.Ordinal).ThenBy(f => f.Resource, StringComparer.Ordinal)];
    }

    private static void ClusterRefusals(ResourceChange change, Action<Rule, string, string> add)
    {
        if (change.Changes.FirstOrDefault(p => p.Path == "encryptionConfigKeyArn") is { Old: { } oldKey, New: { } newKey } && oldKey != newKey)
        {
            add(KmsKeyChanged, change.Name, $"encryptionConfigKeyArn changes from {oldKey} to {newKey}: EKS keeps the key it encrypts secrets with, and the aws provider asks for nothing (terraform-provider-aws eks/cluster.go resourceClusterUpdate associates a key only where there was none), so `up` succeeds, the cluster keeps the old key and the diff never goes away; a key the stack deletes would leave secrets it cannot decrypt");
        }

        if (change.Changes.FirstOrDefault(p => p.Path == "version") is { Old: { } oldVersion, New: { } newVersion }
            && Minor(oldVersion) is { } from && Minor(newVersion) is { } to && from.Major == to.Major)
        {
            if (to.Minor < from.Minor - 1)
            {
                add(KubernetesDowngrade, change.Name, $"the Kubernetes version goes down from {oldVersion} to {newVersion}");
            }
            else if (to.Minor - from.Minor > 1)
            {
                add(KubernetesJump, change.Name, $"the Kubernetes version moves from {oldVersion} to {newVersion}: upgrade through {string.Join(", ", Enumerable.Range(from.Minor + 1, to.Minor - from.Minor - 1).Select(m => $"{from.Major}.{m}"))} first, one `pulumi up` each");
            }
        }

        if (change.Changes.FirstOrDefault(p => p.Path == "authenticationMode") is { Old: "API" or "API_AND_CONFIG_MAP", New: "CONFIG_MAP" } mode)
        {
            add(AuthenticationModeBack, change.Name, $"authenticationMode goes from {mode.Old} back to CONFIG_MAP");
        }
    }

    private static void SubnetRefusals(ResourceChange change, SnapshotResource before, SnapshotResource after, IReadOnlyList<ResourceChange> changes, IReadOnlyDictionary<string, SnapshotResource> newByName, Action<Rule, string, string> add)
    {
        var reference = $"${{{change.Name}.id}}";
        if (change.Order?.DeleteFirst != true && Cidr.TryParse(before["cidrBlock"], out var oldCidr, out _) && Cidr.TryParse(after["cidrBlock"], out var newCidr, out _) && oldCidr.Overlaps(newCidr))
        {
            add(SubnetOverlap, change.Name, $"its new CIDR {newCidr} overlaps the old {oldCidr}, which still exists when Pulumi makes the successor");
        }

        var holders = new List<string>();
        foreach (var user in newByName.Values.Where(r => r.Properties.Values.Any(v => v.Contains(reference, StringComparison.Ordinal))))
        {
            if (user.Type == ResourceTypes.NetworkInterface.Token && user["(options).retainOnDelete"] == "true")
            {
                holders.Add($"{user.Name} (retained on delete: the old interface stays)");
            }
            else if (user.Type == ResourceTypes.ManagedNodeGroup.Token && !changes.Any(c => c.Name == user.Name && c.Action == "replace"))
            {
                holders.Add($"{user.Name}'s nodes");
            }
            else if (user.Type == ResourceTypes.ConfigGroup.Token)
            {
                holders.Add($"the pods' interfaces placed by {user.Name} on running nodes");
            }
        }

        if (holders.Count > 0)
        {
            add(SubnetInUse, change.Name, $"the old subnet cannot be deleted while interfaces remain in it: {string.Join(", ", holders)}");
        }
    }

    /// <summary>The cluster keeps its VPC and its zones: subnets it is moved to must be in both (the subnets' own resources say where they are).</summary>
    private static void ClusterSubnetRefusals(ResourceChange change, SnapshotResource before, SnapshotResource after, IReadOnlyDictionary<string, SnapshotResource> oldByName, IReadOnlyDictionary<string, SnapshotResource> newByName, IReadOnlyList<ResourceChange> changes, Action<Rule, string, string> add)
    {
        static IEnumerable<SnapshotResource> Subnets(SnapshotResource cluster, IReadOnlyDictionary<string, SnapshotResource> program) =>
            cluster.Properties.Where(p => p.Key.StartsWith("subnetIds[", StringComparison.Ordinal)).Select(p => ProgramSnapshot.ReferencedName(p.Value)).OfType<string>()
                .Select(program.GetValueOrDefault).OfType<SnapshotResource>();
        var oldZones = Subnets(before, oldByName).Select(s => s["availabilityZone"]).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var newZones = Subnets(after, newByName).Select(s => s["availabilityZone"]).OfType<string>().ToHashSet(StringComparer.Ordinal);
        if (oldZones.Count > 0 && newZones.Count > 0 && !newZones.SetEquals(oldZones))
        {
            add(ClusterZonesChange, change.Name, $"its subnets move from the zones {string.Join(", ", oldZones.Order(StringComparer.Ordinal))} to {string.Join(", ", newZones.Order(StringComparer.Ordinal))}; a cluster keeps the zones it was created in (a new zone needs a new cluster)");
        }

        var vpc = ProgramSnapshot.ReferencedName(after["vpcId"]);
        if (vpc is not null && changes.Any(c => c.Name == vpc && c.Action == "replace"))
        {
            add(ClusterVpcChange, change.Name, $"its VPC {vpc} is replaced while the cluster is not: its subnets would move to the new VPC");
        }
    }

    private static bool IsLoadBalancerGroup(string name) => name.StartsWith(ResourceNames.SecurityGroup("lb-"), StringComparison.Ordinal);

    private static (int Major, int Minor)? Minor(string version)
    {
        var parts = version.Split('.');
        return parts.Length >= 2 && int.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var major)
            && int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var minor)
            ? (major, minor)
            : null;
    }
}
