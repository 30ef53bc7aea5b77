using System.Globalization;

namespace Infra.Emit;

/// <summary>
/// A subnet's IPv6 /64 written in the program from the VPC's Amazon-provided /56, which no one knows
/// before `up`. Pulumi YAML has no arithmetic, so the /64 is made of text: the /56 as EC2 writes it
/// (the shortest form, RFC 5952: "2600:1f14:e0e:7f00::/56", its fourth group "7f00", "700" or, at 0,
/// folded into "::") is split into its first three groups and the fourth group's upper byte, and the
/// subnet's index is written after them as the shortest form of the /64 would write it. The text
/// must be exactly EC2's: terraform-provider-aws compares `ipv6_cidr_block` as text
/// (internal/service/ec2/vpc_subnet.go, v6, no DiffSuppressFunc), so "...:03::/64" against EC2's
/// "...:3::/64" would be a change on every `up`, and a replacement where `assignIpv6` is set (its
/// CustomizeDiff).
/// <para>
/// Only `fn::split` and interpolation with subscripts are used: pulumi-yaml v1.38.1 splits with Go's
/// strings.Split and walks `[i]` into a variable's list (pkg/pulumiyaml/run.go,
/// evaluateBuiltinSplit, evaluatePropertyAccessTail); every subscript below is in range whatever the
/// text. Tests evaluate these variables the same way over every shape of /56. A /56 written with
/// leading zeros (moto writes "0b00") gives the right /64 too, its fourth group in the same style.
/// </para>
/// </summary>
internal static class Ipv6SubnetBlockText
{
    /// <summary>Emits the variables the subnets' blocks are written from (once, when a subnet has an IPv6 block).</summary>
    public static void EmitVariables(ProgramContext program)
    {
        // [text before "::", ...]: the /56's groups up to its zero run. The trailing "::" makes the
        // delimiter always there (element 0 is the same for a real block) and the text always a string.
        program.Variable(Halves, Split("::", P.Concat(P.Ref(ResourceNames.Vpc, "ipv6CidrBlock"), P.Text("::"))));
        // Its groups, padded with zeros so that groups 0-3 are always there ("2600:1f14::" has two).
        program.Variable(Groups, Split(":", P.Concat(P.Item(Halves, 0), P.Text(":0:0:0"))));
        // The fourth group less its last "0" ("7f00" -> "7f0", "700" -> "70", "0" -> ""): written
        // before an index of one hex digit (1-15), so that "7f0" + "3" and "" + "3" are both shortest.
        program.Variable(FourthLessOneZero, Split("0!", P.Concat(P.Item(Groups, 3), P.Text("!"))));
        // The fourth group less its "00" ("7f00" -> "7f", "700" -> "7", "0" -> "0!"), then less a
        // lone "0!" (-> ""): its upper byte, written before an index of two hex digits (16-255).
        program.Variable(FourthUpperMarked, Split("00!", P.Concat(P.Item(Groups, 3), P.Text("!"))));
        program.Variable(FourthUpper, Split("0!", P.Item(FourthUpperMarked, 0)));
        program.Variable(ShortIndexPrefix, P.Concat(ThreeGroups(), P.Item(FourthLessOneZero, 0)));
        program.Variable(LongIndexPrefix, P.Concat(ThreeGroups(), P.Item(FourthUpper, 0)));
    }

    /// <summary>
    /// The /64 at <paramref name="index"/>: index 0 is the /56's own text at /64; 1-15 add one hex
    /// digit, 16-255 two, after the fourth group's upper part.
    /// </summary>
    public static PString Block(int index) => index switch
    {
        0 => P.Concat(P.Item(Halves, 0), P.Text("::/64")),
        < 16 => P.Concat(P.Ref(ShortIndexPrefix), P.Text(index.ToString("x", CultureInfo.InvariantCulture) + "::/64")),
        _ => P.Concat(P.Ref(LongIndexPrefix), P.Text(index.ToString("x2", CultureInfo.InvariantCulture) + "::/64")),
    };

    private static PString ThreeGroups() => P.Concat(P.Item(Groups, 0), P.Text(":"), P.Item(Groups, 1), P.Text(":"), P.Item(Groups, 2), P.Text(":"));

    private static PMap Split(string delimiter, PString source) => P.Function("split", P.List(P.Text(delimiter), source));

    private const string Halves = "vpcIpv6Halves";
    private const string Groups = "vpcIpv6Groups";
    private const string FourthLessOneZero = "vpcIpv6FourthGroupLessOneZero";
    private const string FourthUpperMarked = "vpcIpv6FourthGroupUpperMarked";
    private const string FourthUpper = "vpcIpv6FourthGroupUpper";
    private const string ShortIndexPrefix = "vpcIpv6PrefixBeforeOneDigit";
    private const string LongIndexPrefix = "vpcIpv6PrefixBeforeTwoDigits";
}
