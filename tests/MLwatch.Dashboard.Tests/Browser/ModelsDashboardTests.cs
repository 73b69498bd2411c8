using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using MLwatch.IntegrationTests.Support;
using static Microsoft.Playwright.Assertions;

namespace MLwatch.Dashboard.Tests.Browser;

/// <summary>The Models page in a real browser over the real pipeline: the active version's row counts what it served, as the API reports it.</summary>
[Trait("Category", "Browser")]
public sealed class ModelsDashboardTests : IAsyncLifetime
{
    private const int Images = 400;
    private static readonly float Patient = 45_000;
    private readonly TestBroker _broker = new();
    private SiloUnderTest _silo = null!;
    private Chromium _chromium = null!;

    public async Task InitializeAsync()
    {
        _silo = await SiloUnderTest.StartAsync(_broker.BootstrapServers, new Dictionary<string, string?> { ["Models:ServingStatsInterval"] = "00:00:00.500" });
        _chromium = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await _chromium.DisposeAsync();
        await _silo.DisposeAsync();
        _broker.Dispose();
    }

    [Fact]
    public async Task Models_page_marks_the_active_version_and_shows_its_serving_statistics()
    {
        var page = await _chromium.NewPageAsync();
        await page.GotoAsync(new Uri(_silo.Api.BaseAddress!, "models").ToString());
        await Expect(page.GetByRole(Microsoft.Playwright.AriaRole.Link, new() { Name = "Models" })).ToBeVisibleAsync(new() { Timeout = Patient });
        await Expect(page.GetByTestId("versions-fashion-mnist")).ToBeVisibleAsync(new() { Timeout = Patient });

        await _broker.ProduceFashionMnistAsync(0, Images);
        var registry = await _silo.Api.GetFromJsonAsync<JsonElement>("api/models/fashion-mnist/versions", SiloUnderTest.ApiJson);
        var active = registry.GetProperty("active").GetString()!;
        await Eventually.ReachAsync(
            async () => (await _silo.Api.GetFromJsonAsync<JsonElement>($"api/models/fashion-mnist/versions/{active}/stats", SiloUnderTest.ApiJson)).GetProperty("count").GetInt64(),
            count => count == Images,
            $"version {active} serving {Images} records");

        var row = page.GetByTestId("versions-fashion-mnist").Locator("tbody tr").Filter(new() { Has = page.GetByTestId("active-version") });
        await Expect(row).ToHaveCountAsync(1, new() { Timeout = Patient });
        await Expect(row.GetByTestId("version")).ToContainTextAsync(active);
        await Expect(row.GetByTestId("records")).ToHaveTextAsync(Images.ToString("N0", CultureInfo.InvariantCulture), new() { Timeout = Patient });
        await Expect(row.GetByTestId("errors")).ToHaveTextAsync("0");
        await Expect(row.GetByTestId("latency")).Not.ToHaveTextAsync("–");

        Directory.CreateDirectory(DashboardPipelineFixture.ScreenshotDirectory);
        await page.ScreenshotAsync(new() { Path = Path.Combine(DashboardPipelineFixture.ScreenshotDirectory, "models.png"), FullPage = true });
        await page.CloseAsync();
    }
}
