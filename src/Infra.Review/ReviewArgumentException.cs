namespace Infra.Review;

/// <summary>
/// What a review or discovery input is. The command line names each by its option, in one place
/// (infra/OptionNames.cs): the layers below the CLI know what an input is for, not how it is spelt.
/// </summary>
public enum ReviewInput
{
    Base,
    State,
    VpcId,
    Program,
    Eks,
    Fail,
    From,
    To,
    FromInterface,
    ToInterface,
    Stack,
    UpdateReadme,

    /// <summary>The AWS credentials the SDK found (not an option).</summary>
    Credentials,

    /// <summary>A live route's target (not an option: what the EC2 API answered).</summary>
    RouteTarget,
}

/// <summary>A bad review input: the CLI reports it with the option that gave it, the value and why.</summary>
public sealed class ReviewArgumentException : Exception
{
    public ReviewArgumentException(ReviewInput input, string value, string message)
        : base(message) => (Input, Value) = (input, value);

    /// <param name="subject">What is not an input of ours: an AWS call ("ec2:DescribeSubnets") or a stack-file key.</param>
    public ReviewArgumentException(string subject, string value, string message)
        : base(message) => (Subject, Value) = (subject, value);

    public ReviewInput? Input { get; }

    public string? Subject { get; }

    public string Value { get; }
}
