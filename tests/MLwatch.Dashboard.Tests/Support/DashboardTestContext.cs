using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MLwatch.Query;
using MudBlazor.Services;

namespace MLwatch.Dashboard.Tests.Support;

/// <summary>A bUnit context with MudBlazor, the dashboard options and a <see cref="FakeStats"/> in place of the grains.</summary>
internal sealed class DashboardTestContext : BunitContext
{
    public DashboardTestContext(FakeStats stats, bool interactive = false, TimeSpan? refreshInterval = null, FakeDrift? drift = null, TimeSpan? readTimeout = null, TimeProvider? clock = null, FakeVersions? versions = null)
    {
        Stats = stats;
        Drift = drift ?? new FakeDrift();
        Versions = versions ?? new FakeVersions();
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddOptions<DashboardOptions>().Configure(o =>
        {
            o.RefreshInterval = refreshInterval ?? TimeSpan.FromSeconds(1);
            o.ReadTimeout = readTimeout ?? TimeSpan.FromSeconds(5);
        });
        Services.AddSingleton(clock ?? TimeProvider.System);
        Services.AddSingleton<IModelStatsSource>(stats);
        Services.AddSingleton<IClusterStatusSource>(stats);
        Services.AddSingleton<IModelDriftSource>(Drift);
        Services.AddSingleton<IModelVersionsSource>(Versions);
        SetRendererInfo(new RendererInfo(interactive ? "Server" : "Static", interactive));
    }

    public FakeStats Stats { get; }

    public FakeDrift Drift { get; }

    public FakeVersions Versions { get; }
}
