using System.Text.Json.Nodes;
using Amazon.EC2;
using Amazon.EC2.Model;
using Infra.Tests.Harness;

namespace Infra.Tests;

/// <summary>One emulator for the class; each test seeds its own VPC in it.</summary>
public sealed class MotoFixture : IDisposable
{
    private readonly Lazy<MotoServer> _server = new(() =>
    {
        // The SDK's credential chain reads these, as it would a user's; the emulator accepts any.
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "testing");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "testing");
        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
        return MotoServer.Start();
    });

    public MotoServer Server => _server.Value;

    public void Dispose()
    {
        if (_server.IsValueCreated)
        {
            _server.Value.Dispose();
        }
    }
}

/// <summary>
/// Issue 21: `infra discover` and `infra drift` against the EC2 API as moto emulates it, seeded
/// with the guide's qas environment from the shipped stack file.
/// </summary>
public sealed class DiscoveryTests(MotoFixture moto) : IClassFixture<MotoFixture>
{
    /// <summary>A scratch project: Pulumi.yaml and the schema, as a user's checkout has them.</summary>
    private static string ScratchProject() => DiscoveryProject.Create();

    /// <summary>`aws eks describe-cluster` / `describe-nodegroup` output for the shipped qas cluster, as AWS prints it.</summary>
    private static (string Cluster, string NodeGroup) EksFiles(string dir, string version = "1.33", string release = "1.33.5-20251217")
    {
        var cluster = Path.Combine(dir, "cluster.json");
        File.WriteAllText(cluster, """
            {"cluster": {"name": "leadertools-qas", "version": "VERSION", "endpoint": "https://F1DF92535C71913009EBF4096328D6A1.gr7.us-west-2.eks.amazonaws.com",
              "resourcesVpcConfig": {"endpointPublicAccess": true, "endpointPrivateAccess": true, "publicAccessCidrs": ["0.0.0.0/0"], "clusterSecurityGroupId": "sg-0da734f201fa4ca64"},
              "kubernetesNetworkConfig": {"serviceIpv4Cidr": "172.20.0.0/16", "ipFamily": "ipv4"},
              "logging": {"clusterLogging": [{"types": ["api", "audit", "authenticator"], "enabled": true}, {"types": ["controllerManager", "scheduler"], "enabled": false}]}}}
            """.Replace("VERSION", version, StringComparison.Ordinal));
        var nodeGroup = Path.Combine(dir, "nodegroup.json");
        File.WriteAllText(nodeGroup, """
            {"nodegroup": {"nodegroupName": "leadertools-qas-nodes", "instanceTypes": ["t3.medium"], "releaseVersion": "RELEASE",
              "scalingConfig": {"minSize": 2, "maxSize": 6, "desiredSize": 2}, "diskSize": 20, "amiType": "AL2023_x86_64_STANDARD",
              "labels": {"team": "platform"}, "taints": [{"key": "dedicated", "value": "ops", "effect": "NO_SCHEDULE"}]}}
            """.Replace("RELEASE", release, StringComparison.Ordinal));
        return (cluster, nodeGroup);
    }

    /// <summary>The compiler script as a user runs it, in its own process with the environment adjusted (credentials are process-wide).</summary>
    private static Infra.Review.ProcessResult Wrapper(string[] args, Action<IDictionary<string, string?>> environment) =>
        Infra.Review.ProcessRunner.Run(Repo.Path("infra", "pulumi-compiler"), Repo.Root, args, TimeSpan.FromMinutes(10), start => environment(start.Environment));

    private CompilerResult Discover(LiveQas live, string dir, params string[] more) =>
        InfraCli.Run(["discover", "--region", "us-west-2", "--vpc-id", live.VpcId, "--endpoint-url", moto.Server.Endpoint, "--dir", dir, .. more]);

    /// <summary>The network the program builds: every EC2 resource but the security groups and launch template the discovered stack cannot know.</summary>
    private static Dictionary<string, IReadOnlyDictionary<string, string>> Network(string program) =>
        Infra.Review.ProgramSnapshot.Parse(program, "program").Resources
            .Where(r => r.Type.StartsWith("aws:ec2:", StringComparison.Ordinal) && r.Type is not ("aws:ec2:SecurityGroup" or "aws:ec2:SecurityGroupRule" or "aws:ec2:LaunchTemplate")
                && !r.Type.StartsWith("aws:vpc:", StringComparison.Ordinal))
            .ToDictionary(r => $"{r.Type} {r.Name}", r => (IReadOnlyDictionary<string, string>)r.Properties
                .Where(p => !p.Key.EndsWith("ReplicaOf", StringComparison.Ordinal))
                .ToDictionary(p => p.Key, p => p.Value), StringComparer.Ordinal);

