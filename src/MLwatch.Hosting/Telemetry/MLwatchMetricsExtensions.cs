using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using MLwatch.Grains.Telemetry;
using MLwatch.Hosting.Configuration;
using MLwatch.Inference.Telemetry;
using MLwatch.Storage.PostgreSql;
using MLwatch.Storage.PostgreSql.Telemetry;
using MLwatch.Streaming.Kafka.Telemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace MLwatch.Hosting.Telemetry;

/// <summary>
/// A silo's metrics, in one place: OpenTelemetry's meter provider over MLwatch's own meters (each layer owns one:
/// pipeline, inference, Kafka, storage, monitoring), .NET runtime and ASP.NET Core instrumentation, exported for
/// Prometheus at <c>Metrics:Path</c>.
/// </summary>
public static class MLwatchMetricsExtensions
{
    /// <summary>MLwatch's meters; their instruments are listed in the README's Metrics section.</summary>
    public static readonly IReadOnlyList<string> MeterNames =
        [PipelineMetrics.MeterName, InferenceMetrics.MeterName, KafkaMetrics.MeterName, StorageMetrics.MeterName, MonitorMetrics.MeterName];

    /// <summary>The listener name OpenTelemetry registers with <see cref="IMetricsBuilder"/>.</summary>
    private const string OpenTelemetryListener = "OpenTelemetry";

    /// <summary>
    /// Adds the meter provider and the Prometheus exporter (unless <c>Metrics:Enabled</c> is false). MLwatch's meters are
    /// enabled for this host's own <see cref="IMeterFactory"/> only (<see cref="MeterScope.Local"/>): several silos in
    /// one process (the tests) each export their own measurements, not the sum of all of them.
    /// </summary>
    public static WebApplicationBuilder AddMLwatchMetrics(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = builder.Configuration.GetSection("Metrics");
        var options = section.Get<MetricsEndpointOptions>() ?? new MetricsEndpointOptions();
        options.Validate();
        builder.Services.AddOptions<MetricsEndpointOptions>().Bind(section);
        builder.Services.AddSingleton<StorageMetrics>();
        if (!options.Enabled)
        {
            return builder;
        }

        foreach (var meter in MeterNames)
        {
            builder.Metrics.EnableMetrics(meter, instrumentName: null, OpenTelemetryListener, MeterScope.Local);
        }

        var cluster = builder.Configuration.GetSection("Cluster").Get<MLwatchClusterOptions>() ?? new MLwatchClusterOptions();
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("mlwatch", serviceInstanceId: $"{Environment.MachineName}:{cluster.SiloPort}"))
            .WithMetrics(metrics => metrics
                // Instruments exist once their owner does: observable ones (storage, partitions, monitors) are created with the provider.
                .AddInstrumentation(services => services.GetRequiredService<StorageMetrics>())
                .AddInstrumentation(services => services.GetRequiredService<KafkaMetrics>())
                .AddInstrumentation(services => services.GetRequiredService<MonitorMetrics>())
                .AddInstrumentation(services => services.GetRequiredService<PipelineMetrics>())
                .AddInstrumentation(services => services.GetRequiredService<InferenceMetrics>())
                .AddRuntimeInstrumentation()
                .AddAspNetCoreInstrumentation()
                .AddPrometheusExporter(prometheus => prometheus.ScrapeEndpointPath = options.Path));
        return builder;
    }

    /// <summary>Maps the Prometheus scraping endpoint at <c>Metrics:Path</c> (when enabled); its own requests are not counted in the HTTP metrics.</summary>
    public static WebApplication MapMLwatchMetrics(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.Services.GetRequiredService<IOptions<MetricsEndpointOptions>>().Value;
        if (options.Enabled)
        {
            app.MapPrometheusScrapingEndpoint(options.Path).DisableHttpMetrics();
        }

        return app;
    }
}
