namespace Infra.Emit;

/// <summary>The security concern: security groups and their rules (the cluster's, the gateway interfaces', the VPC endpoints'), and the IAM roles of the nodes and of service accounts.</summary>
internal static class SecurityEmitter
{
    /// <summary>A group's id: a resource of ours, or the group EKS created with the cluster.</summary>
    public static PString GroupId(SecurityGroupDesign group) => group.Role == SecurityGroupRole.EksManaged
        ? P.Ref(ResourceNames.Cluster, "eksCluster.vpcConfig.clusterSecurityGroupId")
        : P.Ref(ResourceNames.SecurityGroup(group.Name), "id");

    /// <summary>Every group with its rules as separate rule resources (never inline: the two fight).</summary>
    public static void EmitGroups(ValidatedEnvironment env, IReadOnlyList<SecurityGroupDesign> groups, ProgramContext program)
    {
        var groupIds = groups.ToDictionary(g => g.Name, GroupId, StringComparer.Ordinal);
        foreach (var group in groups)
        {
            if (group.Role == SecurityGroupRole.EksManaged)
            {
                // EKS owns this group; only a tag recording which original group it replicates is ours.
                if (group.ReplicaOf is { } replicaOf)
                {
                    program.Resource(ResourceNames.SecurityGroupTag(group.Name), ResourceTypes.Tag, P.Map(
                        ("resourceId", groupIds[group.Name]),
                        ("key", P.Text("ReplicaOf")),
                        ("value", P.Text(replicaOf))));
                }

                continue;
            }

            program.Resource(ResourceNames.SecurityGroup(group.Name), ResourceTypes.SecurityGroup, P.Map(
                ("vpcId", P.Ref(ResourceNames.Vpc, "id")),
                ("description", P.Text(group.Description)),
                ("tags", Tags.For(env, $"{env.Prefix}-{group.Name}", group.ReplicaOf))));
        }

        foreach (var group in groups)
        {
            foreach (var rule in group.Rules.Where(r => !r.CreatedByEks))
            {
                var type = rule.Direction == TrafficDirection.Ingress ? ResourceTypes.SecurityGroupIngressRule : ResourceTypes.SecurityGroupEgressRule;
                // For ICMP the ports are the type and code (-1: any), as aws:vpc:SecurityGroupIngressRule takes them.
                program.Resource(ResourceNames.SecurityGroupRule(group.Name, rule.Name), type, P.Map(
                    ("securityGroupId", groupIds[group.Name]),
                    ("description", rule.Description.Length == 0 ? null : P.Text(rule.Description)),
                    ("ipProtocol", P.Text(rule.Protocol.Ec2Name())),
                    ("fromPort", rule.Protocol == IpProtocol.All ? null : P.Number(rule.FromPort)),
                    ("toPort", rule.Protocol == IpProtocol.All ? null : P.Number(rule.ToPort)),
                    ("cidrIpv4", rule.Peer.Cidr is { } cidr ? P.Text(cidr.ToString()) : null),
                    ("cidrIpv6", rule.Peer.Ipv6Cidr is { } ipv6 ? P.Text(ipv6) : null),
                    ("prefixListId", rule.Peer.PrefixListId is { } list ? P.Text(list) : null),
                    ("referencedSecurityGroupId", rule.Peer.GroupName is { } peer ? groupIds[peer] : rule.Peer.GroupId is { } id ? P.Text(id) : null)));
            }
        }
    }

    /// <summary>
    /// AWS-managed policies an EKS node needs to join and pull images; the VPC CNI's permissions are
    /// on its own IRSA role (<see cref="VpcCni.Role"/>), not on the node.
    /// </summary>
    public static readonly (string Key, string Arn)[] NodePolicies =
    [
        ("worker", "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy"),
        ("registry", "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly"),
        // Session Manager instead of SSH (EKS best practices, "Minimize access to worker nodes");
        // the AL2023 EKS AMIs ship the SSM agent.
        ("ssm", "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"),
    ];