    /// <summary>Several describe-nodegroup outputs become nodeGroups, each keyed by its own name, a pinned minor kept; the file compiles.</summary>
    [NeedsMotoFact]
    public async Task Discover_writes_several_node_groups_under_node_groups()
    {
        using var ec2 = moto.Server.Client();
        var live = await LiveQas.SeedAsync(ec2);
        var dir = ScratchProject();
        var (cluster, nodeGroup) = EksFiles(dir);
        var older = Path.Combine(dir, "nodegroup-old.json");
        File.WriteAllText(older, """
            {"nodegroup": {"nodegroupName": "Old_Nodes", "version": "1.32", "instanceTypes": ["m5.large"], "releaseVersion": "1.32.9-20251217",
              "scalingConfig": {"minSize": 1, "maxSize": 2, "desiredSize": 1}}}
            """);
        var result = Discover(live, dir, "--stack", "qas", "--eks", cluster, nodeGroup, older);
        Assert.True(result.ExitCode == 0, result.Stderr);
        var text = File.ReadAllText(Path.Combine(dir, "Pulumi.qas.yaml"));
        // Keys fit a node group name (20 characters): leadertools-qas-nodes is cut to leadertools-qas-node.
        Assert.Contains("  leadertools:nodeGroups:\n    old-nodes: # Old_Nodes\n      instanceTypes: [m5.large]", text, StringComparison.Ordinal);
        Assert.Contains("    leadertools-qas-node: # leadertools-qas-nodes\n      instanceTypes: [t3.medium]", text, StringComparison.Ordinal);
        Assert.Contains("      kubernetesVersion: \"1.32\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("leadertools:nodeGroup:", text, StringComparison.Ordinal);
        var compiled = InfraCli.Run("compile", "--stack", "qas", "--dir", dir);
        Assert.True(compiled.ExitCode == 0, compiled.Stderr);
        Assert.Contains("node-group--old-nodes:", compiled.Stdout, StringComparison.Ordinal);
    }

    [NeedsMotoFact]
    public async Task Discover_writes_a_stack_file_that_compiles_to_the_shipped_qas_network()
    {
        using var ec2 = moto.Server.Client();
        var live = await LiveQas.SeedAsync(ec2);
        var dir = ScratchProject();
        var (cluster, nodeGroup) = EksFiles(dir);
        // Named as the stack it replicates: names and tags derive from the stack's name.
        var result = Discover(live, dir, "--stack", "qas", "--eks", cluster, nodeGroup);
        Assert.True(result.ExitCode == 0, result.Stderr);
        var text = File.ReadAllText(Path.Combine(dir, "Pulumi.qas.yaml"));

        // Every field of the EKS outputs the stack can hold is written; the others are named (issue 29, item 3).
        Assert.Contains("    logTypes: [api, audit, authenticator]\n", text, StringComparison.Ordinal);
        Assert.Contains("    rootVolume: { sizeGiB: 20 }\n", text, StringComparison.Ordinal);
        Assert.Contains("# not in the stack format, left out: labels team=platform", text, StringComparison.Ordinal);
        Assert.Contains("# not in the stack format, left out: taints dedicated=ops:NO_SCHEDULE", text, StringComparison.Ordinal);
        Assert.Contains(result.Stderr.Split('\n'), l => l.Contains("EKS node group settings", StringComparison.Ordinal) && l.Contains("2 left out", StringComparison.Ordinal));

        // Every original id the emulator gave is recorded as replicaOf.
        foreach (var id in live.ByName.Where(kv => !kv.Key.StartsWith("sg:", StringComparison.Ordinal)).Select(kv => kv.Value).Append(live.VpcId))
        {
            Assert.Contains($"replicaOf: {id}", text, StringComparison.Ordinal);
        }

        // The same network as the shipped stack's program, except what the guide leaves out and
        // the emulator renames, listed here: ReplicaOf tags (the emulator's ids; the guide truncates
        // the node subnets' ids), and the route purposes (AWS keeps no description of a route; the
        // program does not carry them).
        var compiled = InfraCli.Run("compile", "--stack", "qas", "--dir", dir);
        Assert.True(compiled.ExitCode == 0, compiled.Stderr);
        var shipped = Network(TestStacks.Program("qas"));
        var discovered = Network(compiled.Stdout);
        Assert.Equal(shipped.Keys.Order(StringComparer.Ordinal), discovered.Keys.Order(StringComparer.Ordinal));
        foreach (var (resource, properties) in shipped)
        {
            Assert.True(properties.OrderBy(p => p.Key, StringComparer.Ordinal).SequenceEqual(discovered[resource].OrderBy(p => p.Key, StringComparer.Ordinal)),
                $"{resource} differs: shipped {string.Join(", ", properties.Except(discovered[resource]))}; discovered {string.Join(", ", discovered[resource].Except(properties))}");
        }

        Assert.Equal(0, InfraCli.Run("check", "--stack", "qas", "--dir", dir).ExitCode);
        Assert.Equal(0, InfraCli.Run("plan", "--stack", "qas", "--dir", dir).ExitCode);
    }

    /// <summary>
    /// An older cluster (issue 29, item 3): 1.32, in extended support on the day asked, is written
    /// and compiles, with check's INFRA014 warning; 1.30, which EKS no longer creates, is refused by
    /// the compiler's own rule, named, and no file is written.
    /// </summary>
    [NeedsMotoFact]
    public async Task An_older_cluster_is_written_with_its_support_warning_and_one_eks_no_longer_creates_is_named()
    {
        using var ec2 = moto.Server.Client();
        var live = await LiveQas.SeedAsync(ec2);
        var dir = ScratchProject();
        var (cluster, nodeGroup) = EksFiles(dir, "1.32", "1.32.9-20251217");
        var result = Discover(live, dir, "--stack", "qas", "--eks", cluster, nodeGroup);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("    kubernetesVersion: \"1.32\"\n", File.ReadAllText(Path.Combine(dir, "Pulumi.qas.yaml")), StringComparison.Ordinal);
        var check = InfraCli.Run("check", "--stack", "qas", "--dir", dir, "--as-of", "2026-12-06");
        Assert.True(check.ExitCode == 0, check.Stdout + check.Stderr);
        Assert.Contains("INFRA014", check.Stdout, StringComparison.Ordinal);

        var gone = ScratchProject();
        var (oldCluster, oldNodeGroup) = EksFiles(gone, "1.30", "1.30.14-20251217");
        var refused = Discover(live, gone, "--stack", "qas", "--eks", oldCluster, oldNodeGroup);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("leadertools:cluster.kubernetesVersion = 1.30: EKS creates clusters with", refused.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(gone, "Pulumi.qas.yaml")));
    }

