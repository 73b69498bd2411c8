using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MLwatch.Grains.Checkpointing;

namespace MLwatch.Grains.Hosting;

/// <summary>Registers what the stream consumers (inference and feedback grains) need beyond the silo's basics.</summary>
public static class StreamConsumerServiceCollectionExtensions
{
    /// <summary>
    /// Adds the silo's <see cref="PoisonRecordIsolation"/> and a fault injection that injects nothing; a test host
    /// replaces <see cref="IDeliveryFaultInjection"/> after this call to make a chosen record fail.
    /// </summary>
    public static IServiceCollection AddMLwatchStreamConsumers(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<IDeliveryFaultInjection, NoDeliveryFaults>();
        services.TryAddSingleton<PoisonRecordIsolation>();
        return services;
    }
}
