using Infra.Review;
using Infra.StackConfig;

namespace Infra.Cli;

/// <summary>How the command line spells each review input: the one place option names meet the layers below.</summary>
internal static class OptionNames
{
    public static string Of(ReviewInput input) => input switch
    {
        ReviewInput.Base => "--base",
        ReviewInput.State => "--state",
        ReviewInput.VpcId => "--vpc-id",
        ReviewInput.Program => "--program",
        ReviewInput.Eks => "--eks",
        ReviewInput.Fail => "--fail",
        ReviewInput.From => "--from",
        ReviewInput.To => "--to",
        ReviewInput.FromInterface => "--from-interface",
        ReviewInput.ToInterface => "--to-interface",
        ReviewInput.Stack => "--stack",
        ReviewInput.UpdateReadme => "--update-readme",
        ReviewInput.Credentials => "credentials",
        ReviewInput.RouteTarget => "route target",
        _ => throw new ArgumentOutOfRangeException(nameof(input), input, "an input without an option name"),
    };

    public static string Of(ProjectInput input) => input switch
    {
        ProjectInput.Directory => "--dir",
        ProjectInput.Stack => "--stack",
        _ => throw new ArgumentOutOfRangeException(nameof(input), input, "a project input without an option name"),
    };

    /// <summary>The one line a bad input gets: the option, the value, why.</summary>
    public static string Describe(ReviewArgumentException e) => $"{(e.Input is { } input ? Of(input) : e.Subject)} = {e.Value}: {e.Message}";
}
