using System.Globalization;
using Microsoft.Playwright;
using MLwatch.Cli.Producing;
using MLwatch.Cli.Producing.Shifts;
using MLwatch.IntegrationTests.Support;
using static Microsoft.Playwright.Assertions;

namespace MLwatch.Dashboard.Tests.Browser;

/// <summary>The Drift page in a real browser over the real pipeline: an unshifted stream, then a rotated one.</summary>
[Trait("Category", "Browser")]
public sealed class DriftDashboardTests : IAsyncLifetime
{
    private static readonly float Patient = 45_000;
    private readonly TestBroker _broker = new();
    private SiloUnderTest _silo = null!;
    private Chromium _chromium = null!;

    public async Task InitializeAsync()
    {
        _silo = await SiloUnderTest.StartAsync(_broker.BootstrapServers);
        _chromium = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await _chromium.DisposeAsync();
        await _silo.DisposeAsync();
        _broker.Dispose();
    }

    [Fact]
    public async Task Drift_page_shows_the_windows_and_the_alerts_the_api_reports()
    {
        var page = await _chromium.NewPageAsync();
        await page.GotoAsync(new Uri(_silo.Api.BaseAddress!, "models/fashion-mnist/drift").ToString());
        await Expect(page.GetByTestId("empty-state")).ToContainTextAsync("No window closed yet", new() { Timeout = Patient });

        await _broker.ProduceFashionMnistAsync(0, 2000);
        await _broker.ProduceAsync(new ShiftedImageSource(ImageSources.Open(ImageSources.FashionMnist), ImageShiftParser.Parse("rotate:90"), seed: 1), 2000);
        var drift = await Eventually.ReachAsync(() => _silo.GetDriftAsync(), d => d.Windows.Length == 4, "four windows closed");

        await Expect(page.GetByTestId("windows-closed")).ToHaveTextAsync("4", new() { Timeout = Patient });
        await Expect(page.GetByTestId("active-alerts")).ToHaveTextAsync(drift.ActiveAlerts.Length.ToString(CultureInfo.InvariantCulture), new() { Timeout = Patient });
        Assert.Contains(drift.ActiveAlerts, a => a.Kind == "label-drift");
        await Expect(page.GetByTestId("active-alert")).ToHaveCountAsync(drift.ActiveAlerts.Length, new() { Timeout = Patient });
        await Expect(page.GetByTestId("alert-history").Locator("tbody tr")).ToHaveCountAsync(drift.ActiveAlerts.Length, new() { Timeout = Patient });
        await Expect(page.GetByTestId("label-drift-chart").Locator("svg").First).ToBeVisibleAsync();

        Directory.CreateDirectory(DashboardPipelineFixture.ScreenshotDirectory);
        await page.ScreenshotAsync(new() { Path = Path.Combine(DashboardPipelineFixture.ScreenshotDirectory, "drift.png"), FullPage = true });
        await page.CloseAsync();
    }
}
