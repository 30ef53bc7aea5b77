using System.CommandLine;
using System.Text;
using Infra.Model.Validation;

namespace Infra.Cli;

/// <summary>Wires the commands. Each command's work lives in the libraries under src/.</summary>
public static class Program
{
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        // Commands write their whole output at the end, so a failure leaves stdout empty.
        var buffered = new StringWriter { NewLine = "\n" };
        var stackOptions = new StackOptions();
        var root = new RootCommand($"infra: the leadertools EKS environment as a generated Pulumi program, and offline review of it.\n{ExitCodes.HelpText}");
        root.Subcommands.Add(CompileCommand.Create(stackOptions, buffered));
        foreach (var command in ReviewCommands.Create(stackOptions, buffered, stderr))
        {
            root.Subcommands.Add(command);
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
                    stderr.WriteLine($"infra: error: {Printable.Of(error.Message, 1000)}");
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
        catch (Review.ReviewArgumentException e)
        {
            stderr.WriteLine($"infra: error: {Printable.Of(e.Message, 1000)}");
            return ExitCodes.Error;
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

    static Program() => Console.OutputEncoding = new UTF8Encoding(false);
}
