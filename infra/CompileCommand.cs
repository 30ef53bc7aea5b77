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
            var directory = parse.GetValue(stackOptions.Directory)!.FullName;
            var stack = parse.GetValue(stackOptions.Stack);
            var pulumiStack = Environment.GetEnvironmentVariable("PULUMI_STACK");
            string program;
            if (stack is not null)
            {
                program = ProgramEmitter.Render(StackLoader.Load(new StackSource.StackFile(directory, stack)));
            }
            else if (!string.IsNullOrEmpty(pulumiStack))
            {
                var project = Environment.GetEnvironmentVariable("PULUMI_PROJECT") is { Length: > 0 } p ? p : PulumiProject.Open(directory).Name;
                var config = Environment.GetEnvironmentVariable("PULUMI_CONFIG") is { Length: > 0 } c ? c : "{}";
                var secretKeys = Environment.GetEnvironmentVariable("PULUMI_CONFIG_SECRET_KEYS");
                program = ProgramEmitter.Render(StackLoader.Load(new StackSource.PulumiEnvironment(project, pulumiStack, config, secretKeys)));
            }
            else
            {
                // Pulumi's package-discovery call: no stack, no configuration.
                program = ProgramEmitter.RenderDiscovery(PulumiProject.Open(directory).Name);
            }

            stdout.Write(program);
            stdout.Flush();
            return ExitCodes.Success;
        });
        return command;
    }
}
