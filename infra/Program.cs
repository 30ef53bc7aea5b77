using System.CommandLine;
using System.Text;

namespace Infra.Cli;

/// <summary>Wires the commands. Each command's work lives in the libraries under src/.</summary>
public static class Program
{
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <param name="environment">Where PULUMI_* and the terminal settings are read (default: the process environment), so a test can run a Pulumi call in-process.</param>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        // `infra help [COMMAND]` reads as `infra [COMMAND] --help`.
        if (args is ["help", .. var rest])
        {
            args = [.. rest, "--help"];
        }

        if (args is ["--version"])
        {
            stdout.WriteLine(VersionLine());
            return ExitCodes.Success;
        }

        // Commands write their whole output at the end, so a failure leaves stdout empty.
        var buffered = new StringWriter { NewLine = "\n" };
        var stackOptions = new StackOptions(environment, stderr);
        var root = new RootCommand($"infra: the leadertools EKS environment as a generated Pulumi program, and offline review of it.\n{ExitCodes.HelpText}");
        root.Subcommands.Add(CompileCommand.Create(stackOptions, buffered));
        foreach (var command in ReviewCommands.Create(stackOptions, buffered, stderr).Concat(DiscoveryCommands.Create(stackOptions, buffered, stderr)))
        {
            root.Subcommands.Add(command);
        }

        // Help wraps at word boundaries to 80 columns whatever the terminal (its default is the
        // console's width, unbounded when redirected), so it reads alike in a terminal, a log and CI.
        foreach (var help in root.Options.OfType<System.CommandLine.Help.HelpOption>())
        {
            if (help.Action is System.CommandLine.Help.HelpAction action)
            {
                action.MaxWidth = HelpWidth;
            }
        }

        if (ShellCompletion.TryAnswer(args, root, stdout))
        {
            return ExitCodes.Success;
        }

        if (args is [var first, ..] && !first.StartsWith('-') && !first.StartsWith('[') && root.Subcommands.All(c => c.Name != first))
        {
            var names = root.Subcommands.Select(c => c.Name).ToList();
            var hint = Infra.Model.Text.Spelling.Hint(names, first);
            stderr.WriteLine($"infra: error: {Printable.Of(first, 60)} = unknown command: {hint}(commands: {string.Join(", ", names)})");
            return ExitCodes.Error;
        }

        var config = new InvocationConfiguration { Output = buffered, Error = stderr, EnableDefaultExceptionHandler = false };
        int code;
        try
        {
            var parse = root.Parse(args);
            if (parse.Errors.Count > 0)
            {
                foreach (var error in parse.Errors)
                {
                    // The library's messages break lines and indent choices: one line, as every error
                    // is, and an option given twice named the way every other error names it.
                    var message = System.Text.RegularExpressions.Regex.Replace(error.Message, @"\s*\n\s*", " ");
                    var repeated = System.Text.RegularExpressions.Regex.Match(message, @"^Option '(--[a-z-]+)' expects a single argument but (\d+) were provided\.$");
                    stderr.WriteLine(repeated.Success
                        ? $"infra: error: {repeated.Groups[1].Value} = given {repeated.Groups[2].Value} times: give it once"
                        : $"infra: error: {Printable.Of(message, 1000)}");
                }

                return ExitCodes.Error;
            }

            code = parse.Invoke(config);
        }
        catch (ConfigException e)
        {
            foreach (var problem in e.Problems)
            {
                stderr.WriteLine($"infra: error: {problem}");
            }

            return ExitCodes.Error;
        }
        catch (StackConfig.ProjectInputException e)
        {
            stderr.WriteLine($"infra: error: {Printable.Of($"{OptionNames.Of(e.Input)} = {e.Value}: {e.Message}", 1000)}");
            return ExitCodes.Error;
        }
        catch (Review.ReviewArgumentException e)
        {
            stderr.WriteLine($"infra: error: {Printable.Of(OptionNames.Describe(e), 1000)}");
            return ExitCodes.Error;
        }
        catch (Review.DiffInterruptedException e)
        {
            stderr.WriteLine($"infra: {e.Message}");
            return e.ExitCode;
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"infra: error: {Printable.Of(e.Message, 1000)}");
            return ExitCodes.Error;
        }
        catch (IOException e)
        {
            stderr.WriteLine($"infra: error: {Printable.Of(e.Message, 1000)}");
            return ExitCodes.Error;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug, not bad input: say so in one line (the stack trace follows for the report).
            stderr.WriteLine($"infra: internal error: {e.GetType().Name}: {Printable.Of(e.Message, 1000)}");
            stderr.WriteLine(e.StackTrace);
            return ExitCodes.Error;
        }

        if (code != ExitCodes.Error)
        {
            stdout.Write(buffered.ToString());
            stdout.Flush();
        }

        return code;
    }

    /// <summary>The columns help wraps to.</summary>
    public const int HelpWidth = 80;

    /// <summary>The assembly version and the commit of the sources, when they are in a git checkout.</summary>
    private static string VersionLine()
    {
        var version = typeof(Program).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        var commit = "unknown (not a git checkout)";
        try
        {
            // The binary lives in .build/infra under the repository it was built from.
            var git = Review.ProcessRunner.Run("git", AppContext.BaseDirectory, ["log", "-1", "--format=%h %cs"], TimeSpan.FromSeconds(10));
            if (git.Code == 0 && git.Out.Trim() is { Length: > 0 } output)
            {
                commit = output;
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No git on this machine.
        }

        return $"infra {version} (commit {commit})";
    }

    static Program() => Console.OutputEncoding = new UTF8Encoding(false);
}