    /// <summary>
    /// An IAM role that only the given service account of this cluster can assume, through the
    /// cluster's OIDC provider (EKS User Guide, "Assign IAM roles to Kubernetes service accounts":
    /// the trust policy's `sub` and `aud` conditions on the issuer). Returns the names of the role
    /// and its policies, which whatever runs as the account must wait for.
    /// </summary>
    public static IReadOnlyList<string> EmitServiceAccountRole(ValidatedEnvironment env, ServiceAccountRole role, ProgramContext program)
    {
        var name = ResourceNames.ServiceAccountRole(role.Key);
        var issuer = P.Ref(ResourceNames.Cluster, "oidcIssuer");
        // Condition keys name the issuer; Pulumi YAML evaluates object keys as expressions
        // (pulumi-yaml v1.38.1, pkg/pulumiyaml/run.go, evaluateObject), so the key is interpolated.
        program.Resource(name, ResourceTypes.IamRole, P.Map(
            ("assumeRolePolicy", P.ToJson(P.Map(
                ("Version", P.Text("2012-10-17")),
                ("Statement", P.List(P.Map(
                    ("Effect", P.Text("Allow")),
                    ("Principal", P.Map(("Federated", P.Ref(ResourceNames.Cluster, "oidcProviderArn")))),
                    ("Action", P.Text("sts:AssumeRoleWithWebIdentity")),
                    ("Condition", P.Map(("StringEquals", P.Map(
                        (P.Concat(issuer, P.Text(":sub")).Value, P.Text(role.Subject)),
                        (P.Concat(issuer, P.Text(":aud")).Value, P.Text("sts.amazonaws.com")))))))))))),
            ("tags", Tags.For(env, $"{env.Prefix}-{role.Key}", null))));
        var names = new List<string> { name };
        foreach (var arn in role.ManagedPolicyArns)
        {
            var attachment = ResourceNames.ServiceAccountRolePolicy(role.Key, arn.Split('/')[^1]);
            program.Resource(attachment, ResourceTypes.IamRolePolicyAttachment, P.Map(
                ("role", P.Ref(name, "name")),
                ("policyArn", P.Text(arn))));
            names.Add(attachment);
        }

        if (role.InlineStatements.Count > 0)
        {
            var inline = ResourceNames.ServiceAccountRolePolicy(role.Key, "inline");
            program.Resource(inline, ResourceTypes.IamRolePolicy, P.Map(
                ("role", P.Ref(name, "name")),
                ("policy", P.ToJson(P.Map(
                    ("Version", P.Text("2012-10-17")),
                    ("Statement", P.List(role.InlineStatements.Select(PolicyStatement))))))));
            names.Add(inline);
        }

        return names;
    }

    private static PValue PolicyStatement(IamStatement statement)
    {
        static PValue OneOrMany(IReadOnlyList<string> values) =>
            values.Count == 1 ? Value(values[0]) : P.List(values.Select(Value));

        static PValue Value(string value) =>
            value == IamCondition.ThisVpcArn ? P.Ref(ResourceNames.Vpc, "arn") : P.Text(value);

        return P.Map(
            ("Sid", P.Text(statement.Sid)),
            ("Effect", P.Text("Allow")),
            ("Action", OneOrMany(statement.Actions)),
            ("Resource", OneOrMany(statement.Resources)),
            ("Condition", statement.Conditions.Count == 0 ? null : P.Map(statement.Conditions
                .GroupBy(c => c.Operator, StringComparer.Ordinal)
                .Select(g => (g.Key, (PValue?)P.Map(g.Select(c => (c.Key, (PValue?)OneOrMany(c.Values)))))))));
    }

    public static void EmitNodeRole(ValidatedEnvironment env, ProgramContext program) =>
        EmitServiceRole(env, program, ResourceNames.NodeRole, "ec2.amazonaws.com", $"{env.Prefix}-node-role",
            [.. NodePolicies.Select(p => (ResourceNames.NodeRolePolicy(p.Key), p.Arn))]);

    /// <summary>An IAM role only the given AWS service may assume, with its managed policies attached.</summary>
    public static void EmitServiceRole(ValidatedEnvironment env, ProgramContext program, string name, string service, string tagName, IReadOnlyList<(string Name, string Arn)> policies)
    {
        program.Resource(name, ResourceTypes.IamRole, P.Map(
            ("assumeRolePolicy", P.ToJson(P.Map(
                ("Version", P.Text("2012-10-17")),
                ("Statement", P.List(P.Map(
                    ("Effect", P.Text("Allow")),
                    ("Principal", P.Map(("Service", P.Text(service)))),
                    ("Action", P.Text("sts:AssumeRole")))))))),
            ("tags", Tags.For(env, tagName, null))));
        foreach (var (attachment, arn) in policies)
        {
            program.Resource(attachment, ResourceTypes.IamRolePolicyAttachment, P.Map(
                ("role", P.Ref(name, "name")),
                ("policyArn", P.Text(arn))));
        }
    }

