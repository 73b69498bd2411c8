using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MLwatch.Query;
using MudBlazor.Services;

namespace MLwatch.Dashboard.Hosting;

/// <summary>Registers the dashboard in a host that has an <see cref="IGrainFactory"/> (a silo or an Orleans client) and a model catalog.</summary>
public static class DashboardServiceCollectionExtensions
{
    /// <summary>Adds Razor components with interactive server rendering, MudBlazor and the grain-state queries the pages read.</summary>
    public static IServiceCollection AddMLwatchDashboard(this IServiceCollection services, Action<DashboardOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddOptions<DashboardOptions>().Configure(options => configure?.Invoke(options));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ModelStatsQuery>();
        services.TryAddSingleton<IModelStatsSource>(sp => sp.GetRequiredService<ModelStatsQuery>());
        services.TryAddSingleton<IClusterStatusSource, ClusterStatusQuery>();
        services.TryAddSingleton<ModelDriftQuery>();
        services.TryAddSingleton<IModelDriftSource>(sp => sp.GetRequiredService<ModelDriftQuery>());
        services.TryAddSingleton<IModelVersionsSource, ModelVersionsQuery>();
        return services;
    }
}
