using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.StaticWebAssets;
using Microsoft.Extensions.Configuration;

namespace MLwatch.Dashboard.Hosting;

/// <summary>Makes the dashboard's static files servable by whatever program hosts it.</summary>
public static class DashboardWebHostBuilderExtensions
{
    /// <summary>
    /// Serves the static web assets (MudBlazor's CSS/JS under _content/) from a build output in every environment.
    /// The SDK writes a manifest of them for the host only when the host is a web project; the dashboard's own
    /// manifest, copied beside MLwatch.Dashboard.dll into every program and test that references it, is used otherwise.
    /// A published app serves the same files from its wwwroot instead.
    /// </summary>
    public static IWebHostBuilder UseMLwatchDashboardAssets(this IWebHostBuilder builder, IWebHostEnvironment environment, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(configuration);
        var hostManifest = Path.Combine(AppContext.BaseDirectory, $"{environment.ApplicationName}.staticwebassets.runtime.json");
        var dashboardManifest = Path.Combine(
            Path.GetDirectoryName(typeof(DashboardWebHostBuilderExtensions).Assembly.Location) ?? AppContext.BaseDirectory,
            "MLwatch.Dashboard.staticwebassets.runtime.json");
        if (string.IsNullOrEmpty(configuration[WebHostDefaults.StaticWebAssetsKey]) && !File.Exists(hostManifest) && File.Exists(dashboardManifest))
        {
            configuration[WebHostDefaults.StaticWebAssetsKey] = dashboardManifest;
        }

        StaticWebAssetsLoader.UseStaticWebAssets(environment, configuration);
        return builder;
    }
}
