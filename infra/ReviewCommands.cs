using System.CommandLine;

namespace Infra.Cli;

internal static class ReviewCommands
{
    public static IEnumerable<Command> Create(StackOptions stackOptions, TextWriter stdout)
    {
        _ = stackOptions;
        _ = stdout;
        return [];
    }
}
