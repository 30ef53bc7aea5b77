using System.Globalization;
using Infra.Emit;
using Infra.Review;
using Infra.StackConfig;
using Infra.Tests.Harness;

namespace Infra.Tests;

/// <summary>
/// Output must not depend on the culture: the product runs culture-invariant, and these tests run
/// the same code in-process under cultures that format numbers and case letters differently.
/// </summary>
public sealed class CultureTests
{
    private static T Under<T>(string culture, Func<T> action)
    {
        var (previous, previousUi) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(culture);
            return action();
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (previous, previousUi);
        }
    }

    [Theory]
    [InlineData("tr-TR")]
    [InlineData("de-DE")]
    [InlineData("ar-SA")]
    public void Program_is_byte_identical_under_another_culture(string culture)
    {
        var program = Under(culture, () =>
        {
            var (env, positions) = StackLoader.LoadLocated(new StackSource.StackFile(Repo.Root, "qas"));
            return CompilerGate.Compile(env, positions);
        });
        Assert.Equal(TestStacks.Program("qas"), program);
    }

    [Theory]
    [InlineData("tr-TR")]
    [InlineData("de-DE")]
    public void Reports_are_identical_under_another_culture(string culture)
    {
        var env = StackLoader.Load(new StackSource.StackFile(Repo.Root, "qas"));
        string Reports() => Capacity.ToReport(Capacity.Compute(ValidatedEnvironment.From(env), InstanceLimits.Embedded)).Render(OutputFormat.Text)
            + Plan.ToReport(Plan.Compute(ValidatedEnvironment.From(env), ProgramEmitter.Build(env))).Render(OutputFormat.Json);
        Assert.Equal(Under("en-US", Reports), Under(culture, Reports));
    }

    /// <summary>Reported as skipped, not passed, where ../shared does not sit beside the repository.</summary>
    [NeedsSharedFact]
    public void Embedded_eni_limits_table_is_the_shared_one() =>
        Assert.Equal(File.ReadAllText(Path.Combine(Repo.Shared!, "data", "ec2-eni-limits.csv")), File.ReadAllText(Repo.Path("src", "Infra.Model", "ec2-eni-limits.csv")));
}
