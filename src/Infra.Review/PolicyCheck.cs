using Infra.Model;
using Infra.StackConfig;

namespace Infra.Review;

public enum Severity
{
    Error,
    Warning,
    Note,
}

public sealed record PolicyRule(string Id, string Title, Severity Severity);

/// <param name="ConfigKey">The stack config key to change (its path, as config problems name it), when the finding has one.</param>
public sealed record Finding(string RuleId, Severity Severity, string Resource, string Message, string Fix, string? ConfigKey = null)
{
    /// <summary>Where <see cref="ConfigKey"/> stands in the stack file (or the nearest key that encloses it).</summary>
    public SourcePosition? Position { get; init; }
}

/// <param name="StackFile">The stack file the findings' positions are in; null when the config came from PULUMI_CONFIG.</param>
public sealed record CheckResult(string Stack, int Errors, int Warnings, int Notes, IReadOnlyList<Finding> Findings, string? StackFile = null);

/// <summary>`infra check`: policy rules over the planned program and the stack's routing.</summary>
public static partial class PolicyCheck
{
    public static IReadOnlyList<PolicyRule> Rules { get; } =
    [
        new("INFRA001", "Ingress from 0.0.0.0/0 only on 443 to load balancer security groups", Severity.Error),
        new("INFRA002", "No SSH or RDP from anywhere", Severity.Error),
        new("INFRA003", "Public EKS API endpoint open to 0.0.0.0/0", Severity.Warning),
        new("INFRA004", "Default and RFC 1918 routes all on one gateway instance while another exists", Severity.Warning),
        new("INFRA005", "Subnet missing the load balancer discovery tags", Severity.Error),
        new("INFRA006", "Overlapping or shadowed routes", Severity.Warning),
        new("INFRA007", "Service CIDR overlaps a routed network", Severity.Warning),
        new("INFRA008", "Node group cannot reach the API endpoint or the image registries when it is created", Severity.Error),
        new("INFRA009", "Program declares no resources", Severity.Error),
    ];

    /// <param name="positions">Where the stack file's keys stand, so each finding can point at a line.</param>
    public static CheckResult Run(EnvironmentSpec env, ProgramSnapshot program, StackFilePositions? positions = null)
    {
        var findings = new List<Finding>();
        CheckIngress(env, program, findings);
        CheckEndpoint(env, program, findings);
        CheckSinglePointOfFailure(env.Network, findings);
        CheckSubnetTags(env, program, findings);
        CheckRoutes(env.Network, findings);
        CheckServiceCidr(env, findings);
        CheckBootstrap(env, findings);
        CheckNotEmpty(program, findings);
        var located = findings.Select(f => f.ConfigKey is { } key && positions?.Find(key) is { } at ? f with { Position = at } : f);
        var ordered = located.OrderBy(f => f.Severity).ThenBy(f => f.RuleId, StringComparer.Ordinal).ThenBy(f => f.Resource, StringComparer.Ordinal).ToList();
        return new CheckResult(env.Stack, ordered.Count(f => f.Severity == Severity.Error), ordered.Count(f => f.Severity == Severity.Warning), ordered.Count(f => f.Severity == Severity.Note), ordered, positions?.File);
    }

    private static void CheckNotEmpty(ProgramSnapshot program, List<Finding> findings)
    {
        if (program.Resources.Count == 0)
        {
            findings.Add(new Finding("INFRA009", Severity.Error, "(program)", "The program declares no resources: `pulumi up` would delete everything the stack manages.", "Check that the program is the compiler's output for this stack."));
        }
    }
}
