using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using MLwatch.Dashboard.Components;

namespace MLwatch.Dashboard.Hosting;

/// <summary>Serves the dashboard from an ASP.NET Core application.</summary>
public static class DashboardEndpointRouteBuilderExtensions
{
    private const string BlazorScriptResource = "MLwatch.Dashboard.blazor.web.js";

    /// <summary>
    /// Serves static files (MudBlazor's under _content/), the Blazor script, and the dashboard pages at the root with
    /// interactive server rendering. Call after <see cref="DashboardServiceCollectionExtensions.AddMLwatchDashboard"/>.
    /// </summary>
    public static WebApplication MapMLwatchDashboard(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseStaticFiles();
        app.UseAntiforgery();
        app.MapGet("/_framework/blazor.web.js", (HttpContext context) =>
        {
            var script = typeof(DashboardEndpointRouteBuilderExtensions).Assembly.GetManifestResourceStream(BlazorScriptResource);
            if (script is null)
            {
                return Results.Problem("The Blazor script was not embedded in MLwatch.Dashboard at build time.", statusCode: StatusCodes.Status500InternalServerError);
            }

            context.Response.Headers.CacheControl = "no-cache";
            return Results.Stream(script, "text/javascript");
        }).ExcludeFromDescription();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
