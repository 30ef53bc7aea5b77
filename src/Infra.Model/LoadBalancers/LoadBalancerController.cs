namespace Infra.Model.LoadBalancers;

/// <summary>Where the AWS Load Balancer Controller's Helm chart comes from, as the stack config pins it.</summary>
public sealed record LoadBalancerControllerSpec(string ChartRepository, string ChartVersion, Origin At)
{
    /// <summary>The controller's image repository; null: the region's EKS registry (<see cref="LoadBalancerController.RegionalImage"/>).</summary>
    public Located<string>? ImageRepository { get; init; }
}

/// <summary>
/// The AWS Load Balancer Controller the guide draws on the nodes ("ALB Controllers"): it creates the
/// internal ALBs from Ingresses. It runs as the `aws-load-balancer-controller` service account in
/// kube-system with an IRSA role, and its webhook listens on 9443 on its pods (the control plane
/// must reach it: <see cref="SecurityDesign.PodInterfaceGroups"/>).
/// </summary>
public static class LoadBalancerController
{
    public const string Namespace = "kube-system";
    public const string ServiceAccount = "aws-load-balancer-controller";
    public const string Chart = "aws-load-balancer-controller";
    public const int WebhookPort = 9443;

    /// <summary>
    /// The controller's image in the region's EKS registry. Chart 1.14.0 defaults to
    /// public.ecr.aws/eks/aws-load-balancer-controller (aws/eks-charts stable/aws-load-balancer-controller/
    /// values.yaml), which no VPC endpoint serves; AWS publishes the same image as
    /// amazon/aws-load-balancer-controller in its regional add-on registries (the chart's default
    /// before 1.4.7), reached through the ECR endpoints of the bootstrap phase.
    /// </summary>
    public static string? RegionalImage(string region) =>
        EksImageRegistries.Host(region) is { } host ? $"{host}/amazon/aws-load-balancer-controller" : null;

    /// <summary>The repository the controller's image is pulled from (validation refuses a region without one).</summary>
    public static string ImageOf(LoadBalancerControllerSpec controller, string region) =>
        controller.ImageRepository?.Value ?? RegionalImage(region) ?? throw new InvalidOperationException($"no EKS image registry is known for {region}");

    /// <summary>The AWS services the controller calls (kubernetes-sigs/aws-load-balancer-controller v2.14.0 pkg/aws/cloud.go,
    /// pkg/deploy): EC2 and ELB, STS for its IRSA credentials. Shield, WAF and WAFv2 are turned off in the chart values.</summary>
    public static IReadOnlyList<string> AwsServices { get; } = ["ec2", "elasticloadbalancing", "sts"];

    /// <summary>The tag the controller puts on everything it creates and scopes its mutations to.</summary>
    public const string ClusterTag = "elbv2.k8s.aws/cluster";

    private const string ElbArn = "arn:aws:elasticloadbalancing:*:*";

    private static IReadOnlyList<string> LoadBalancerAndTargetGroupArns { get; } =
        [$"{ElbArn}:targetgroup/*/*", $"{ElbArn}:loadbalancer/net/*/*", $"{ElbArn}:loadbalancer/app/*/*"];

