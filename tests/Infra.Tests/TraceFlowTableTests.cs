using Infra.Review;
using Infra.StackConfig;
using Infra.Tests.Harness;

namespace Infra.Tests;

/// <summary>
/// `infra trace` against flows worked out by hand (issue 32): each row's verdict and target written
/// here from the guide's route tables and prose (../shared/seed/eks-traffic-flow-guide.md) or
/// AWS's and the CNI's documented behaviour, with the reason in the comment above it. Not derived
/// from the code under test: where the two disagree, the row says which source it follows.
/// </summary>
public sealed class TraceFlowTableTests
{
    private static readonly Dictionary<string, ValidatedEnvironment> Stacks = new(StringComparer.Ordinal)
    {
        ["qas"] = ValidatedEnvironment.From(StackLoader.Load(new StackSource.StackFile(Repo.Root, "qas"))),
        ["dev"] = ValidatedEnvironment.From(StackLoader.Load(new StackSource.StackFile(Repo.Root, "dev"))),
    };

    /// <summary>
    /// One flow. <paramref name="options"/>: "port=N", "udp", "fail=GATEWAY", "from-interface=KIND",
    /// "to-interface=KIND", separated by spaces. <paramref name="target"/> is the route's target
    /// leaving the source (for a source outside the VPC, the gateway it enters through).
    /// <paramref name="sentAs"/> is the interface a pod's packet leaves as after source NAT ("" for none).
    /// </summary>
    [Theory]
    // --- Section 2 of the guide, outbound: the main table (nodes and pods use it: no explicit association) ---
    // Pods' internet traffic takes the main table's 0.0.0.0/0 to aviatrix-primary (route table rtb-0af593cb336560f42),
    // and the CNI translates it to the node's address (amazon-vpc-cni-k8s: AWS_VPC_K8S_CNI_EXTERNALSNAT defaults to false).
    [InlineData("qas", "pods/us-west-2a", "8.8.8.8", "port=443", true, "aviatrix-primary", "node in nodes/us-west-2a")]
    // The same from the other zone: SNAT to the node in the pod's own zone.
    [InlineData("qas", "pods/us-west-2b", "8.8.8.8", "port=443", true, "aviatrix-primary", "node in nodes/us-west-2b")]
    // A node's own traffic is not translated: it already has its address.
    [InlineData("qas", "nodes/us-west-2a", "8.8.8.8", "port=443", true, "aviatrix-primary", "")]
    // "doTERRA Corporate" 208.75.9.40/32 -> aviatrix-primary (main table).
    [InlineData("qas", "pods/us-west-2a", "208.75.9.40", "port=443", true, "aviatrix-primary", "node in nodes/us-west-2a")]
    // "Corporate Backup Route" 208.75.11.75/32 -> aviatrix-secondary.
    [InlineData("qas", "pods/us-west-2a", "208.75.11.75", "port=443", true, "aviatrix-secondary", "node in nodes/us-west-2a")]
    // "External Partner" 64.47.4.88/32 -> aviatrix-primary.
    [InlineData("qas", "nodes/us-west-2b", "64.47.4.88", "port=443", true, "aviatrix-primary", "")]
    // RFC 1918 192.168.0.0/16 -> aviatrix-primary.
    [InlineData("qas", "nodes/us-west-2a", "192.168.10.5", "port=22", true, "aviatrix-primary", "")]
    // RFC 1918 10.0.0.0/8 -> aviatrix-primary: outside the VPC's CIDRs, so a pod's packet is translated too.
    [InlineData("qas", "pods/us-west-2a", "10.1.2.3", "port=443", true, "aviatrix-primary", "node in nodes/us-west-2a")]
    // RFC 1918 172.16.0.0/12 -> aviatrix-primary, for an address outside the service CIDR 172.20.0.0/16.
    [InlineData("qas", "pods/us-west-2a", "172.31.0.5", "port=443", true, "aviatrix-primary", "node in nodes/us-west-2a")]
    // A corporate network without a route of its own (208.75.8.0/24 in the guide's list) goes by the default route.
    [InlineData("qas", "nodes/us-west-2a", "208.75.8.10", "port=443", true, "aviatrix-primary", "")]
    // --- Sources outside the VPC enter where the return route points (a stateful appliance is symmetric) ---
    // Item 1: 208.75.8.10 is corporate (guideClaims.corporateNetworks) behind the default route: it enters through aviatrix-primary.
    [InlineData("qas", "208.75.8.10", "10.142.36.100", "", true, "aviatrix-primary", "")]
    // The corporate host with a /32 route enters through its gateway...
    [InlineData("qas", "208.75.9.40", "10.142.36.100", "", true, "aviatrix-primary", "")]
    // ...but no group on a node admits SSH from it (nodes admit the control plane, DNS from the VPC, NodePorts from load balancers, each other).
    [InlineData("qas", "208.75.9.40", "10.142.36.100", "port=22", false, "aviatrix-primary", "")]
    // The backup corporate route returns through aviatrix-secondary, to a pod in the other zone.
    [InlineData("qas", "208.75.11.75", "100.96.36.20", "", true, "aviatrix-secondary", "")]
    // RFC 1918 sources come through aviatrix-primary (192.168.0.0/16 route).
    [InlineData("qas", "192.168.1.1", "100.96.32.10", "", true, "aviatrix-primary", "")]
    // A 10.0.0.0/8 source outside the VPC, through aviatrix-primary.
    [InlineData("qas", "10.200.0.1", "nodes/us-west-2b", "", true, "aviatrix-primary", "")]
    // An internet address is in no corporate network: the nodes' default route to the gateway carries outbound traffic only.
    [InlineData("qas", "8.8.8.8", "10.142.36.100", "", false, "none", "")]
    // Item 5: the internet gateway forwards only to public addresses; nothing in the public subnets has one (no mapPublicIpOnLaunch, no Elastic IP).
    [InlineData("qas", "8.8.8.8", "10.142.39.10", "", false, "internet-gateway", "")]
    // The same for the gateway interface the stack creates there.
    [InlineData("qas", "198.51.100.7", "10.142.39.20", "port=443", false, "internet-gateway", "")]
    // And out: the gateway interface reaches no internet address through the internet gateway without one.
    [InlineData("qas", "10.142.39.20", "8.8.8.8", "", false, "internet-gateway", "")]
    // --- Section 1: load balancers (internal, in the node subnets, instance targets) ---
    // A corporate user reaches an internal load balancer: in through aviatrix-primary, listener 443 open to anywhere, NodePort, pod.
    [InlineData("qas", "208.75.8.10", "lb:crownpeak", "port=443", true, "aviatrix-primary", "")]
    // An internet user does not (the guide's prose says otherwise: internal load balancers have no public address).
    [InlineData("qas", "198.51.100.7", "lb:crownpeak", "port=443", false, "none", "")]
    // A pod calls another application's load balancer in its own zone.
    [InlineData("qas", "pods/us-west-2a", "lb:ranktracker", "port=443", true, "local", "")]
    // A load balancer's group admits its HTTPS listener only.
    [InlineData("qas", "pods/us-west-2a", "lb:po3", "port=8443", false, "local", "")]
    // --- Item 3: service addresses are rewritten by kube-proxy on the node, never routed by the VPC ---
    // The cluster DNS address (the service CIDR's .10) goes to a CoreDNS pod; nodes admit DNS from the VPC's CIDRs.
    [InlineData("qas", "pods/us-west-2a", "172.20.0.10", "port=53 udp", true, "local", "")]
    // The same over TCP from a node (hostNetwork pods, the kubelet).
    [InlineData("qas", "nodes/us-west-2b", "172.20.0.10", "port=53", true, "local", "")]
    // Any ClusterIP goes to a pod behind it; pods admit each other (node-to-node, all from the nodes group).
    [InlineData("qas", "pods/us-west-2a", "172.20.5.5", "port=8080", true, "local", "")]
    // Outside the cluster a service address means nothing: the gateway interface's table sends 172.16.0.0/12 to aviatrix-primary.
    [InlineData("qas", "10.142.39.20", "172.20.0.10", "port=53", true, "aviatrix-primary", "")]
    // --- Item 2: AWS services, by their endpoints (bootstrap.nodeEgress: vpcEndpoints) ---
    // S3 from a pod: the gateway endpoint's prefix-list route in the node subnets' table (main), after SNAT to the node.
    [InlineData("qas", "pods/us-west-2a", "service:s3", "port=443", true, "vpc-endpoint-s3", "node in nodes/us-west-2a")]
    // S3 from a node: the same route.
    [InlineData("qas", "nodes/us-west-2b", "service:s3", "port=443", true, "vpc-endpoint-s3", "")]
    // STS resolves by private DNS to its interface endpoint in the node subnet: local, and the endpoints' group admits 443 from the VPC.
    [InlineData("qas", "nodes/us-west-2a", "service:sts", "port=443", true, "local", "")]
    // ECR's API from a pod: the endpoint group admits the secondary CIDR as well; no SNAT inside the VPC.
    [InlineData("qas", "pods/us-west-2b", "service:ecr.api", "port=443", true, "local", "")]
    // The endpoints' group admits HTTPS only.
    [InlineData("qas", "nodes/us-west-2a", "service:sts", "port=80", false, "local", "")]
    // DynamoDB has no endpoint in the stack: its public addresses take the default route, to aviatrix-primary.
    [InlineData("qas", "pods/us-west-2a", "service:dynamodb", "port=443", true, "aviatrix-primary", "node in nodes/us-west-2a")]
    // The public subnets' table has no S3 endpoint route: the default route to the internet gateway, and no public address.
    [InlineData("qas", "public/us-west-2a", "service:s3", "port=443", false, "internet-gateway", "")]
    // --- Section 3 and 4: inside the VPC ---
    // Node to node's kubelet: local, node-to-node.
    [InlineData("qas", "nodes/us-west-2a", "10.142.37.20", "port=10250", true, "local", "")]
    // The control plane calls the load balancer controller's webhook on a pod (9443).
    [InlineData("qas", "10.142.36.10", "100.96.32.10", "port=9443 from-interface=control-plane", true, "local", "")]
    // Nodes call the API server on the control plane's interfaces (cluster group: 443 from the nodes group).
    [InlineData("qas", "nodes/us-west-2a", "10.142.36.10", "port=443 to-interface=control-plane", true, "local", "")]
    // Pod to pod across zones (section 4): local, no translation inside the VPC.
    [InlineData("qas", "pods/us-west-2a", "pods/us-west-2b", "port=8080", true, "local", "")]
    // Inside the VPC's CIDR but in no subnet: the local route matches, nothing is there.
    [InlineData("qas", "nodes/us-west-2a", "10.142.38.5", "", false, "local", "")]
    // --- Gateway failure: AWS does not fall back to a less specific route ---
    // The default route to a failed aviatrix-primary is a blackhole.
    [InlineData("qas", "pods/us-west-2a", "8.8.8.8", "fail=aviatrix-primary", false, "none", "node in nodes/us-west-2a")]
    // The backup corporate route to aviatrix-secondary survives it.
    [InlineData("qas", "pods/us-west-2a", "208.75.11.75", "fail=aviatrix-primary", true, "aviatrix-secondary", "node in nodes/us-west-2a")]
    // A corporate source whose return route targets the failed gateway has no way in.
    [InlineData("qas", "208.75.9.40", "10.142.36.100", "fail=aviatrix-primary", false, "aviatrix-primary", "")]
    // --- dev: a NAT gateway, whose Elastic IP the internet gateway translates to ---
    // Pods reach the internet through the NAT gateway (main: 0.0.0.0/0 -> nat-gateway), after SNAT to the node.
    [InlineData("dev", "pods/us-east-1a", "8.8.8.8", "port=443", true, "nat-gateway", "node in nodes/us-east-1a")]
    // Corporate 10.0.0.0/8 goes to the transit appliance.
    [InlineData("dev", "nodes/us-east-1b", "10.5.5.5", "port=443", true, "transit", "")]
    // A host in a public subnet without a public address does not reach the internet.
    [InlineData("dev", "public/us-east-1b", "8.8.8.8", "", false, "internet-gateway", "")]
    // Without endpoints, S3 goes by the default route, the NAT gateway.
    [InlineData("dev", "pods/us-east-1a", "service:s3", "port=443", true, "nat-gateway", "node in nodes/us-east-1a")]
    // The internet does not enter a private subnet whose default route is a NAT gateway.
    [InlineData("dev", "8.8.8.8", "10.150.0.10", "", false, "none", "")]
    public void A_flow_worked_out_by_hand_traces_as_expected(string stack, string from, string to, string options, bool delivered, string target, string sentAs)
    {
        var option = options.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(o => o.Split('=')[0], o => o.Contains('=', StringComparison.Ordinal) ? o.Split('=')[1] : "", StringComparer.Ordinal);
        var result = Trace.Run(
            Stacks[stack],
            from,
            to,
            option.GetValueOrDefault("fail"),
            option.TryGetValue("port", out var port) ? int.Parse(port, System.Globalization.CultureInfo.InvariantCulture) : null,
            option.ContainsKey("udp") ? IpProtocol.Udp : IpProtocol.Tcp,
            option.GetValueOrDefault("from-interface"),
            option.GetValueOrDefault("to-interface"));
        var why = string.Join("\n", result.Path.Select(h => $"{h.Step}: {h.Detail}")) + "\n" + Trace.ResultLine(result);
        Assert.True(delivered == result.Delivered, why);
        Assert.True(target == result.Target, $"target {result.Target}, expected {target}\n{why}");
        Assert.True((sentAs.Length == 0 ? null : sentAs) == result.SentAs, $"sent as {result.SentAs ?? "(itself)"}, expected {sentAs}\n{why}");
    }
}