    [NeedsMotoFact]
    public async Task Discover_says_what_it_inferred_is_deterministic_and_never_overwrites_unasked()
    {
        using var ec2 = moto.Server.Client();
        var live = await LiveQas.SeedAsync(ec2);
        var dir = ScratchProject();
        var first = Discover(live, dir);
        Assert.Equal(0, first.ExitCode);
        Assert.Equal(first.Stdout, Discover(live, dir).Stdout);
        Assert.Contains($"{{ cidr: 100.96.32.0/22, replicaOf: {live.ByName["pods/us-west-2a"]} }} # inferred: in the secondary CIDR 100.96.32.0/21", first.Stdout, StringComparison.Ordinal);
        Assert.Contains("# inferred: tagged kubernetes.io/role/elb", first.Stdout, StringComparison.Ordinal);

        Assert.Equal(0, Discover(live, dir, "--stack", "copy").ExitCode);
        var again = Discover(live, dir, "--stack", "copy");
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("--stack = copy: Pulumi.copy.yaml exists: give --force to overwrite it", again.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, Discover(live, dir, "--stack", "copy", "--force").ExitCode);
    }

    [NeedsMotoFact]
    public async Task A_vpc_with_three_zones_is_discovered_with_three()
    {
        using var ec2 = moto.Server.Client();
        var live = await LiveQas.SeedAsync(ec2);
        await ec2.CreateSubnetAsync(new CreateSubnetRequest { VpcId = live.VpcId, CidrBlock = "10.142.38.0/24", AvailabilityZone = "us-west-2c" });
        var result = Discover(live, ScratchProject());
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("    - us-west-2c\n", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("us-west-2c: { cidr: 10.142.38.0/24", result.Stdout, StringComparison.Ordinal);
    }

    [NeedsMotoFact]
    public async Task A_route_to_an_instance_of_another_vpc_is_one_clear_message()
    {
        using var ec2 = moto.Server.Client();
        var live = await LiveQas.SeedAsync(ec2);
        var other = (await ec2.CreateVpcAsync(new CreateVpcRequest { CidrBlock = "10.200.0.0/16" })).Vpc.VpcId;
        var subnet = (await ec2.CreateSubnetAsync(new CreateSubnetRequest { VpcId = other, CidrBlock = "10.200.0.0/24", AvailabilityZone = "us-west-2a" })).Subnet.SubnetId;
        var image = await LiveQas.AnyImageAsync(ec2);
        var stranger = (await ec2.RunInstancesAsync(new RunInstancesRequest { ImageId = image, MinCount = 1, MaxCount = 1, SubnetId = subnet })).Reservation.Instances[0].InstanceId;
        await ec2.CreateRouteAsync(new CreateRouteRequest { RouteTableId = live.ByName["main"], DestinationCidrBlock = "10.250.0.0/16", InstanceId = stranger });
        var result = Discover(live, ScratchProject());
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Contains($"route target = {stranger}: lives in {other}, not in {live.VpcId}", result.Stderr, StringComparison.Ordinal);
    }

    [NeedsMotoFact]
    public void An_unknown_vpc_is_one_clear_message()
    {
        var result = InfraCli.Run("discover", "--region", "us-west-2", "--vpc-id", "vpc-0123456789abcdef0", "--endpoint-url", moto.Server.Endpoint);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Contains("--vpc-id = vpc-0123456789abcdef0: no such VPC", result.Stderr, StringComparison.Ordinal);
    }

    [NeedsMotoFact]
    public void Drift_against_a_vpc_that_is_gone_names_the_stack_files_key()
    {
        var dir = ScratchProject();
        var text = File.ReadAllText(Repo.Path("Pulumi.qas.yaml"))
            .Replace("    name: leadertools-qas-vpc\n", "    name: leadertools-qas-vpc\n    replicaOf: vpc-0123456789abcdef0\n", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(dir, "Pulumi.qas.yaml"), text);
        var result = InfraCli.Run("drift", "--stack", "qas", "--dir", dir, "--endpoint-url", moto.Server.Endpoint);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Contains("leadertools:vpc.replicaOf = vpc-0123456789abcdef0: no such VPC", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Drift_needs_the_vpc_the_stack_replicates()
    {
        var result = InfraCli.Run("drift", "--stack", "qas", "--endpoint-url", "http://127.0.0.1:9");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("vpc.replicaOf = (not set): drift compares the stack file with the VPC its vpc.replicaOf names", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json", "not JSON")]
    [InlineData("""{"clusters": []}""", "neither `aws eks describe-cluster` nor `aws eks describe-nodegroup` output")]
    [InlineData("""{"nodegroup": {"nodegroupName": "n"}}""", "no describe-cluster output among them")]
    [InlineData("""{"cluster": {"version": "1.33"}}""", "has no name")]
    public void Eks_files_that_are_not_the_aws_clis_output_are_refused_by_name(string json, string message)
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("infra-eks-").FullName, "eks.json");
        File.WriteAllText(file, json);
        var result = InfraCli.Run("discover", "--region", "us-west-2", "--vpc-id", "vpc-1", "--endpoint-url", "http://127.0.0.1:9", "--eks", file);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Contains($"--eks = ", result.Stderr, StringComparison.Ordinal);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
    }

    /// <summary>Names and descriptions from tags are written so that YAML (1.1 or 1.2) reads back the same string.</summary>
    [Theory]
    [InlineData("aviatrix-spoke-gw", "aviatrix-spoke-gw")]
    [InlineData("Yes", "\"Yes\"")]
    [InlineData("TRUE", "\"TRUE\"")]
    [InlineData("0x1F", "\"0x1F\"")]
    [InlineData("1_000", "\"1_000\"")]
    [InlineData("12.5", "\"12.5\"")]
    [InlineData("- a", "\"- a\"")]
    [InlineData("gw: primary", "\"gw: primary\"")]
    [InlineData("aws:region", "aws:region")]
    [InlineData("2001:db8::/32", "\"2001:db8::/32\"")]
    [InlineData("::/0", "\"::/0\"")]
    [InlineData("gw:", "\"gw:\"")]
    [InlineData("a # b", "\"a # b\"")]
    public void Discovered_names_are_written_as_yaml_reads_them_back(string text, string written) =>
        Assert.Equal(written, Infra.StackConfig.YamlScalars.PlainOrQuoted(text));

    /// <summary>Names made from tags are keys and route targets: none may read back as a boolean, a number or null.</summary>
    [Theory]
    [InlineData("Yes", "x-yes")]
    [InlineData("true", "x-true")]
    [InlineData("1e3", "x-1e3")]
    [InlineData("NULL", "x-null")]
    [InlineData("0x1f", "x-0x1f")]
    [InlineData("Private Route Table", "private-route-table")]
    [InlineData("---", "unnamed")]
    public void Names_from_tags_never_read_back_as_anything_but_a_name(string tag, string name) =>
        Assert.Equal(name, Infra.Discovery.StackFileWriter.Slug(tag));

    [Theory]
    [InlineData("--region", "mars-north-1", "--region = mars-north-1: not an AWS commercial region")]
    [InlineData("--vpc-id", "subnet-123", "--vpc-id = subnet-123: a VPC id starts with vpc-")]
    [InlineData("--stack", "../outside", "--stack = ../outside: a stack name is 1 to 100 letters")]
    public void Bad_arguments_are_refused_before_any_call(string option, string value, string message)
    {
        var args = new List<string> { "discover", "--region", "us-west-2", "--vpc-id", "vpc-1", "--endpoint-url", "http://127.0.0.1:9", "--stack", "fine" };
        args[args.IndexOf(option) + 1] = value;
        var result = InfraCli.Run([.. args]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
    }

    [NeedsMotoFact]
    public void Without_credentials_discover_says_where_the_sdk_looked()
    {
        var home = Directory.CreateTempSubdirectory("infra-no-aws-").FullName;
        var result = Wrapper(["discover", "--region", "us-west-2", "--vpc-id", "vpc-0123456789abcdef0", "--endpoint-url", moto.Server.Endpoint], environment =>
        {
            foreach (var key in environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal)).ToList())
            {
                environment.Remove(key);
            }

            environment["HOME"] = home;
            environment["AWS_EC2_METADATA_DISABLED"] = "true";
        });
        Assert.Equal(1, result.Code);
        Assert.Equal("", result.Out);
        Assert.Contains("credentials = (none found)", result.Err, StringComparison.Ordinal);
    }

    /// <summary>
    /// Credentials AWS refuses, and credentials that may not make one of discover's calls, each one
    /// clear line naming it: an emulator that enforces IAM once the four setup calls are made.
    /// </summary>
    [NeedsMotoFact]
    public async Task Refused_and_too_narrow_credentials_are_each_one_line()
    {
        using var guarded = MotoServer.Start(new Dictionary<string, string> { ["INITIAL_NO_AUTH_ACTION_COUNT"] = "4" });
        using var setup = guarded.Client();
        var vpc = (await setup.CreateVpcAsync(new CreateVpcRequest { CidrBlock = "10.1.0.0/16" })).Vpc.VpcId;
        guarded.Iam("CreateUser", ("UserName", "reader"));
        guarded.Iam("PutUserPolicy", ("UserName", "reader"), ("PolicyName", "vpcs-only"),
            ("PolicyDocument", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ec2:DescribeVpcs"],"Resource":"*"}]}"""));
        var key = guarded.Iam("CreateAccessKey", ("UserName", "reader"));
        string Field(string name) => System.Text.RegularExpressions.Regex.Match(key, $"<{name}>([^<]+)</{name}>").Groups[1].Value;

        Infra.Review.ProcessResult Run(string accessKey, string secret) =>
            Wrapper(["discover", "--region", "us-west-2", "--vpc-id", vpc, "--endpoint-url", guarded.Endpoint], environment =>
            {
                environment["AWS_ACCESS_KEY_ID"] = accessKey;
                environment["AWS_SECRET_ACCESS_KEY"] = secret;
            });

        var narrow = Run(Field("AccessKeyId"), Field("SecretAccessKey"));
        Assert.Equal(1, narrow.Code);
        Assert.Equal("", narrow.Out);
        Assert.Contains("ec2:DescribeSubnets = denied: these credentials may not call it", narrow.Err, StringComparison.Ordinal);

        var refused = Run("AKIANOSUCHKEY0000000", "wrong");
        Assert.Equal(1, refused.Code);
        Assert.Contains("credentials = AuthFailure: AWS refused them", refused.Err, StringComparison.Ordinal);
    }

    /// <summary>The shipped stack with the emulator's ids, in a scratch project; drift's JSON and exit code.</summary>
    private (JsonNode Report, int ExitCode) Drift(LiveQas live)
    {
        var dir = ScratchProject();
        File.WriteAllText(Path.Combine(dir, "Pulumi.qas.yaml"), live.ShippedWithLiveIds());
        var result = InfraCli.Run("drift", "--stack", "qas", "--dir", dir, "--endpoint-url", moto.Server.Endpoint, "--format", "json");
        Assert.True(result.ExitCode is 0 or 2, result.Stderr);
        return (JsonNode.Parse(result.Stdout)!, result.ExitCode);
    }

    [NeedsMotoFact]
    public async Task The_shipped_stack_against_its_own_replica_has_no_drift()
    {
        using var ec2 = moto.Server.Client();
        var (report, code) = Drift(await LiveQas.SeedAsync(ec2));
        Assert.Empty(report["findings"]!.AsArray());
        Assert.Equal(0, code);
    }

    /// <summary>A gateway's original given by its interface while the routes name its instance is the same appliance, not a retargeted route.</summary>
    [NeedsMotoFact]
    public async Task An_appliance_named_by_its_interface_matches_routes_to_its_instance()
    {
        using var ec2 = moto.Server.Client();
        var live = await LiveQas.SeedAsync(ec2);
        var instance = live.Ids["i-0919b0c12ffebfc98"];
        var eni = (await ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [instance] })).Reservations[0].Instances[0].NetworkInterfaces[0].NetworkInterfaceId;
        var dir = ScratchProject();
        File.WriteAllText(Path.Combine(dir, "Pulumi.qas.yaml"), live.ShippedWithLiveIds().Replace($"replicaOf: {instance}", $"replicaOf: {eni}", StringComparison.Ordinal));
        var result = InfraCli.Run("drift", "--stack", "qas", "--dir", dir, "--endpoint-url", moto.Server.Endpoint, "--format", "json");
        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.Empty(JsonNode.Parse(result.Stdout)!["findings"]!.AsArray());
    }

