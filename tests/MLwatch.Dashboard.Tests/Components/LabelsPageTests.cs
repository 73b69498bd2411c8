using AngleSharp.Dom;
using Bunit;
using MLwatch.Dashboard.Components.Pages;
using MLwatch.Dashboard.Live;
using MLwatch.Dashboard.Tests.Support;
using MudBlazor;

namespace MLwatch.Dashboard.Tests.Components;

public sealed class LabelsPageTests
{
    private static FakeStats ThreeLabels() => new FakeStats().WithModel(
        "fashion-mnist",
        ("Bag", 250, 0.9),
        ("T-shirt/top", 1_000, 0.8),
        ("Sandal", 750, 0.7));

    private static IRenderedComponent<Labels> Render(DashboardTestContext context, string model = "fashion-mnist") =>
        context.Render<Labels>(p => p.Add(x => x.Model, model));

    private static List<string> RenderedLabels(IRenderedComponent<Labels> page) =>
        [.. page.FindAll("[data-testid=label-link]").Select(a => a.TextContent.Trim())];

    [Fact]
    public async Task Every_label_shows_its_count_share_and_confidences()
    {
        await using var context = new DashboardTestContext(ThreeLabels());

        var page = Render(context);

        Assert.Equal("2,000", page.Find("[data-testid=labels-total]").TextContent);
        Assert.Equal("3", page.Find("[data-testid=labels-count]").TextContent);
        Assert.Equal(["Bag", "T-shirt/top", "Sandal"], RenderedLabels(page));
        var shirtRow = page.FindAll("tr").Single(r => r.TextContent.Contains("T-shirt/top", StringComparison.Ordinal));
        Assert.Equal(["T-shirt/top", "1,000", "50.0 %", "0.800", "0.700", "0.900"], Cells(shirtRow));
        Assert.Equal("models/fashion-mnist/labels/T-shirt%2Ftop", page.FindAll("[data-testid=label-link]")[1].GetAttribute("href"));
    }

    [Fact]
    public async Task Sorting_by_count_orders_the_rows()
    {
        await using var context = new DashboardTestContext(ThreeLabels());
        var page = Render(context);
        var grid = page.FindComponent<MudDataGrid<LabelRow>>();

        await page.InvokeAsync(() => grid.Instance.SetSortAsync("Count", SortDirection.Descending, r => r.Count));

        page.WaitForAssertion(() => Assert.Equal(["T-shirt/top", "Sandal", "Bag"], RenderedLabels(page)));

        await page.InvokeAsync(() => grid.Instance.SetSortAsync("Count", SortDirection.Ascending, r => r.Count));

        page.WaitForAssertion(() => Assert.Equal(["Bag", "Sandal", "T-shirt/top"], RenderedLabels(page)));
    }

    [Fact]
    public async Task Clicking_a_column_header_sorts_by_it()
    {
        await using var context = new DashboardTestContext(ThreeLabels());
        var page = Render(context);

        var header = page.FindAll("th").Single(th => th.TextContent.Contains("Mean confidence", StringComparison.Ordinal));
        header.QuerySelector(".sortable-column-header")!.Click();

        page.WaitForAssertion(() => Assert.Equal(["Sandal", "T-shirt/top", "Bag"], RenderedLabels(page)));
    }

    [Fact]
    public async Task The_filter_keeps_only_matching_labels_case_insensitively()
    {
        await using var context = new DashboardTestContext(ThreeLabels());
        var page = Render(context);

        page.Find("input[data-testid=label-filter], [data-testid=label-filter] input").Input("SHIRT");

        page.WaitForAssertion(() => Assert.Equal(["T-shirt/top"], RenderedLabels(page)));
    }

    [Fact]
    public async Task Charts_receive_counts_and_mean_confidences_busiest_label_first()
    {
        await using var context = new DashboardTestContext(ThreeLabels());

        var page = Render(context);

        var charts = page.FindComponents<MudChart<double>>();
        Assert.Equal(2, charts.Count);
        var frequency = charts[0].Instance;
        var confidence = charts[1].Instance;
        Assert.Equal(["T-shirt/top", "Sandal", "Bag"], frequency.ChartLabels);
        Assert.Equal([1000.0, 750, 250], Values(frequency.ChartSeries!.Single()));
        Assert.Equal(["T-shirt/top", "Sandal", "Bag"], confidence.ChartLabels);
        Assert.Equal([80.0, 70, 90], Values(confidence.ChartSeries!.Single()));
        Assert.Contains("all 3 predicted labels", page.Find("[data-testid=chart-caption]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_many_labels_the_charts_show_the_top_ones_by_count_and_say_so()
    {
        var labels = Enumerable.Range(0, 1_000).Select(i => ($"label-{i:D4}", (long)i, 0.5)).ToArray();
        await using var context = new DashboardTestContext(new FakeStats().WithModel("many", labels));

        var page = Render(context, "many");

        var frequency = page.FindComponents<MudChart<double>>()[0].Instance;
        Assert.Equal(new DashboardOptions().ChartedLabels, frequency.ChartLabels!.Length);
        Assert.Equal("label-0999", frequency.ChartLabels[0]);
        Assert.Equal(999.0, Values(frequency.ChartSeries!.Single())[0]);
        Assert.Contains("top 25 of 999 predicted labels", page.Find("[data-testid=chart-caption]").TextContent, StringComparison.Ordinal);
        Assert.Equal("1,000", page.Find("[data-testid=labels-count]").TextContent);
    }

    [Fact]
    public async Task A_model_without_predictions_says_how_to_produce_some()
    {
        await using var context = new DashboardTestContext(new FakeStats().WithModel("fashion-mnist", ("Bag", 0, 0), ("Coat", 0, 0)));

        var page = Render(context);

        var empty = page.Find("[data-testid=empty-state]").TextContent;
        Assert.Contains("No predictions yet", empty, StringComparison.Ordinal);
        Assert.Contains("mlwatch produce --bootstrap", empty, StringComparison.Ordinal);
        Assert.Empty(page.FindComponents<MudChart<double>>());
    }

    [Fact]
    public async Task An_unknown_model_is_reported_not_thrown()
    {
        await using var context = new DashboardTestContext(ThreeLabels());

        var page = Render(context, "nope");

        Assert.Contains("No model 'nope' is served", page.Find("[data-testid=unknown-model]").TextContent, StringComparison.Ordinal);
    }

    private static List<string> Cells(IElement row) => [.. row.QuerySelectorAll("td").Select(td => td.TextContent.Trim())];

    internal static double[] Values(ChartSeries<double> series) => [.. series.Data.Values.Select(v => v)];
}
