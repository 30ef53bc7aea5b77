using Infra.Discovery;
using Infra.Review;
using Infra.StackConfig;
using Infra.Tests.Harness;

namespace Infra.Tests;

/// <summary>
/// Text reports fit 80 columns (issue 32, item 7): `diff`, `drift`, `check` and `trace` wrap
/// between words, and never cut a ${...} reference, an id or a CIDR. Piped output is 80 wide.
/// </summary>
public sealed class TextWidthTests
{
    private static readonly TextLayout Page = new(80, false);

    private static string Golden => File.ReadAllText(Repo.Path("tests", "Infra.Tests", "golden", "qas.yaml"));

    private static ValidatedEnvironment Qas => ValidatedEnvironment.From(StackLoader.Load(new StackSource.StackFile(Repo.Root, "qas")));

    public static TheoryData<string> Reports() => ["diff", "drift", "check", "trace"];

    private static string Render(string report) => report switch
    {
        // A node subnet's CIDR and the instance type changed: replacements whose rows carry ${...} references.
        "diff" => ProgramDiff.ToReport(ProgramDiff.Compare(
            ProgramSnapshot.Parse(Golden, "base"),
            ProgramSnapshot.Parse(Golden.Replace("cidrBlock: 10.142.36.0/24", "cidrBlock: 10.142.36.0/25", StringComparison.Ordinal).Replace("- t3.medium", "- m5.large", StringComparison.Ordinal), "head"),
            "base",
            "head")).Render(OutputFormat.Text, Page),
        "drift" => Drift.ToReport(new DriftResult("qas", "vpc-0a1b2c3d4e5f60718", "us-west-2",
            [
                new DriftFinding("route-retargeted", "public-hybrid (rtb-0c706da088d700de3)", "10.0.0.0/8 -> aviatrix-primary (i-0919b0c12ffebfc98)", "10.0.0.0/8 -> aviatrix-secondary (i-022003229928b80a1)", "leadertools:routeTables.public-hybrid.routes[5]", "rtb-0c706da088d700de3") { Line = 82 },
                new DriftFinding("security-group-rule", "nodes (sg-07019a3af3f18cfa1)", "all to 0.0.0.0/0", "(no such rule)", "leadertools:nodeGroup.replicaOf.securityGroup", "sg-07019a3af3f18cfa1") { Line = 141 },
                new DriftFinding("subnet", "pods/us-west-2a (subnet-09d92cbf937adefe5)", "100.96.32.0/22 in us-west-2a", "100.96.32.0/23 in us-west-2a", "leadertools:subnets.pods.us-west-2a", "subnet-09d92cbf937adefe5"),
            ])
        {
            Compared = ["the VPC's primary and secondary IPv4 CIDRs", "each route table the stack names: its IPv4 routes and their targets, its associations, which table is main"],
            NotCompared = ["2 IPv6 route(s): the stack is IPv4 only", "1 object(s) discover left out, as vpc.leftOut records (subnet-0123456789abcdef0)"],
        }).Render(OutputFormat.Text, Page),
        "check" => PolicyCheck.ToReport(PolicyCheck.Run(Qas, ProgramSnapshot.Parse(Golden, "golden"))).Render(OutputFormat.Text, Page),
        _ => Trace.ToReport(Trace.Run(Qas, "pods/us-west-2a", "service:s3", port: 443)).Render(OutputFormat.Text, Page),
    };

    [Theory]
    [MemberData(nameof(Reports))]
    public void A_report_fits_80_columns_and_cuts_no_reference_or_id(string report)
    {
        var text = Render(report);
        var lines = text.Split('\n');
        var wide = lines.Where(l => l.Length > 80).ToList();
        Assert.True(wide.Count == 0, $"{report}: lines over 80 columns:\n{string.Join('\n', wide)}");
        foreach (var line in lines)
        {
            // A ${...} reference opens and closes on one line.
            Assert.True(line.Split("${").Length - 1 == line.Split('}').Length - 1 || !line.Contains("${", StringComparison.Ordinal), $"{report}: a reference is cut: {line}");
        }

        // Ids, CIDRs and names the report holds stand whole on a line.
        string[] whole = report switch
        {
            "drift" => ["rtb-0c706da088d700de3", "i-0919b0c12ffebfc98", "i-022003229928b80a1", "sg-07019a3af3f18cfa1", "subnet-09d92cbf937adefe5", "subnet-0123456789abcdef0"],
            "trace" => ["com.amazonaws.us-west-2.s3", "AWS_VPC_K8S_CNI_EXTERNALSNAT", "nodes/us-west-2a"],
            "diff" => ["10.142.36.0/25", "m5.large"],
            _ => ["INFRA013"],
        };
        Assert.All(whole, id => Assert.Contains(id, text, StringComparison.Ordinal));
    }

    /// <summary>A table whose words cannot stand side by side in 80 columns becomes one record per row: no value cut.</summary>
    [Fact]
    public void A_table_too_wide_for_the_page_becomes_records()
    {
        var reference = "${" + new string('x', 30) + ".outputs[\"clusterSecurityGroupId\"]}";
        var report = new Report("wide", [new TableBlock(["resource", "property", "base", "head"], [["eks-node-launch-template", "vpcSecurityGroupIds", reference, reference + "-changed"]])], ReportData.Of(new DiagramData("wide", ""), ReviewJson.Reports.DiagramData));
        var text = report.Render(OutputFormat.Text, Page);
        Assert.Contains("- resource: eks-node-launch-template", text, StringComparison.Ordinal);
        Assert.Contains($"  base: {reference}\n", text, StringComparison.Ordinal);
        Assert.Contains($"  head: {reference}-changed\n", text, StringComparison.Ordinal);
    }
}
