using Bunit;
using MLwatch.Abstractions.Monitoring;
using MLwatch.Dashboard.Components.Pages;
using MLwatch.Dashboard.Tests.Support;
using MudBlazor;

namespace MLwatch.Dashboard.Tests.Components;

public sealed class DriftPageTests
{
    [Fact]
    public async Task Charts_show_each_windows_metrics_and_the_last_windows_shares_against_the_reference()
    {
        var drift = new FakeDrift();
        drift.Snapshots["fashion-mnist"] = FakeDrift.Snapshot("fashion-mnist",
            [FakeDrift.Window(1, 0.05, 0.03, 0.93, 1000, 930), FakeDrift.Window(2, 0.6, 0.2, 0.88, 1000, 160, "label-drift")],
            active: [FakeDrift.Alert("label-drift", AlertState.Raised, 2)]);
        drift.Alerts.Add(FakeDrift.Alert("label-drift", AlertState.Raised, 2));
        await using var context = new DashboardTestContext(new FakeStats(), drift: drift);

        var page = context.Render<Drift>(p => p.Add(x => x.Model, "fashion-mnist"));

        Assert.Equal("1", page.Find("[data-testid=active-alerts]").TextContent);
        Assert.Equal("2", page.Find("[data-testid=windows-closed]").TextContent);
        Assert.Equal("0.880", page.Find("[data-testid=estimated-accuracy]").TextContent);
        Assert.Equal("0.545", page.Find("[data-testid=realized-accuracy]").TextContent);
        Assert.Contains("label-drift Raised at window 2", page.Find("[data-testid=active-alert]").TextContent, StringComparison.Ordinal);
        var charts = page.FindComponents<MudChart<double>>().Select(c => c.Instance).ToList();
        Assert.Equal(4, charts.Count);
        Assert.Equal(["1", "2"], charts[0].ChartLabels);
        Assert.Equal(["Jensen–Shannon ×100", "PSI ×100"], charts[0].ChartSeries!.Select(s => s.Name));
        Assert.Equal([5.0, 60.0], LabelsPageTests.Values(charts[0].ChartSeries![0]));
        Assert.Equal([3.0, 20.0], LabelsPageTests.Values(charts[1].ChartSeries![0]));
        Assert.Equal([93.0, 16.0], LabelsPageTests.Values(charts[2].ChartSeries![1]));
        Assert.Equal(["Bag", "Coat"], charts[3].ChartLabels);
        Assert.Equal([60.0, 40.0], LabelsPageTests.Values(charts[3].ChartSeries![0]));
        Assert.Equal([10.0, 90.0], LabelsPageTests.Values(charts[3].ChartSeries![1]));
        Assert.Single(page.FindAll("[data-testid=alert-history] tbody tr"));
    }

    [Fact]
    public async Task Without_labels_only_the_estimated_accuracy_is_drawn()
    {
        var drift = new FakeDrift();
        drift.Snapshots["fashion-mnist"] = FakeDrift.Snapshot("fashion-mnist", [FakeDrift.Window(1, 0.05, 0.03, 0.93)]);
        await using var context = new DashboardTestContext(new FakeStats(), drift: drift);

        var page = context.Render<Drift>(p => p.Add(x => x.Model, "fashion-mnist"));

        var accuracy = page.FindComponents<MudChart<double>>()[2].Instance;
        Assert.Equal(["Estimated (%)"], accuracy.ChartSeries!.Select(s => s.Name));
        Assert.Equal("–", page.Find("[data-testid=realized-accuracy]").TextContent);
        Assert.Contains("No alert has been raised", page.Find("[data-testid=no-alerts]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Before_the_first_window_closes_the_page_says_how_far_it_is_and_what_to_run()
    {
        var drift = new FakeDrift();
        drift.Snapshots["fashion-mnist"] = FakeDrift.Snapshot("fashion-mnist", [], openWindowCount: 250);
        await using var context = new DashboardTestContext(new FakeStats(), drift: drift);

        var page = context.Render<Drift>(p => p.Add(x => x.Model, "fashion-mnist"));

        var empty = page.Find("[data-testid=empty-state]").TextContent;
        Assert.Contains("after 1,000 predictions", empty, StringComparison.Ordinal);
        Assert.Contains("250 so far", empty, StringComparison.Ordinal);
        Assert.Contains("mlwatch produce", empty, StringComparison.Ordinal);
        Assert.Empty(page.FindComponents<MudChart<double>>());
    }

    [Fact]
    public async Task A_model_without_reference_profile_says_why_nothing_is_compared()
    {
        var drift = new FakeDrift();
        drift.Snapshots["fashion-mnist"] = FakeDrift.Snapshot("fashion-mnist", [], hasReference: false);
        await using var context = new DashboardTestContext(new FakeStats(), drift: drift);

        var page = context.Render<Drift>(p => p.Add(x => x.Model, "fashion-mnist"));

        Assert.Contains("reference.json does not exist", page.Find("[data-testid=no-reference]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_model_is_reported()
    {
        await using var context = new DashboardTestContext(new FakeStats());

        var page = context.Render<Drift>(p => p.Add(x => x.Model, "imagenet"));

        Assert.Contains("No model 'imagenet'", page.Find("[data-testid=unknown-model]").TextContent, StringComparison.Ordinal);
    }
}
