using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MLwatch.Grains.Inference;
using MLwatch.Grains.Models;
using MLwatch.Grains.Shadow;
using MLwatch.Grains.Speculative;
using MLwatch.Inference.Sessions;

namespace MLwatch.Grains.Hosting;

/// <summary>Registers the silo's side of the model registry: validation, the control topic, following the registries.</summary>
public static class ModelServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="LocalModels"/>, shadow serving of candidates (<see cref="ShadowScoring"/>), fallbacks
    /// (<see cref="SpeculativeServing"/>), the control topic's
    /// consumer and publisher, the <see cref="PredictionPublisher"/>
    /// the <see cref="ServingStatsReporter"/> and <see cref="ModelsAtStart"/>, which brings the models in line with the registries at
    /// <see cref="ModelsAtStart.StartStage"/>: the stream providers that deliver records must start at
    /// <see cref="ModelsAtStart.StreamsStartStage"/>. Needs <see cref="ModelsOptions"/> configured.
    /// </summary>
    public static IServiceCollection AddMLwatchModels(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(sp => new ModelValidator(sp.GetRequiredService<OnnxSessionCache>()));
        services.TryAddSingleton<PublishedVersionReader>();
        services.TryAddSingleton<ShadowCandidates>();
        services.TryAddSingleton<ShadowScoring>();
        services.TryAddSingleton<SpeculativeServing>();
        services.TryAddSingleton<LocalModels>();
        services.TryAddSingleton<ModelControlConsumer>();
        services.TryAddSingleton<ModelControlPublisher>();
        services.TryAddSingleton<PredictionPublisher>();
        services.AddSingleton<ModelsAtStart>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<ModelsAtStart>());
        services.TryAddSingleton<ServingStatsReporter>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<ServingStatsReporter>());
        return services;
    }
}
