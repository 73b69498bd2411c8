using Bunit;
using MLwatch.Abstractions.Stats;
using MLwatch.Dashboard.Components.Pages;
using MLwatch.Dashboard.Tests.Support;
using MudBlazor;

namespace MLwatch.Dashboard.Tests.Components;

public sealed class LabelDetailPageTests
{
    private static readonly DateTimeOffset Minute = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Charts_receive_per_minute_counts_and_means_and_the_confidence_histogram()
    {
        var histogram = new long[20];
        histogram[19] = 7;
        histogram[10] = 3;
        var stats = new FakeStats().WithModel("fashion-mnist", ("T-shirt/top", 0, 0));
        stats.Set(FakeStats.Snapshot("fashion-mnist", "T-shirt/top", 10, 0.85,
            minutes: [new MinuteBucket(Minute, 4, 0.8), new MinuteBucket(Minute.AddMinutes(1), 6, 0.9)],
            histogram: histogram));
        await using var context = new DashboardTestContext(stats);

        var page = context.Render<LabelDetail>(p => p.Add(x => x.Model, "fashion-mnist").Add(x => x.Label, "T-shirt%2Ftop"));

        Assert.Equal("T-shirt/top", page.Find("[data-testid=label-name]").TextContent);
        Assert.Equal("10", page.Find("[data-testid=label-count]").TextContent);
        var charts = page.FindComponents<MudChart<double>>().Select(c => c.Instance).ToList();
        Assert.Equal(3, charts.Count);
        Assert.Equal(["12:00", "12:01"], charts[0].ChartLabels);
        Assert.Equal([4.0, 6.0], LabelsPageTests.Values(charts[0].ChartSeries!.Single()));
        Assert.Equal([80.0, 90], LabelsPageTests.Values(charts[1].ChartSeries!.Single()));
        Assert.Equal(20, charts[2].ChartLabels!.Length);
        Assert.Equal("0.95", charts[2].ChartLabels![19]);
        Assert.Equal(histogram.Select(c => (double)c), LabelsPageTests.Values(charts[2].ChartSeries!.Single()));
    }

    [Fact]
    public async Task An_unknown_label_is_reported()
    {
        await using var context = new DashboardTestContext(new FakeStats().WithModel("fashion-mnist", ("Bag", 1, 0.5)));

        var page = context.Render<LabelDetail>(p => p.Add(x => x.Model, "fashion-mnist").Add(x => x.Label, "Hat"));

        Assert.Contains("has no label 'Hat'", page.Find("[data-testid=unknown-label]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_label_without_predictions_says_how_to_produce_some()
    {
        await using var context = new DashboardTestContext(new FakeStats().WithModel("fashion-mnist", ("Bag", 0, 0)));

        var page = context.Render<LabelDetail>(p => p.Add(x => x.Model, "fashion-mnist").Add(x => x.Label, "Bag"));

        Assert.Contains("No predictions yet", page.Find("[data-testid=empty-state]").TextContent, StringComparison.Ordinal);
    }
}
