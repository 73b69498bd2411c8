using System.Diagnostics;
using System.Globalization;
using Microsoft.Playwright;
using MLwatch.Dashboard.Live;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace MLwatch.Dashboard.Tests.Browser;

/// <summary>The dashboard in a real browser over the real pipeline: what it shows equals what the API reports.</summary>
[Trait("Category", "Browser")]
public sealed class PipelineDashboardTests(DashboardPipelineFixture pipeline, ITestOutputHelper output) : IClassFixture<DashboardPipelineFixture>
{
    private static readonly float Patient = 45_000;

    [Fact]
    public async Task Overview_updates_without_a_reload_and_ends_at_the_api_totals()
    {
        var clock = Stopwatch.StartNew();
        var page = await pipeline.Chromium.NewPageAsync();
        await page.GotoAsync(pipeline.BaseAddress.ToString());
        // Interactive once the circuit's timer has refreshed the page at least twice (the first render is prerendered).
        await Expect(page.GetByTestId("refresh-status")).Not.ToHaveAttributeAsync("data-refreshes", new System.Text.RegularExpressions.Regex("^[01]$"), new() { Timeout = Patient });
        var firstRender = await page.EvaluateAsync<double>("() => performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd");
        var interactive = await page.EvaluateAsync<double>("() => performance.now()");
        await page.EvaluateAsync(
            """
            () => {
              window.__reloadMarker = 'still here';
              window.__refreshTimes = [];
              const status = document.querySelector('[data-testid=refresh-status]');
              new MutationObserver(() => window.__refreshTimes.push(performance.now()))
                .observe(status, { attributes: true, attributeFilter: ['data-refreshes'] });
            }
            """);
        var before = await page.GetByTestId("total-predictions").InnerTextAsync();

        var production = pipeline.ProduceAsync(DashboardPipelineFixture.Images);
        await Expect(page.GetByTestId("total-predictions")).Not.ToHaveTextAsync(before, new() { Timeout = Patient });
        await Expect(page.GetByTestId("rate")).Not.ToHaveTextAsync("0.0", new() { Timeout = Patient });
        await production;
        var api = await pipeline.StreamEndedAsync();
        var total = api.GetProperty("total").GetInt64();

        await Expect(page.GetByTestId("total-predictions")).ToHaveTextAsync(Formats.Count(total), new() { Timeout = Patient });
        Assert.Equal("still here", await page.EvaluateAsync<string>("() => window.__reloadMarker"));
        // The one silo owns every partition of the topic; its receivers reported them.
        await Expect(page.GetByTestId("silos")).ToContainTextAsync("mlwatch.requests/0", new() { Timeout = Patient });
        await page.WaitForFunctionAsync("() => window.__refreshTimes.length >= 6", null, new() { Timeout = Patient });
        var refreshTimes = await page.EvaluateAsync<double[]>("() => window.__refreshTimes");
        var intervals = refreshTimes.Zip(refreshTimes.Skip(1), (a, b) => b - a).ToArray();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"overview: DOMContentLoaded {firstRender:F0} ms after navigation start; interactive (2nd refresh) by {interactive:F0} ms; " +
            $"{refreshTimes.Length} DOM updates, interval mean {Mean(intervals):F0} ms, median {Median(intervals):F0} ms, max {(intervals.Length == 0 ? 0 : intervals.Max()):F0} ms"));

        Directory.CreateDirectory(DashboardPipelineFixture.ScreenshotDirectory);
        await page.ScreenshotAsync(new() { Path = Path.Combine(DashboardPipelineFixture.ScreenshotDirectory, "overview.png"), FullPage = true });
        await page.CloseAsync();
        output.WriteLine($"test took {clock.Elapsed.TotalSeconds:F1} s (pipeline started by the fixture before)");
    }

    [Fact]
    public async Task Labels_page_shows_every_label_with_the_api_counts()
    {
        var clock = Stopwatch.StartNew();
        var api = await pipeline.StreamEndedAsync();
        var page = await pipeline.Chromium.NewPageAsync();

        await page.GotoAsync(new Uri(pipeline.BaseAddress, "models/fashion-mnist/labels").ToString());

        await Expect(page.GetByTestId("labels-total")).ToHaveTextAsync(Formats.Count(api.GetProperty("total").GetInt64()), new() { Timeout = Patient });
        foreach (var label in api.GetProperty("labels").EnumerateArray())
        {
            var row = page.Locator("tr.mud-table-row").Filter(new() { Has = page.GetByTestId("label-link").GetByText(label.GetProperty("label").GetString()!, new() { Exact = true }) });
            await Expect(row.Locator("td").Nth(1)).ToHaveTextAsync(Formats.Count(label.GetProperty("count").GetInt64()), new() { Timeout = Patient });
        }

        await Expect(page.Locator("[data-testid=frequency-chart] svg, svg").First).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(DashboardPipelineFixture.ScreenshotDirectory, "labels.png"), FullPage = true });
        await page.CloseAsync();
        output.WriteLine($"test took {clock.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public async Task Label_detail_page_shows_the_api_count_and_its_charts()
    {
        var clock = Stopwatch.StartNew();
        var api = await pipeline.StreamEndedAsync();
        var busiest = api.GetProperty("labels").EnumerateArray().MaxBy(l => l.GetProperty("count").GetInt64());
        var label = busiest.GetProperty("label").GetString()!;
        var page = await pipeline.Chromium.NewPageAsync();

        await page.GotoAsync(new Uri(pipeline.BaseAddress, DashboardLinks.Label("fashion-mnist", label)).ToString());

        await Expect(page.GetByTestId("label-name")).ToHaveTextAsync(label, new() { Timeout = Patient });
        await Expect(page.GetByTestId("label-count")).ToHaveTextAsync(Formats.Count(busiest.GetProperty("count").GetInt64()), new() { Timeout = Patient });
        await Expect(page.Locator("svg path, svg rect").First).ToBeAttachedAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(DashboardPipelineFixture.ScreenshotDirectory, "label-detail.png"), FullPage = true });
        await page.CloseAsync();
        output.WriteLine($"test took {clock.Elapsed.TotalSeconds:F1} s");
    }

    private static double Mean(double[] values) => values.Length == 0 ? 0 : values.Average();

    private static double Median(double[] values) => values.Length == 0 ? 0 : values.Order().ElementAt(values.Length / 2);
}
