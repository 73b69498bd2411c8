using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MLwatch.Abstractions.Stats;
using MLwatch.IntegrationTests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace MLwatch.Dashboard.Tests.Browser;

/// <summary>A model with 1,000 labels: the Labels page renders all of them through a virtualized grid that scrolls.</summary>
[Trait("Category", "Browser")]
public sealed class ManyLabelsTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int LabelCount = 1_000;
    private static readonly float Patient = 45_000;

    private readonly string _modelsRoot = Path.Combine(Path.GetTempPath(), "mlwatch-many-labels-" + Guid.NewGuid().ToString("N")[..8]);
    private SiloUnderTest? _silo;
    private Chromium? _chromium;

    public async Task InitializeAsync()
    {
        // A model "many" with 1,000 labels; the tiny test ONNX model stands in (nothing is inferred: grains are seeded).
        var model = Directory.CreateDirectory(Path.Combine(_modelsRoot, "many"));
        var tiny = Path.Combine(AppContext.BaseDirectory, "TestModels", "tiny");
        File.WriteAllText(Path.Combine(model.FullName, "config.json"), File.ReadAllText(Path.Combine(tiny, "config.json")).Replace("\"tiny\"", "\"many\"", StringComparison.Ordinal));
        File.WriteAllLines(Path.Combine(model.FullName, "labels.txt"), Enumerable.Range(0, LabelCount).Select(Label));
        Directory.CreateDirectory(Path.Combine(model.FullName, "1"));
        File.Copy(Path.Combine(tiny, "1", "model.onnx"), Path.Combine(model.FullName, "1", "model.onnx"));

        _silo = await SiloUnderTest.StartAsync(bootstrapServers: "", new Dictionary<string, string?>
        {
            ["Inference:ModelsRoot"] = _modelsRoot,
            ["Inference:DefaultModel"] = "many",
        });
        _chromium = await Chromium.LaunchAsync();
    }

    [Fact]
    public async Task A_thousand_labels_render_and_scroll_through_the_virtualized_grid()
    {
        var clock = Stopwatch.StartNew();
        var grains = _silo!.Services.GetRequiredService<IGrainFactory>();
        await Task.WhenAll(Enumerable.Range(0, LabelCount).Select(i => grains
            .GetGrain<ILabelStatsGrain>(new LabelStatsKey("many", "1", Label(i)).ToString())
            .ApplyAsync(new LabelObservationBatch("seed", [.. Enumerable.Range(0, 1 + (i % 7)).Select(o => new LabelObservation(0, o, 0.5f + (i % 50) / 100f, 1_700_000_000_000, 5, null))]))
            .AsTask()));
        var expectedTotal = Enumerable.Range(0, LabelCount).Sum(i => 1 + (i % 7));
        var seeded = clock.Elapsed;

        var page = await _chromium!.NewPageAsync();
        var navigation = Stopwatch.StartNew();
        await page.GotoAsync(new Uri(_silo.Api.BaseAddress!, "models/many/labels").ToString());
        await Expect(page.GetByTestId("labels-count")).ToHaveTextAsync("1,000", new() { Timeout = Patient });
        await Expect(page.GetByTestId("labels-total")).ToHaveTextAsync(expectedTotal.ToString("N0", CultureInfo.InvariantCulture), new() { Timeout = Patient });
        var links = page.GetByTestId("label-link");
        await Expect(links.First).ToHaveTextAsync(Label(0), new() { Timeout = Patient });
        var firstRows = await links.AllInnerTextsAsync();
        output.WriteLine($"1,000 labels: seeded in {seeded.TotalMilliseconds:F0} ms; labels page with rows in {navigation.ElapsedMilliseconds} ms; {firstRows.Count} rows in the DOM at the top");
        Assert.InRange(firstRows.Count, 1, LabelCount / 4);

        var scroll = Stopwatch.StartNew();
        await page.Locator("[data-testid=labels-grid] .mud-table-container").EvaluateAsync("c => c.scrollTop = c.scrollHeight");
        await Expect(links.GetByText(Label(LabelCount - 1), new() { Exact = true })).ToBeVisibleAsync(new() { Timeout = Patient });
        var lastRows = await links.AllInnerTextsAsync();
        output.WriteLine($"scrolled to the end in {scroll.ElapsedMilliseconds} ms; {lastRows.Count} rows in the DOM, first {lastRows[0]}");
        Assert.DoesNotContain(Label(0), lastRows);
        Assert.InRange(lastRows.Count, 1, LabelCount / 4);
        await page.CloseAsync();
        output.WriteLine($"test took {clock.Elapsed.TotalSeconds:F1} s");
    }

    private static string Label(int i) => $"label-{i:D4}";

    public async Task DisposeAsync()
    {
        if (_chromium is not null)
        {
            await _chromium.DisposeAsync();
        }

        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }

        Directory.Delete(_modelsRoot, recursive: true);
    }
}
