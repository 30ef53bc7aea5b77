using System.Text.RegularExpressions;

namespace Infra.Model.Validation;

/// <summary>What every rule shares: how a problem names its key and value, and the rule for names users give.</summary>
internal static partial class Rule
{
    /// <summary>
    /// The longest name a user gives: names are prefixed and suffixed into resource names and AWS
    /// names (tags, the node group's name prefix) that have limits of their own, so 40 leaves room
    /// for what the emitters add.
    /// </summary>
    public const int MaxNameLength = 40;

    public static void Add(List<ConfigProblem> problems, Origin at, object? value, string message) =>
        problems.Add(new ConfigProblem(at.Path, value is null ? "(missing)" : at.Shown(value.ToString() ?? string.Empty), message));

    /// <summary>
    /// Names a user gives (gateways, route tables, applications) become parts of resource names and
    /// of ${name.output} references: lower-case words joined by single hyphens, so that no name holds
    /// the "--" that separates parts of a resource name, nor a "." that would end a reference's root.
    /// </summary>
    public const string NameRule = "^[a-z0-9]+(-[a-z0-9]+)*$";

    [GeneratedRegex(NameRule)]
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