    public static TheoryData<string> OneChange() => ["delete-route", "retarget-route", "add-ingress-rule", "revoke-egress", "add-egress-rule", "untag-subnet", "retag-subnet", "detach-internet-gateway", "add-flow-log"];

    /// <summary>One change in the live VPC, exactly one finding, of the kind that change is.</summary>
    [NeedsMotoTheory]
    [MemberData(nameof(OneChange))]
    public async Task One_live_change_is_exactly_one_finding(string change)
    {
        using var ec2 = moto.Server.Client();
        var live = await LiveQas.SeedAsync(ec2);
        var expected = change switch
        {
            "delete-route" => await Do(ec2.DeleteRouteAsync(new DeleteRouteRequest { RouteTableId = live.ByName["main"], DestinationCidrBlock = "64.47.4.88/32" }), "route-missing"),
            "retarget-route" => await Do(ec2.ReplaceRouteAsync(new ReplaceRouteRequest { RouteTableId = live.ByName["main"], DestinationCidrBlock = "0.0.0.0/0", InstanceId = live.ByName["aviatrix-secondary"] }), "route-retargeted"),
            "add-ingress-rule" => await Do(ec2.AuthorizeSecurityGroupIngressAsync(new AuthorizeSecurityGroupIngressRequest
            {
                GroupId = live.ByName["sg:nodes"],
                IpPermissions = [new IpPermission { IpProtocol = "tcp", FromPort = 22, ToPort = 22, Ipv4Ranges = [new IpRange { CidrIp = "10.0.0.0/8" }] }],
            }), "security-group-rule"),
            // The nodes' original loses its allow-all egress (issue 29: an egress revoke went unseen).
            "revoke-egress" => await Do(ec2.RevokeSecurityGroupEgressAsync(new RevokeSecurityGroupEgressRequest
            {
                GroupId = live.ByName["sg:nodes"],
                IpPermissions = [new IpPermission { IpProtocol = "-1", Ipv4Ranges = [new IpRange { CidrIp = "0.0.0.0/0" }] }],
            }), "security-group-rule"),
            "add-egress-rule" => await Do(ec2.AuthorizeSecurityGroupEgressAsync(new AuthorizeSecurityGroupEgressRequest
            {
                GroupId = live.ByName["sg:nodes"],
                IpPermissions = [new IpPermission { IpProtocol = "tcp", FromPort = 443, ToPort = 443, Ipv6Ranges = [new Ipv6Range { CidrIpv6 = "::/0" }] }],
            }), "security-group-rule"),
            "untag-subnet" => await Do(ec2.DeleteTagsAsync(new DeleteTagsRequest { Resources = [live.ByName["public/us-west-2a"]], Tags = [new Tag("kubernetes.io/role/elb")] }), "subnet-tag"),
            // A tag value the load balancer controller ignores (it discovers "1" or "" only) is a change too (issue 29: tag values went unseen).
            "retag-subnet" => await Do(ec2.CreateTagsAsync(new CreateTagsRequest { Resources = [live.ByName["public/us-west-2a"]], Tags = [new Tag("kubernetes.io/role/elb", "0")] }), "subnet-tag"),
            "add-flow-log" => await Do(FlowLogAsync(ec2, live.VpcId, TrafficType.REJECT), "flow-log"),
            _ => await Do(ec2.DetachInternetGatewayAsync(new DetachInternetGatewayRequest { InternetGatewayId = live.Ids["igw-0e74bf1068b4cd3dd"], VpcId = live.VpcId }), "internet-gateway"),
        };
        var (report, code) = Drift(live);
        var finding = Assert.Single(report["findings"]!.AsArray());
        Assert.Equal(expected, finding!["kind"]!.GetValue<string>());
        Assert.Equal(2, code);

        // Each finding names the key to change, its line in the stack file, the live id and a severity (issue 29, item 5).
        var (key, onTheLine, severity) = change switch
        {
            "delete-route" => ("leadertools:routeTables.main.routes[2]", "64.47.4.88/32", "error"),
            "retarget-route" => ("leadertools:routeTables.main.routes[6]", "0.0.0.0/0", "error"),
            "untag-subnet" or "retag-subnet" => ("leadertools:subnets.public.us-west-2a", "us-west-2a", "warning"),
            "add-flow-log" => ("leadertools:vpc", "leadertools:vpc:", "warning"),
            "detach-internet-gateway" => ("leadertools:internetGateway.replicaOf", "replicaOf: igw-", "error"),
            _ => ("leadertools:nodeGroup.replicaOf.securityGroup", "securityGroup: sg-", "error"),
        };
        Assert.Equal(key, finding["key"]!.GetValue<string>());
        Assert.Equal(severity, finding["severity"]!.GetValue<string>());
        Assert.StartsWith(expected.StartsWith("route", StringComparison.Ordinal) ? "rtb-" : "", finding["liveId"]!.GetValue<string>(), StringComparison.Ordinal);
        var line = live.ShippedWithLiveIds().Split('\n')[finding["line"]!.GetValue<int>() - 1];
        Assert.Contains(onTheLine, line, StringComparison.Ordinal);

        // Undone, the VPC is the stack's again: no finding (issue 29's done-when). moto 5.2 answers
        // true to revoking an IPv6 egress rule and keeps it, so that one change is not undone here.
        if (change == "add-egress-rule")
        {
            return;
        }

        Task undo = change switch
        {
            "delete-route" => ec2.CreateRouteAsync(new CreateRouteRequest { RouteTableId = live.ByName["main"], DestinationCidrBlock = "64.47.4.88/32", InstanceId = live.ByName["aviatrix-primary"] }),
            "retarget-route" => ec2.ReplaceRouteAsync(new ReplaceRouteRequest { RouteTableId = live.ByName["main"], DestinationCidrBlock = "0.0.0.0/0", InstanceId = live.ByName["aviatrix-primary"] }),
            "add-ingress-rule" => ec2.RevokeSecurityGroupIngressAsync(new RevokeSecurityGroupIngressRequest
            {
                GroupId = live.ByName["sg:nodes"],
                IpPermissions = [new IpPermission { IpProtocol = "tcp", FromPort = 22, ToPort = 22, Ipv4Ranges = [new IpRange { CidrIp = "10.0.0.0/8" }] }],
            }),
            "revoke-egress" => ec2.AuthorizeSecurityGroupEgressAsync(new AuthorizeSecurityGroupEgressRequest
            {
                GroupId = live.ByName["sg:nodes"],
                IpPermissions = [new IpPermission { IpProtocol = "-1", Ipv4Ranges = [new IpRange { CidrIp = "0.0.0.0/0" }] }],
            }),
            "untag-subnet" or "retag-subnet" => ec2.CreateTagsAsync(new CreateTagsRequest { Resources = [live.ByName["public/us-west-2a"]], Tags = [new Tag("kubernetes.io/role/elb", "1")] }),
            "add-flow-log" => DeleteFlowLogsAsync(ec2, live.VpcId),
            _ => ec2.AttachInternetGatewayAsync(new AttachInternetGatewayRequest { InternetGatewayId = live.Ids["igw-0e74bf1068b4cd3dd"], VpcId = live.VpcId }),
        };
        await undo;
        var (after, afterCode) = Drift(live);
        Assert.True(after["findings"]!.AsArray().Count == 0, after["findings"]!.ToJsonString());
        Assert.Equal(0, afterCode);
    }

