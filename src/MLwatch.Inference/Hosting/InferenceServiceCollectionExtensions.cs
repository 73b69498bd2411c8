using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MLwatch.Inference.Execution;
using MLwatch.Inference.Imaging;
using MLwatch.Inference.Models;
using MLwatch.Inference.Sessions;
using MLwatch.Inference.Telemetry;

namespace MLwatch.Inference.Hosting;

/// <summary>Registers the inference services.</summary>
public static class InferenceServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ModelCatalog"/>, <see cref="OnnxSessionCache"/>, <see cref="ImagePreprocessor"/>,
    /// <see cref="ImageClassifier"/>, the silo's <see cref="InferenceExecutor"/>, its <see cref="InferenceMetrics"/> and <see cref="ModelServingStatistics"/> as
    /// singletons, with validated <see cref="InferenceOptions"/>.
    /// </summary>
    public static IServiceCollection AddMLwatchInference(this IServiceCollection services, Action<InferenceOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);

        services.AddOptions<InferenceOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<InferenceOptions>, InferenceOptionsValidator>());
        services.TryAddSingleton(static sp => new ModelCatalog(OptionsFrom(sp)));
        services.TryAddSingleton(static sp => new OnnxSessionCache(OptionsFrom(sp)));
        services.TryAddSingleton(static sp => new ImagePreprocessor(OptionsFrom(sp)));
        services.TryAddSingleton(static sp => new ImageClassifier(
            sp.GetRequiredService<OnnxSessionCache>(),
            sp.GetRequiredService<ImagePreprocessor>()));
        services.AddMetrics();
        services.TryAddSingleton<InferenceMetrics>();
        services.TryAddSingleton(static sp => new ModelServingStatistics(sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.TryAddSingleton(static sp => new InferenceExecutor(
            sp.GetRequiredService<OnnxSessionCache>(),
            sp.GetRequiredService<ImagePreprocessor>(),
            OptionsFrom(sp),
            sp.GetRequiredService<InferenceMetrics>(),
            sp.GetRequiredService<ModelServingStatistics>(),
            sp.GetService<IInferenceFaultInjection>()));
        return services;
    }

    private static InferenceOptions OptionsFrom(IServiceProvider services) =>
        services.GetRequiredService<IOptions<InferenceOptions>>().Value;
}
