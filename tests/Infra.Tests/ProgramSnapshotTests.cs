using Infra.Emit;
using Infra.Review;
using Infra.StackConfig;
using Infra.Tests.Harness;

namespace Infra.Tests;

/// <summary>
/// The compiler's gate checks the program's tree (issue 33, item 1: render once): the snapshot read
/// from the tree must be the one read back from its rendering, for every stack, or the gate would
/// judge another program than the one Pulumi runs.
/// </summary>
public sealed class ProgramSnapshotTests
{
    public static TheoryData<string, string> Stacks() => new()
    {
        { "", "qas" },
        { "", "dev" },
        { "examples", "adopted" },
        { "examples", "bluegreen" },
    };

    [Theory]
    [MemberData(nameof(Stacks))]
    public void The_tree_snapshot_is_the_rendered_programs(string folder, string stack)
    {
        var env = StackLoader.Load(new StackSource.StackFile(folder.Length == 0 ? Repo.Root : Repo.Path(folder), stack));
        var program = ProgramEmitter.Build(env);
        var fromTree = ProgramSnapshot.From(program);
        var parsed = ProgramSnapshot.Parse(ProgramEmitter.Render(program), stack);
        Assert.Equal(parsed.Resources.Select(r => (r.Name, r.Type)), fromTree.Resources.Select(r => (r.Name, r.Type)));
        foreach (var (tree, text) in fromTree.Resources.Zip(parsed.Resources))
        {
            Assert.Equal(text.Properties, tree.Properties);
        }

        Assert.Equal(parsed.Variables, fromTree.Variables);
        Assert.Equal(parsed.Outputs, fromTree.Outputs);
    }
}
