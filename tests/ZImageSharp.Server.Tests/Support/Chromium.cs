using Microsoft.Playwright;

namespace ZImageSharp.Server.Tests.Support;

/// <summary>
/// Debian's chromium driven by Playwright: never a downloaded browser (Playwright is given the executable), a fresh
/// profile per launch, and switches that keep it off the network and quiet in a container.
/// </summary>
internal sealed class Chromium : IAsyncDisposable
{
    /// <summary>Where Debian's package puts it; <c>ZIMAGE_CHROMIUM</c> overrides.</summary>
    public static string ExecutablePath => Environment.GetEnvironmentVariable("ZIMAGE_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    /// <summary>Why the browser tests cannot run here, or null when they can.</summary>
    public static string? Unavailable => File.Exists(ExecutablePath)
        ? null
        : $"no chromium at {ExecutablePath}: install Debian's package (apt-get install -y chromium; .ci/run does) or set ZIMAGE_CHROMIUM.";

    private static readonly string[] s_args =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
    ];

    private readonly IPlaywright _playwright;
    private readonly string _profile;

    private Chromium(IPlaywright playwright, IBrowserContext context, string profile)
    {
        _playwright = playwright;
        Context = context;
        _profile = profile;
    }

    /// <summary>The browser's one context (a persistent context is how Playwright takes a user-data-dir).</summary>
    public IBrowserContext Context { get; }

    /// <summary>Starts chromium headless with a new empty profile.</summary>
    public static async Task<Chromium> LaunchAsync(string locale)
    {
        string profile = Path.Combine(Path.GetTempPath(), "zimage-chromium-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(profile);
        IPlaywright playwright = await Playwright.CreateAsync();
        try
        {
            IBrowserContext context = await playwright.Chromium.LaunchPersistentContextAsync(profile, new BrowserTypeLaunchPersistentContextOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Args = s_args,
                Locale = locale,
                ViewportSize = new ViewportSize { Width = 1280, Height = 860 },
                Timeout = (float)ControlledGenerator.Guard.TotalMilliseconds,
            });
            context.SetDefaultTimeout((float)ControlledGenerator.Guard.TotalMilliseconds);
            return new Chromium(playwright, context, profile);
        }
        catch
        {
            playwright.Dispose();
            Directory.Delete(profile, recursive: true);
            throw;
        }
    }

    /// <summary>The page the browser opened with.</summary>
    public async Task<IPage> PageAsync() => Context.Pages.Count > 0 ? Context.Pages[0] : await Context.NewPageAsync();

    public async ValueTask DisposeAsync()
    {
        await Context.CloseAsync();
        _playwright.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // chromium may still be flushing its profile; a temporary folder is fine to leave.
        }
    }
}
