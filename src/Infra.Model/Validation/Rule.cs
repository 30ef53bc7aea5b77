using System.Text.RegularExpressions;
using Infra.Model.Addressing;
using Infra.Model.Network;

namespace Infra.Model.Validation;

/// <summary>What every rule shares: how a problem names its key and value, and the rule for names users give.</summary>
internal static partial class Rule
{
    public const int MaxNameLength = EnvironmentValidator.MaxNameLength;

    public static void Add(List<ConfigProblem> problems, Origin at, object? value, string message) =>
        problems.Add(new ConfigProblem(at.Path, value is null ? "(missing)" : at.Shown(value.ToString() ?? string.Empty), message));

    private static void ValidateVpc(NetworkSpec network, List<ConfigProblem> problems)
    {
        var vpc = network.Vpc;
        if (!AwsAddressRules.IsValidBlockSize(vpc.Primary.Value))
        {
            Add(problems, vpc.Primary.At, vpc.Primary.Value, "a VPC CIDR block must be between /16 and /28");
        }

        var restricted = AwsAddressRules.RestrictedSecondaryRanges(vpc.Primary.Value);
        var seenVpcBlocks = new List<Located<Cidr>> { vpc.Primary };
        foreach (var secondary in vpc.Secondary)
        {
            if (!AwsAddressRules.IsValidBlockSize(secondary.Value))
            {
                Add(problems, secondary.At, secondary.Value, "a VPC CIDR block must be between /16 and /28");
            }

            if (restricted.FirstOrDefault(r => r.Overlaps(secondary.Value)) is var range && range != default)
            {
                Add(problems, secondary.At, secondary.Value, $"AWS does not allow a secondary CIDR in {range} when the primary CIDR is {vpc.Primary.Value}");
            }

            if (seenVpcBlocks.FirstOrDefault(b => b.Value.Overlaps(secondary.Value)) is { } clash)
            {
                Add(problems, secondary.At, secondary.Value, $"overlaps the VPC CIDR {clash.Value} ({clash.At})");
            }

            seenVpcBlocks.Add(secondary);
        }
    }

    /// <summary>
    /// Names a user gives (gateways, route tables, applications) become parts of resource names and
    /// of ${name.output} references: lower-case words joined by single hyphens, so that no name holds
    /// the "--" that separates parts of a resource name, nor a "." that would end a reference's root.
    /// </summary>
    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex NamePattern();

    public static bool CheckName(List<ConfigProblem> problems, Origin at, string name, string what)
    {
        if (name.Length <= MaxNameLength && NamePattern().IsMatch(name))
        {
            return true;
        }

        Add(problems, at, name, $"{what} name is 1-{MaxNameLength} lower-case letters and digits in words joined by single hyphens (it becomes part of resource names)");
        return false;
    }
}
