namespace Infra.Tests.Harness;

/// <summary>Text reports wrap prose at 80 columns between words; tests read it back as one line.</summary>
public static class Prose
{
    /// <summary>The text with every run of spaces and line breaks made one space.</summary>
    public static string Flat(string text) => string.Join(' ', text.Split([' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries));
}
