using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;
using Infra.Tests.Harness;

namespace Infra.Tests;

/// <summary>
/// The emitted program is compared with the reviewed copy under tests/Infra.Tests/golden. A change
/// to the program is a change to review: refresh the copy only with `tests/refresh-golden`.
/// </summary>
public sealed class GoldenProgramTests
{
    [Theory]
    [InlineData("qas")]
    [InlineData("dev")]
    public void Program_matches_its_reviewed_golden_copy(string stack)
    {
        var golden = File.ReadAllText(Repo.Path("tests", "Infra.Tests", "golden", $"{stack}.yaml"));
        var actual = TestStacks.Program(stack);
        if (golden != actual)
        {
            var diff = InlineDiffBuilder.Diff(golden, actual);
            var changed = diff.Lines.Where(l => l.Type != ChangeType.Unchanged).Take(40)
                .Select(l => (l.Type == ChangeType.Inserted ? "+ " : "- ") + l.Text);
            Assert.Fail($"the {stack} program differs from golden/{stack}.yaml (run tests/refresh-golden after review):\n{string.Join('\n', changed)}");
        }
    }
}
