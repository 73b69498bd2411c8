using Microsoft.Extensions.DependencyInjection;

namespace MLwatch.Storage.PostgreSql.Tests.Support;

/// <summary>A started provider and the service provider that owns it.</summary>
internal sealed class StorageUnderTest(PostgreSqlGrainStorage storage, string serviceId, ServiceProvider services) : IAsyncDisposable
{
    public const string ProviderName = "pg";

    internal PostgreSqlGrainStorage Storage { get; } = storage;

    /// <summary>The ClusterOptions.ServiceId the provider was given (the service_id column).</summary>
    public string ServiceId { get; } = serviceId;

    public IServiceProvider Services => services;

    public ValueTask DisposeAsync() => services.DisposeAsync();
}