    /// <summary>
    /// The cluster's own IAM role (instead of the one the eks component would create inside itself),
    /// so that the secrets key's policy can name it before the cluster exists.
    /// </summary>
    public static void EmitClusterRole(ValidatedEnvironment env, ProgramContext program) =>
        EmitServiceRole(env, program, ResourceNames.ClusterRole, "eks.amazonaws.com", $"{env.Prefix}-cluster-role",
            [(ResourceNames.ClusterRolePolicy, "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy")]);

    /// <summary>
    /// A customer-managed key for Kubernetes secrets (EKS User Guide, "Encrypt Kubernetes secrets
    /// with KMS on existing clusters"): rotation on; the account administers it (without that, KMS
    /// refuses a policy that would lock everyone out) and the cluster role uses it, with the grants
    /// EKS creates for itself. Returns the value for the cluster's encryptionConfigKeyArn.
    /// </summary>
    public static PValue EmitSecretsKey(ValidatedEnvironment env, ProgramContext program)
    {
        var cluster = env.Spec.Cluster!.Cluster;
        if (cluster.SecretsKeyArn is { } given)
        {
            return P.Text(given.Value);
        }

        var (function, package) = FunctionTypes.GetCallerIdentity;
        program.Variable(ResourceNames.CallerIdentity, P.Invoke(function, P.Map(), package.Version, "accountId"));
        program.Resource(ResourceNames.SecretsKey, ResourceTypes.KmsKey, P.Map(
            ("description", P.Text($"Kubernetes secrets of {cluster.Name}")),
            ("enableKeyRotation", P.Bool(true)),
            ("deletionWindowInDays", P.Number(30)),
            ("policy", P.ToJson(P.Map(
                ("Version", P.Text("2012-10-17")),
                ("Statement", P.List(
                    P.Map(
                        ("Sid", P.Text("AccountAdministersTheKey")),
                        ("Effect", P.Text("Allow")),
                        ("Principal", P.Map(("AWS", P.Concat(P.Text("arn:aws:iam::"), P.Ref(ResourceNames.CallerIdentity), P.Text(":root"))))),
                        ("Action", P.Text("kms:*")),
                        ("Resource", P.Text("*"))),
                    P.Map(
                        ("Sid", P.Text("ClusterRoleEncryptsSecrets")),
                        ("Effect", P.Text("Allow")),
                        ("Principal", P.Map(("AWS", P.Ref(ResourceNames.ClusterRole, "arn")))),
                        ("Action", P.List(P.Text("kms:Encrypt"), P.Text("kms:Decrypt"), P.Text("kms:DescribeKey"), P.Text("kms:CreateGrant"), P.Text("kms:ListGrants"))),
                        ("Resource", P.Text("*")))))))),
            ("tags", Tags.For(env, $"{cluster.Name}-secrets", null))));
        return P.Ref(ResourceNames.SecretsKey, "arn");
    }
}

/// <summary>The names of what <see cref="SecurityEmitter"/> emits (the naming rule: <see cref="ResourceNames"/>).</summary>
public static partial class ResourceNames
{
    public static string SecurityGroup(string group) => Of("security-group", group);

    public static string SecurityGroupRule(string group, string rule) => Of("security-group-rule", group, rule);

    public static string SecurityGroupTag(string group) => Of("security-group-tag", group);

    public const string NodeRole = "node-role";

    public static string NodeRolePolicy(string policy) => $"node-role-{policy}";

    public const string ClusterRole = "cluster-role";

    public const string ClusterRolePolicy = "cluster-role-eks";

    public static string ServiceAccountRole(string key) => Of("irsa-role", key);

    public static string ServiceAccountRolePolicy(string key, string policy) => Of("irsa-role-policy", key, policy);

    public const string SecretsKey = "secrets-kms-key";

    public const string CallerIdentity = "caller-identity";
}
