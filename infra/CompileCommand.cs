using System.CommandLine;
using Infra.Emit;
using Infra.StackConfig;

namespace Infra.Cli;

/// <summary>
/// `infra compile`: what Pulumi's YAML runtime runs (see Pulumi.yaml). Prints the program on
/// stdout, and nothing at all when it fails.
/// </summary>
internal static class CompileCommand
{
    public static Command Create(StackOptions stackOptions, TextWriter stdout)
    {
        var command = new Command("compile", "Print the Pulumi YAML program for a stack (Pulumi runs this as the YAML compiler).");
        stackOptions.AddTo(command);
        command.SetAction(parse =>
        {
            string program;
            if (stackOptions.Resolve(parse) is { } source)
            {
                var (env, positions) = StackLoader.LoadLocated(source);
                program = Review.CompilerGate.Compile(env, positions);
            }
            else
            {
                // Pulumi's package-discovery call: no stack, no configuration.
                program = ProgramEmitter.RenderDiscovery(PulumiProject.Open(parse.GetValue(stackOptions.Directory)!.FullName).Name);
                if (!Console.IsOutputRedirected)
                {
                    // Someone typed the command: say what this is (Pulumi captures stdout, so it never sees this).
                    Console.Error.WriteLine("infra: no stack given, so this is the package-discovery program Pulumi asks for first. For a stack's program: ./infra/pulumi-compiler --stack qas");
                }
            }

            stdout.Write(program);
            stdout.Flush();
            return ExitCodes.Success;
        });
        return command;
    }
}
