using Microsoft.Playwright;
using ZImageSharp.Server.Tests.Support;

namespace ZImageSharp.Server.Tests.Browser;

/// <summary>
/// The web UI in a real browser (Debian's chromium, headless, through Playwright): switch to 中文, type a prompt,
/// generate, follow the SSE progress, and see the image decoded in the gallery. Leaves a screenshot in artifacts/.
/// </summary>
public sealed class WebUiBrowserTests
{
    /// <summary>Collects every text the progress line shows (SSE events come faster than a poll would see them).</summary>
    private const string RecordProgress = """
        () => {
          window.__progress = [];
          const target = document.getElementById("progress-text");
          new MutationObserver(records => {
            for (const r of records) for (const n of r.addedNodes) window.__progress.push(n.textContent);
          }).observe(target, { childList: true, characterData: true, subtree: true });
        }
        """;

    [Fact]
    public async Task InChinese_APromptBecomesADecodedImageInTheGallery_WithLiveProgress()
    {
        Assert.SkipWhen(Chromium.Unavailable is not null, Chromium.Unavailable ?? string.Empty);
        await using TestServer server = await TestServer.StartAsync(systemClock: true);
        await using Chromium chromium = await Chromium.LaunchAsync("en-US");
        IPage page = await chromium.PageAsync();
        var consoleErrors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                consoleErrors.Add(message.Text);
            }
        };

        await page.GotoAsync(server.Server.BaseAddress.ToString());
        await page.Locator("#server-status[data-state='ready']").WaitForAsync();
        Assert.Equal("Generate", await page.Locator("#generate").TextContentAsync());
        Assert.False(await page.Locator("#demo-notice").IsHiddenAsync(), "the demo model is said plainly");

        await page.ClickAsync("#lang-zh");
        Assert.Equal("zh-CN", await page.EvaluateAsync<string>("() => document.documentElement.lang"));
        Assert.Equal("生成", await page.Locator("#generate").TextContentAsync());
        Assert.Equal("就绪", await page.Locator("#server-status-text").TextContentAsync());
        Assert.Equal("内置演示模型（随机权重） · cpu", await page.Locator("#model-name").TextContentAsync());
        Assert.Equal("true", await page.Locator("#lang-zh").GetAttributeAsync("aria-pressed"));
        Assert.Equal(["1024²", "768×1344", "1344×768", "512²", "256²"], await page.Locator("#presets button").AllTextContentsAsync());

        await page.FillAsync("#prompt", "雪地里的一只红狐狸，黄金时刻");
        await page.SelectOptionAsync("#seed-mode", "fixed");
        await page.FillAsync("#seed", "1234");
        await page.EvaluateAsync(RecordProgress);
        await page.ClickAsync("#generate");

        ILocator image = page.Locator("#gallery .card img").First;
        await image.WaitForAsync();
        await page.WaitForFunctionAsync("() => { const i = document.querySelector('#gallery .card img'); return i && i.complete && i.naturalWidth > 0; }");
        Assert.Equal(256, await image.EvaluateAsync<int>("i => i.naturalWidth"));
        Assert.Equal(256, await image.EvaluateAsync<int>("i => i.naturalHeight"));

        string[] progress = await page.EvaluateAsync<string[]>("() => window.__progress");
        Assert.Contains("去噪：第 8 / 8 步", progress);
        Assert.StartsWith("完成，用时", progress[^1], StringComparison.Ordinal);
        Assert.Equal("100%", await page.Locator("#progress-fill").EvaluateAsync<string>("e => e.style.width"));
        string parameters = await page.Locator("#gallery .card .params").TextContentAsync() ?? string.Empty;
        Assert.Contains("种子 1234", parameters, StringComparison.Ordinal);
        Assert.Contains("8 步", parameters, StringComparison.Ordinal);
        Assert.Equal("雪地里的一只红狐狸，黄金时刻", await page.Locator("#gallery .card .prompt-text").TextContentAsync());
        Assert.Equal("1 张图像", await page.Locator("#gallery-count").TextContentAsync());
        Assert.Matches("^/api/v1/images/[0-9a-f]{32}\\?download=1$", await page.Locator("#gallery .card a").GetAttributeAsync("href"));

        // What the browser showed is what the server made: the job it submitted has this seed and prompt.
        Assert.Single(server.Generator.Batches);
        Assert.Equal(("雪地里的一只红狐狸，黄金时刻", 1234UL), (server.Generator.Batches[0][0].Prompt, server.Generator.Batches[0][0].Seed!.Value));

        string screenshot = Path.Combine(Artifacts.Folder, "server-web-ui.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        Assert.True(new FileInfo(screenshot).Length > 0);
        Assert.Empty(consoleErrors);
    }
}
