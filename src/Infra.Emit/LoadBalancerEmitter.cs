namespace Infra.Emit;

/// <summary>The load balancers concern: the AWS Load Balancer Controller and what each application's Ingress needs.</summary>
internal static class LoadBalancerEmitter
{
    /// <summary>
    /// The controller as its Helm release (Pulumi YAML refuses the Helm Chart types: pulumi-yaml
    /// v1.38.1, pkg/pulumiyaml/packages.go, helmResourceNames), installed once nodes exist to run it,
    /// with the cluster name, region and VPC id it would otherwise look up from instance metadata.
    /// </summary>
    public static void EmitController(ValidatedEnvironment env, LoadBalancerControllerSpec controller, IReadOnlyList<string> nodeGroups, ProgramContext program)
    {
        var role = LoadBalancerController.Role;
        var roleResources = SecurityEmitter.EmitServiceAccountRole(env, role, program);
        program.Resource(
            ResourceNames.LoadBalancerController,
            ResourceTypes.HelmRelease,
            P.Map(
                ("name", P.Text(LoadBalancerController.Chart)),
                ("chart", P.Text(LoadBalancerController.Chart)),
                ("version", P.Text(controller.ChartVersion)),
                ("namespace", P.Text(role.Namespace)),
                ("repositoryOpts", P.Map(("repo", P.Text(controller.ChartRepository)))),
                ("values", P.Map(
                    ("clusterName", P.Ref(ResourceNames.Cluster, "eksCluster.name")),
                    ("region", P.Text(env.Network.Region)),
                    ("vpcId", P.Ref(ResourceNames.Vpc, "id")),
                    // The chart's public.ecr.aws default is out of reach through the VPC endpoints.
                    ("image", P.Map(("repository", P.Text(LoadBalancerController.ImageOf(controller, env.Network.Region))))),
                    // The controller calls Shield on every deploy while these are on (its default);
                    // no VPC endpoint serves Shield or WAF, and the guide uses neither.
                    ("enableShield", P.Bool(false)),
                    ("enableWaf", P.Bool(false)),
                    ("enableWafv2", P.Bool(false)),
                    ("serviceAccount", P.Map(
                        ("create", P.Bool(true)),
                        ("name", P.Text(role.ServiceAccount)),
                        ("annotations", P.Map(("eks.amazonaws.com/role-arn", P.Ref(ResourceNames.ServiceAccountRole(role.Key), "arn"))))))))),
            dependsOn: [.. nodeGroups, .. roleResources],
            provider: ResourceNames.KubernetesProvider);
    }

    /// <summary>Each application's load balancer group id and, with the controller, its Ingress annotations and the controller's role.</summary>
    public static void EmitOutputs(ClusterDesign design, IReadOnlyList<SecurityGroupDesign> groups, ProgramContext program)
    {
        program.Output("loadBalancerSecurityGroupIds", P.Map(groups
            .Where(g => g.Role == SecurityGroupRole.LoadBalancer)
            .Select(g => (g.Name, (PValue?)P.Ref(ResourceNames.SecurityGroup(g.Name), "id")))));
        if (design.LoadBalancerController is not null)
        {
            // What an application's Ingress carries so the controller builds its internal ALB with
            // the application's own security group, targeting NodePorts (which the EKS-created
            // cluster group admits from every load balancer group; see SecurityDesign).
            program.Output("ingressAnnotations", P.Map(design.Applications
                .OrderBy(app => app.Name, StringComparer.Ordinal)
                .Select(app => (app.Name, (PValue?)P.Map(
                    ("alb.ingress.kubernetes.io/scheme", P.Text(LoadBalancedApp.Scheme)),
                    ("alb.ingress.kubernetes.io/target-type", P.Text(app.TargetTypeAnnotation)),
                    ("alb.ingress.kubernetes.io/security-groups", P.Ref(ResourceNames.SecurityGroup(SecurityDesign.LoadBalancerGroup(app.Name)), "id")),
                    // The only listener the group admits (the controller's default is HTTP:80).
                    ("alb.ingress.kubernetes.io/listen-ports", P.Text($"[{{\"HTTPS\":{LoadBalancedApp.ListenerPort}}}]")),
                    ("alb.ingress.kubernetes.io/certificate-arn", app.CertificateArn is { } certificate ? P.Config(certificate) : null),
                    // With its own groups given, the controller leaves the nodes' groups alone; the
                    // stack's NodePort rules admit the load balancer (SecurityDesign.NodePortFrom).
                    ("alb.ingress.kubernetes.io/manage-backend-security-group-rules", P.Text("false")))))));
            program.Output("loadBalancerControllerRoleArn", P.Ref(ResourceNames.ServiceAccountRole(LoadBalancerController.Role.Key), "arn"));
        }
    }
}

/// <summary>The names of what <see cref="LoadBalancerEmitter"/> emits (the naming rule: <see cref="ResourceNames"/>).</summary>
public static partial class ResourceNames
{
    public const string LoadBalancerController = "load-balancer-controller";
}