    /// <summary>
    /// The permissions the controller calls, grouped by purpose. They follow the policy the
    /// controller's install guide ships (kubernetes-sigs/aws-load-balancer-controller v2.14,
    /// docs/install/iam_policy.json, which AWS's "Install AWS Load Balancer Controller with Helm"
    /// downloads): reads are unconditional; everything that changes or deletes a load balancer,
    /// target group or security group is limited to what carries the controller's cluster tag; the
    /// rules it adds to groups it did not create (the nodes' groups, for backend traffic) are
    /// limited to this stack's VPC.
    /// </summary>
    public static IReadOnlyList<IamStatement> Policy { get; } =
    [
        new("ElbServiceLinkedRole", ["iam:CreateServiceLinkedRole"], new IamCondition("StringEquals", "iam:AWSServiceName", ["elasticloadbalancing.amazonaws.com"])),
        new("DiscoverNetwork",
        [
            "ec2:DescribeAccountAttributes", "ec2:DescribeAddresses", "ec2:DescribeAvailabilityZones", "ec2:DescribeInternetGateways",
            "ec2:DescribeVpcs", "ec2:DescribeVpcPeeringConnections", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups",
            "ec2:DescribeInstances", "ec2:DescribeNetworkInterfaces", "ec2:DescribeTags", "ec2:DescribeRouteTables",
            "ec2:DescribeIpamPools", "ec2:DescribeCoipPools", "ec2:GetCoipPoolUsage", "ec2:GetSecurityGroupsForVpc",
        ]),
        new("DiscoverLoadBalancers",
        [
            "elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeLoadBalancerAttributes",
            "elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeListenerCertificates",
            "elasticloadbalancing:DescribeListenerAttributes", "elasticloadbalancing:DescribeSSLPolicies",
            "elasticloadbalancing:DescribeRules", "elasticloadbalancing:DescribeTargetGroups",
            "elasticloadbalancing:DescribeTargetGroupAttributes", "elasticloadbalancing:DescribeTargetHealth",
            "elasticloadbalancing:DescribeTags", "elasticloadbalancing:DescribeTrustStores",
            "elasticloadbalancing:DescribeCapacityReservation",
        ]),
        new("CertificatesAndAuthentication",
        [
            "acm:ListCertificates", "acm:DescribeCertificate", "iam:ListServerCertificates", "iam:GetServerCertificate",
            "cognito-idp:DescribeUserPoolClient",
        ]),
        new("WebAclAndShield",
        [
            "waf-regional:GetWebACL", "waf-regional:GetWebACLForResource", "waf-regional:AssociateWebACL", "waf-regional:DisassociateWebACL",
            "wafv2:GetWebACL", "wafv2:GetWebACLForResource", "wafv2:AssociateWebACL", "wafv2:DisassociateWebACL",
            "shield:GetSubscriptionState", "shield:DescribeProtection", "shield:CreateProtection", "shield:DeleteProtection",
        ]),
        // CreateSecurityGroup is authorised against the new group and against the VPC it goes in, and
        // `ec2:Vpc` is a condition key of neither for this action (Service Authorization Reference
        // for Amazon EC2, CreateSecurityGroup: security-group* with aws:RequestTag, aws:TagKeys,
        // ec2:SecurityGroupID; vpc with ec2:VpcID and resource tags): a condition on it denies every
        // call. The VPC is narrowed the documented way, by naming its ARN as the resource (VPC User
        // Guide, "Manage security groups" example policy); the group must carry the cluster tag.
        new("CreateSecurityGroupsInThisVpc", ["ec2:CreateSecurityGroup"], [IamCondition.ThisVpcArn], []),
        new("CreateTaggedSecurityGroups", ["ec2:CreateSecurityGroup"], ["arn:aws:ec2:*:*:security-group/*"],
            [new("Null", $"aws:RequestTag/{ClusterTag}", ["false"])]),
        new("TagSecurityGroupsAtCreation", ["ec2:CreateTags"], ["arn:aws:ec2:*:*:security-group/*"],
        [
            new("StringEquals", "ec2:CreateAction", ["CreateSecurityGroup"]),
            new("Null", $"aws:RequestTag/{ClusterTag}", ["false"]),
        ]),
        new("RetagOwnSecurityGroups", ["ec2:CreateTags", "ec2:DeleteTags"], ["arn:aws:ec2:*:*:security-group/*"],
        [
            new("Null", $"aws:RequestTag/{ClusterTag}", ["true"]),
            new("Null", $"aws:ResourceTag/{ClusterTag}", ["false"]),
        ]),
        new("ManageOwnSecurityGroups", ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:DeleteSecurityGroup"],
            new IamCondition("Null", $"aws:ResourceTag/{ClusterTag}", ["false"])),
        new("BackendRulesInThisVpc", ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"], ["arn:aws:ec2:*:*:security-group/*"],
            [new("ArnEquals", "ec2:Vpc", [IamCondition.ThisVpcArn])]),
        new("CreateTaggedLoadBalancers", ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"],
            new IamCondition("Null", $"aws:RequestTag/{ClusterTag}", ["false"])),
        new("TagAtCreation", ["elasticloadbalancing:AddTags"], LoadBalancerAndTargetGroupArns,
        [
            new("StringEquals", "elasticloadbalancing:CreateAction", ["CreateTargetGroup", "CreateLoadBalancer"]),
            new("Null", $"aws:RequestTag/{ClusterTag}", ["false"]),
        ]),
        new("RetagOwnLoadBalancers", ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"], LoadBalancerAndTargetGroupArns,
        [
            new("Null", $"aws:RequestTag/{ClusterTag}", ["true"]),
            new("Null", $"aws:ResourceTag/{ClusterTag}", ["false"]),
        ]),
        new("TagListenersAndRules", ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
            [$"{ElbArn}:listener/net/*/*/*", $"{ElbArn}:listener/app/*/*/*", $"{ElbArn}:listener-rule/net/*/*/*", $"{ElbArn}:listener-rule/app/*/*/*"], []),
        new("ManageOwnLoadBalancers",
        [
            "elasticloadbalancing:ModifyLoadBalancerAttributes", "elasticloadbalancing:SetIpAddressType", "elasticloadbalancing:SetSecurityGroups",
            "elasticloadbalancing:SetSubnets", "elasticloadbalancing:DeleteLoadBalancer", "elasticloadbalancing:ModifyTargetGroup",
            "elasticloadbalancing:ModifyTargetGroupAttributes", "elasticloadbalancing:DeleteTargetGroup", "elasticloadbalancing:ModifyListenerAttributes",
            "elasticloadbalancing:ModifyCapacityReservation", "elasticloadbalancing:ModifyIpPools",
        ], new IamCondition("Null", $"aws:ResourceTag/{ClusterTag}", ["false"])),
        new("RegisterTargets", ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"], [$"{ElbArn}:targetgroup/*/*"], []),
        new("ManageListenersAndRules",
        [
            "elasticloadbalancing:CreateListener", "elasticloadbalancing:DeleteListener", "elasticloadbalancing:CreateRule",
            "elasticloadbalancing:DeleteRule", "elasticloadbalancing:ModifyListener", "elasticloadbalancing:ModifyRule",
            "elasticloadbalancing:SetRulePriorities", "elasticloadbalancing:AddListenerCertificates",
            "elasticloadbalancing:RemoveListenerCertificates", "elasticloadbalancing:SetWebAcl",
        ]),
    ];

    public static ServiceAccountRole Role { get; } =
        new("load-balancer-controller", Namespace, ServiceAccount, [], Policy);
}
