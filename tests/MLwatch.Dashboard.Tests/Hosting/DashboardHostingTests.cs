using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MLwatch.Abstractions.Stats;
using MLwatch.Hosting;
using MLwatch.Hosting.Configuration;
using MLwatch.IntegrationTests.Support;

namespace MLwatch.Dashboard.Tests.Hosting;

/// <summary>One silo (embedded broker) whose "Bag" label was seeded with 3 predictions.</summary>
public sealed class SeededSiloFixture : IAsyncLifetime
{
    internal SiloUnderTest Silo { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        Silo = await SiloUnderTest.StartAsync(bootstrapServers: "");
        var labels = Silo.Services.GetRequiredService<IGrainFactory>().GetGrain<ILabelStatsGrain>(new LabelStatsKey("fashion-mnist", "1", "Bag").ToString());
        await labels.ApplyAsync(new LabelObservationBatch("seed", [.. Enumerable.Range(0, 3).Select(o => new LabelObservation(0, o, 0.9f, 1_700_000_000_000, 12, null))]));
    }

    public async Task DisposeAsync() => await Silo.DisposeAsync();
}

/// <summary>The dashboard as the silo serves it (from this test's output directory) and as `mlwatch dashboard` serves it alone.</summary>
public sealed class DashboardHostingTests(SeededSiloFixture fixture) : IClassFixture<SeededSiloFixture>
{
    private SiloUnderTest Silo => fixture.Silo;

    [Theory]
    [InlineData("")]
    [InlineData("models/fashion-mnist/labels")]
    [InlineData("models/fashion-mnist/labels/T-shirt%2Ftop")]
    [InlineData("_framework/blazor.web.js")]
    [InlineData("_content/MudBlazor/MudBlazor.min.css")]
    [InlineData("_content/MudBlazor/MudBlazor.min.js")]
    [InlineData("orleans/")]
    public async Task The_silo_serves_the_dashboard_its_static_files_and_the_orleans_dashboard(string path)
    {
        using var response = await Silo.Api.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 100, $"{path} is nearly empty");
    }

    [Fact]
    public async Task The_stand_alone_dashboard_reads_the_cluster_as_an_orleans_client()
    {
        var configuration = Silo.Services.GetRequiredService<IConfiguration>();
        var port = FreePort.Next();
        await using var dashboard = MLwatchDashboardHost.Build(
            MLwatchConfiguration.LocateProfile("local"),
            $"127.0.0.1:{configuration["Cluster:GatewayPort"]}",
            $"http://127.0.0.1:{port}",
            new Dictionary<string, string?> { ["Cluster:ClusterId"] = configuration["Cluster:ClusterId"] });
        await dashboard.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };

        var overview = await http.GetStringAsync("");
        var labels = await http.GetStringAsync("models/fashion-mnist/labels");
        using var script = await http.GetAsync("_framework/blazor.web.js");
        using var styles = await http.GetAsync("_content/MudBlazor/MudBlazor.min.css");

        Assert.Contains("data-testid=\"total-predictions\" class=\"mud-typography mud-typography-h5\">3<", overview, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"labels-total\">3<", labels, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal(HttpStatusCode.OK, styles.StatusCode);
        await dashboard.StopAsync();
    }

    [Theory]
    [InlineData("127.0.0.1:30000", "127.0.0.1", 30000)]
    [InlineData("localhost:30001", "127.0.0.1", 30001)]
    public void Gateways_are_host_and_port(string gateway, string address, int port)
    {
        var endpoint = MLwatchDashboardHost.ParseGateway(gateway);

        Assert.Equal((address, port), (endpoint.Address.ToString(), endpoint.Port));
    }

    [Fact]
    public void A_gateway_without_a_port_is_refused_with_an_example()
    {
        var error = Assert.Throws<ArgumentException>(() => MLwatchDashboardHost.ParseGateway("127.0.0.1"));

        Assert.Contains("127.0.0.1:30000", error.Message, StringComparison.Ordinal);
    }
}
