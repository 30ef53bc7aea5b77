using System.Globalization;
using Infra.Review;

namespace Infra.Cli;

/// <summary>
/// How wide and how plain text output is: COLUMNS when set (as shells export it), else the
/// terminal's width; piped output is plain ASCII at a fixed width, so files and CI logs are the
/// same everywhere. NO_COLOR (no-color.org) also asks for plain output; no command prints color.
/// </summary>
internal static class Terminal
{
    private const int PipedWidth = 80;

    public static TextLayout Layout
    {
        get
        {
            var piped = Console.IsOutputRedirected;
            var plain = piped || Environment.GetEnvironmentVariable("NO_COLOR") is { Length: > 0 };
            return new TextLayout(Width(piped), !plain);
        }
    }

    private static int Width(bool piped)
    {
        if (int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), NumberStyles.None, CultureInfo.InvariantCulture, out var columns) && columns >= 40)
        {
            return Math.Min(columns, 1000);
        }

        if (!piped)
        {
            try
            {
                return Math.Max(Console.WindowWidth, 40);
            }
            catch (IOException)
            {
                // No terminal after all.
            }
        }

        return PipedWidth;
    }
}
