using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MLwatch.Grains.Checkpointing;
using MLwatch.Grains.Telemetry;

namespace MLwatch.Grains.Hosting;

/// <summary>Registers what the stream consumers (inference and feedback grains) need beyond the silo's basics.</summary>
public static class StreamConsumerServiceCollectionExtensions
{
    /// <summary>
    /// Adds the silo's <see cref="PoisonRecordIsolation"/>, a fault injection that injects nothing (a test host
    /// replaces <see cref="IDeliveryFaultInjection"/> after this call to make a chosen record fail), and the consumers'
    /// and monitors' instruments, <see cref="PipelineMetrics"/> and <see cref="MonitorMetrics"/>, on the container's
    /// <see cref="System.Diagnostics.Metrics.IMeterFactory"/>.
    /// </summary>
    public static IServiceCollection AddMLwatchStreamConsumers(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<IDeliveryFaultInjection, NoDeliveryFaults>();
        services.TryAddSingleton<PoisonRecordIsolation>();
        services.TryAddSingleton<PipelineMetrics>();
        services.TryAddSingleton<MonitorMetrics>();
        return services;
    }
}
