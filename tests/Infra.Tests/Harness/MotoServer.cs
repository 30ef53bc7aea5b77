using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Infra.Tests.Harness;

/// <summary>
/// moto's EC2 emulator (`moto_server`) on 127.0.0.1 and a free port, stopped when disposed: the
/// real EC2 API shape for discover and drift, with nothing deployed. Credentials are moto's
/// conventional dummies, given to the SDK explicitly.
/// </summary>
public sealed class MotoServer : IDisposable
{
    private readonly Process _process;

    public string Endpoint { get; }

    private MotoServer(Process process, string endpoint)
    {
        _process = process;
        Endpoint = endpoint;
    }

    /// <summary>Why moto tests cannot run here, or null when they can.</summary>
    public static string? Unavailable =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(d => File.Exists(Path.Combine(d, "moto_server")))
            ? null
            : "moto_server is not on PATH: install it with `pip install 'moto[server]'` (CI sets INFRA_REQUIRE_MOTO=1 and fails instead of skipping)";

    /// <summary>Why a moto test is skipped here: null where moto runs, or where INFRA_REQUIRE_MOTO=1 makes its absence a failure.</summary>
    public static string? SkipReason => Environment.GetEnvironmentVariable("INFRA_REQUIRE_MOTO") == "1" ? null : Unavailable;

    /// <param name="environment">moto's own settings, e.g. INITIAL_NO_AUTH_ACTION_COUNT to enforce IAM after that many calls.</param>
    public static MotoServer Start(IReadOnlyDictionary<string, string>? environment = null)
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var start = new ProcessStartInfo("moto_server", ["-H", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new MotoServer(process, $"http://127.0.0.1:{port}");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        while (true)
        {
            try
            {
                http.GetAsync($"{server.Endpoint}/moto-api/").GetAwaiter().GetResult();
                return server;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                if (process.HasExited || DateTime.UtcNow > deadline)
                {
                    server.Dispose();
                    throw new InvalidOperationException($"moto_server did not answer on {server.Endpoint}", e);
                }

                Thread.Sleep(200);
            }
        }
    }

    /// <summary>An EC2 client of the emulator, with moto's dummy credentials.</summary>
    public Amazon.EC2.IAmazonEC2 Client(string region = "us-west-2") =>
        new Amazon.EC2.AmazonEC2Client(new Amazon.Runtime.BasicAWSCredentials("testing", "testing"),
            new Amazon.EC2.AmazonEC2Config { ServiceURL = Endpoint, AuthenticationRegion = region });

    /// <summary>
    /// One IAM query-API call (moto routes it by the credential scope of the Authorization header,
    /// which it does not verify before it enforces IAM); returns the response XML.
    /// </summary>
    public string Iam(string action, params (string Key, string Value)[] parameters)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint)
        {
            Content = new FormUrlEncodedContent([new("Action", action), new("Version", "2010-05-08"), .. parameters.Select(p => new KeyValuePair<string, string>(p.Key, p.Value))]),
        };
        request.Headers.TryAddWithoutValidation("Authorization", "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0");
        var response = http.Send(request);
        var body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        return response.IsSuccessStatusCode ? body : throw new InvalidOperationException($"iam {action}: {body}");
    }

    /// <summary>Empties the emulator's state, so that each test seeds its own.</summary>
    public void Reset()
    {
        using var http = new HttpClient();
        http.PostAsync($"{Endpoint}/moto-api/reset", null).GetAwaiter().GetResult().EnsureSuccessStatusCode();
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }
}

/// <summary>A fact that needs moto_server: skipped with how to install it, except where INFRA_REQUIRE_MOTO=1 (CI) makes it fail.</summary>
public sealed class NeedsMotoFactAttribute : FactAttribute
{
    public NeedsMotoFactAttribute() => Skip = MotoServer.SkipReason;
}

/// <summary>A theory that needs moto_server, skipped or failed as <see cref="NeedsMotoFactAttribute"/>.</summary>
public sealed class NeedsMotoTheoryAttribute : TheoryAttribute
{
    public NeedsMotoTheoryAttribute() => Skip = MotoServer.SkipReason;
}
