using System.Text.RegularExpressions;

namespace Infra.Tests.Harness;

/// <summary>
/// The compiler's error lines: `infra: error: [FILE:LINE:COL: ]KEY = VALUE: WHY`, the location
/// present when the key was read from a stack file (issue 19, item 5).
/// </summary>
public static class ErrorLines
{
    public static string Pattern(string key) => $@"^infra: error: (Pulumi\.[A-Za-z0-9_.-]+\.yaml:\d+:\d+: )?{Regex.Escape(key)} = ";

    public static bool Names(string line, string key) => Regex.IsMatch(line, Pattern(key));

    public static void AssertNames(string stderr, string key) =>
        Assert.True(stderr.Split('\n').Any(l => Names(l, key)), $"no error line names {key}:\n{stderr}");
}