    private static async Task DeleteFlowLogsAsync(IAmazonEC2 ec2, string vpcId)
    {
        var logs = await ec2.DescribeFlowLogsAsync(new DescribeFlowLogsRequest { Filter = [new("resource-id", [vpcId])] });
        await ec2.DeleteFlowLogsAsync(new DeleteFlowLogsRequest { FlowLogIds = [.. logs.FlowLogs.Select(f => f.FlowLogId)] });
    }

    /// <summary>A flow log on the VPC into a CloudWatch Logs group (moto checks neither the group nor the role).</summary>
    private static Task FlowLogAsync(IAmazonEC2 ec2, string vpcId, TrafficType traffic) =>
        ec2.CreateFlowLogsAsync(new CreateFlowLogsRequest
        {
            ResourceIds = [vpcId],
            ResourceType = FlowLogsResourceType.VPC,
            TrafficType = traffic,
            LogDestinationType = LogDestinationType.CloudWatchLogs,
            LogGroupName = $"/original/{traffic.Value.ToLowerInvariant()}",
            DeliverLogsPermissionArn = "arn:aws:iam::123456789012:role/original-flow-logs",
        });

    [NeedsMotoFact]
    public async Task The_widest_cloudwatch_flow_log_is_replicated_and_the_others_named()
    {
        using var ec2 = moto.Server.Client();
        var live = await LiveQas.SeedAsync(ec2);
        await FlowLogAsync(ec2, live.VpcId, TrafficType.REJECT);
        await FlowLogAsync(ec2, live.VpcId, TrafficType.ALL);
        var dir = ScratchProject();
        var result = Discover(live, dir, "--stack", "qas");
        Assert.True(result.ExitCode == 0, result.Stderr);
        var text = File.ReadAllText(Path.Combine(dir, "Pulumi.qas.yaml"));
        Assert.Contains("    flowLogs: # inferred: from fl-", text, StringComparison.Ordinal);
        Assert.Contains("      trafficType: ALL\n", text, StringComparison.Ordinal);
        Assert.Matches(@"# not replicated: flow log fl-[0-9a-f]+ \(REJECT\) into cloud-watch-logs /original/reject;", text);

        var compiled = InfraCli.Run("compile", "--stack", "qas", "--dir", dir);
        Assert.True(compiled.ExitCode == 0, compiled.Stderr);
        var flowLog = Assert.Single(Infra.Review.ProgramSnapshot.Parse(compiled.Stdout, "program").Resources, r => r.Type == "aws:ec2:FlowLog");
        Assert.Equal("ALL", flowLog.Properties["trafficType"]);
    }

    private static async Task<string> Do(Task call, string kind)
    {
        await call;
        return kind;
    }
}
