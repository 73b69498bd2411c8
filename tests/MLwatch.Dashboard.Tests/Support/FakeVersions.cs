using MLwatch.Abstractions.Models;
using MLwatch.Abstractions.Monitoring;
using MLwatch.Query;

namespace MLwatch.Dashboard.Tests.Support;

/// <summary>Model versions as a test sets them, in place of the registry and statistics grains.</summary>
internal sealed class FakeVersions : IModelVersionsSource
{
    public Dictionary<string, List<ModelVersionView>> Versions { get; } = new(StringComparer.Ordinal);

    public static ModelVersionView Version(string version, ModelVersionState state, bool active, long records, long errors = 0, string? reason = null, ModelDriftSnapshot? drift = null) => new(
        new ModelVersionEntry
        {
            Version = version,
            State = state,
            StateReason = reason,
            CreatedAt = DateTimeOffset.UnixEpoch,
            Source = "api",
            PublishedBy = "tester",
            ActivatedAt = state is ModelVersionState.Active or ModelVersionState.Retired ? DateTimeOffset.UnixEpoch.AddMinutes(1) : null,
            RetiredAt = state == ModelVersionState.Retired ? DateTimeOffset.UnixEpoch.AddMinutes(2) : null,
        },
        active,
        [new ModelRegistryEvent { At = DateTimeOffset.UnixEpoch, Kind = "published", Version = version, Message = $"version {version} published" }],
        new ModelServingStats("fashion-mnist", version, records == 0 ? null : DateTimeOffset.UnixEpoch, records, errors, records * 2.0, 0.5, 9.0, 2.0, 1.5, 4.25, 8.75, 20, 40, 60, records / 4, 4, new Dictionary<int, long> { [4] = records / 4 }, new Dictionary<string, SiloServingCounts>()),
        drift ?? FakeDrift.Snapshot("fashion-mnist", []));

    public Task<IReadOnlyList<ModelVersionView>> GetVersionsAsync(string model) =>
        Task.FromResult<IReadOnlyList<ModelVersionView>>(Versions.GetValueOrDefault(model) ?? []);
}
