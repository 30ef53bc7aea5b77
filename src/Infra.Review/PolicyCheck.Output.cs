using System.Text.Json.Nodes;
namespace Infra.Review;

/// <summary>check's findings as a report and as SARIF 2.1.0.</summary>
public static partial class PolicyCheck
{
    public static Report ToReport(CheckResult result) =>
        new($"check of {result.Stack}",
        [
            new Paragraph($"{result.Errors} errors, {result.Warnings} warnings, {result.Notes} notes."),
            result.Findings.Count == 0
                ? new Paragraph("No findings.")
                : new TableBlock(["id", "severity", "resource", "finding", "fix"], result.Findings.Select(f => (IReadOnlyList<string>)[f.RuleId, f.WaivedBecause is { } reason ? $"{f.Severity.ToString().ToLowerInvariant()}, waived: {reason}" : f.Severity.ToString().ToLowerInvariant(), Where(f, result.StackFile), f.Message, f.Fix]).ToList()),
            .. result.SupportWarningFrom is { } from
                ? [new Paragraph($"INFRA014 is silent: the Kubernetes version is in EKS standard support; it warns from {from:yyyy-MM-dd} on.")]
                : Array.Empty<Block>(),
        ],
        ReportData.Of(result, ReviewJson.Reports.CheckResult));

    /// <summary>The README section the rule reference is generated into.</summary>
    public const string ReadmeSection = "policy-rules";

    private const string ReferenceAnchor = "policy-rules";

    /// <summary>The rule reference: one row per declared rule, as `infra rules` prints it and the README embeds it.</summary>
    public static Report RulesReport() =>
        new("policy rules",
        [
            new TableBlock(["id", "severity", "rule", "why", "fix", "example that breaks it"],
                Rules.Select(r => (IReadOnlyList<string>)[r.Id, r.Severity.ToString().ToLowerInvariant(), r.Title, r.Why, r.Fix, r.Example]).ToList()),
        ],
        ReportData.Of(Rules, ReviewJson.Reports.IReadOnlyListPolicyRule));

    /// <summary>The resource and, when the finding has a line, the stack file's line to change ("Pulumi.qas.yaml:89").</summary>
    private static string Where(Finding finding, string? stackFile) =>
        finding.Position is { } at && stackFile is not null ? $"{finding.Resource}\n{stackFile}:{at.Line}" : finding.Resource;

    /// <summary>
    /// SARIF 2.1.0, so CI systems can show the findings: each result points at the stack file's key
    /// (line and column) to change, so code scanning annotates the pull request on that line.
    /// </summary>
    public static string ToSarif(CheckResult result)
    {
        // Without a stack file (PULUMI_CONFIG), results name the file the stack's config lives in.
        var stackFile = result.StackFile ?? $"Pulumi.{result.Stack}.yaml";
        var rules = new JsonArray();
        foreach (var r in Rules)
        {
            rules.Add((JsonNode)new JsonObject
            {
                ["id"] = r.Id,
                ["shortDescription"] = Text(r.Title),
                ["fullDescription"] = Text(r.Why),
                ["help"] = new JsonObject { ["text"] = $"{r.Fix} Example that breaks it: {r.Example}.", ["markdown"] = $"{r.Fix}\n\nExample that breaks it: {r.Example}." },
                ["helpUri"] = $"README.md#{ReferenceAnchor}",
                ["defaultConfiguration"] = new JsonObject { ["level"] = Level(r.Severity) },
            });
        }

        var results = new JsonArray();
        foreach (var f in result.Findings)
        {
            var physical = new JsonObject { ["artifactLocation"] = new JsonObject { ["uri"] = stackFile } };
            if (f.Position is { } at)
            {
                physical["region"] = new JsonObject { ["startLine"] = at.Line, ["startColumn"] = at.Column };
            }

            results.Add((JsonNode)new JsonObject
            {
                ["ruleId"] = f.RuleId,
                ["level"] = Level(f.Severity),
                ["message"] = Text($"{f.Message} Fix: {f.Fix}"),
                ["locations"] = new JsonArray(new JsonObject { ["physicalLocation"] = physical, ["logicalLocations"] = LogicalLocations(f) }),
            });
        }

        var sarif = new JsonObject
        {
            ["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json",
            ["version"] = "2.1.0",
            ["runs"] = new JsonArray(new JsonObject
            {
                ["tool"] = new JsonObject { ["driver"] = new JsonObject { ["name"] = "infra check", ["informationUri"] = "README.md", ["rules"] = rules } },
                ["results"] = results,
            }),
        };
        return Report.ToJson(sarif);
    }

    private static JsonObject Text(string text) => new() { ["text"] = text };

    /// <summary>The program resource the finding is about and, when it has one, the config key to change.</summary>
    private static JsonArray LogicalLocations(Finding finding)
    {
        var locations = new JsonArray(new JsonObject { ["name"] = finding.Resource, ["kind"] = "resource" });
        if (finding.ConfigKey is { } key)
        {
            locations.Add((JsonNode)new JsonObject { ["name"] = key, ["kind"] = "member" });
        }

        return locations;
    }

    private static string Level(Severity severity) => severity switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        _ => "note",
    };
}
