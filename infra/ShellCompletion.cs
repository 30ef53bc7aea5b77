using System.CommandLine;
using System.CommandLine.Completions;
using System.Text.RegularExpressions;

namespace Infra.Cli;

/// <summary>
/// Shell completion through System.CommandLine's `[suggest:POSITION]` directive, answered here so
/// that only what starts with the word under the cursor is offered (the library's own answer keeps
/// every candidate that merely contains it: "la" offered "plan"), and only the line up to the cursor
/// (bash's COMP_POINT) is read. Value sources for the options that name things of the stack live
/// beside the options they complete.
/// </summary>
internal static partial class ShellCompletion
{
    [GeneratedRegex(@"^\[suggest(?::(?<position>[0-9]+))?\]$")]
    private static partial Regex Directive();

    /// <summary>True when <paramref name="args"/> is a completion request; the offers are written one per line.</summary>
    public static bool TryAnswer(string[] args, RootCommand root, TextWriter stdout)
    {
        if (args is not [var first, .. var rest] || Directive().Match(first) is not { Success: true } directive)
        {
            return false;
        }

        var line = string.Join(' ', rest);
        var position = directive.Groups["position"].Success && int.TryParse(directive.Groups["position"].Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var p)
            ? Math.Min(p, line.Length)
            : line.Length;
        var typed = line[..position];
        var word = typed.Length == 0 || char.IsWhiteSpace(typed[^1]) ? "" : typed.Split(' ', '\t')[^1];
        IEnumerable<string> offers;
        try
        {
            offers = [.. root.Parse(typed).GetCompletions(position)
                .Select(c => c.Label)
                .Where(label => label.StartsWith(word, StringComparison.Ordinal))
                .Distinct(StringComparer.Ordinal)];
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A half-typed line must never break the user's shell: offer nothing.
            offers = [];
        }

        foreach (var offer in offers)
        {
            stdout.WriteLine(offer);
        }

        stdout.Flush();
        return true;
    }

    /// <summary>Offers computed from the stack the line names; nothing when it names none or it does not load.</summary>
    public static Func<CompletionContext, IEnumerable<CompletionItem>> FromStack(StackOptions stack, Func<EnvironmentSpec, IEnumerable<string>> values) =>
        context =>
        {
            try
            {
                return [.. values(stack.LoadRequired(context.ParseResult)).Select(v => new CompletionItem(v))];
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A half-typed line names a stack that does not load yet: offer nothing rather than fail the shell.
                return [];
            }
        };

    /// <summary>The gateways of the stack (trace --fail).</summary>
    public static IEnumerable<string> Gateways(EnvironmentSpec env) => env.Network.Gateways.Select(g => g.Name).Order(StringComparer.Ordinal);

    /// <summary>The subnets of the stack as role/zone (trace --from and --to).</summary>
    public static IEnumerable<string> Subnets(EnvironmentSpec env) => env.Network.OrderedSubnets.Select(s => s.Key);

    /// <summary>The load balancers of the stack as trace --to names them.</summary>
    public static IEnumerable<string> LoadBalancers(EnvironmentSpec env) => Review.Trace.LoadBalancerNames(env.Cluster);

    /// <summary>The interface kinds trace may be told to start or end at.</summary>
    public static IEnumerable<CompletionItem> InterfaceKinds(CompletionContext context) =>
        Enum.GetValues<InterfaceKind>().Where(k => k != InterfaceKind.LoadBalancer).Select(k => new CompletionItem(k.Key()));

    /// <summary>Git revisions diff --base can compare with: HEAD, branches, remote branches and tags of the project.</summary>
    public static Func<CompletionContext, IEnumerable<CompletionItem>> GitRevisions(StackOptions stack) =>
        context =>
        {
            try
            {
                var directory = context.ParseResult.GetValue(stack.Directory)?.FullName ?? ".";
                var refs = Review.ProcessRunner.Run("git", directory, ["for-each-ref", "--format=%(refname:short)", "refs/heads", "refs/remotes", "refs/tags"], TimeSpan.FromSeconds(5));
                return refs.Code != 0
                    ? []
                    : [new CompletionItem("HEAD"), .. refs.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).Select(r => new CompletionItem(r))];
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return []; // no git on PATH
            }
        };

    /// <summary>
    /// Files for a file option: the directories and the files with one of <paramref name="extensions"/>
    /// where the typed word points (relative to the shell's directory), in ordinal order; directories
    /// end in '/' so the next completion goes inside.
    /// </summary>
    public static Func<CompletionContext, IEnumerable<CompletionItem>> Files(params string[] extensions) =>
        context =>
        {
            var word = context.WordToComplete;
            var slash = word.LastIndexOf('/');
            var typedDirectory = slash < 0 ? "" : word[..(slash + 1)];
            try
            {
                var directory = new DirectoryInfo(typedDirectory.Length == 0 ? "." : typedDirectory);
                var directories = directory.EnumerateDirectories().Where(d => !d.Name.StartsWith('.')).Select(d => typedDirectory + d.Name + "/");
                var files = directory.EnumerateFiles().Where(f => extensions.Any(e => f.Name.EndsWith(e, StringComparison.OrdinalIgnoreCase))).Select(f => typedDirectory + f.Name);
                return [.. directories.Concat(files).Order(StringComparer.Ordinal).Select(path => new CompletionItem(path))];
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.SecurityException)
            {
                return []; // a directory that is not there or not readable offers nothing
            }
        };
}
