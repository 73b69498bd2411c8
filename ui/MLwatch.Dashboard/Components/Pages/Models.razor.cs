using System.Globalization;
using Microsoft.AspNetCore.Components;
using MLwatch.Abstractions.Models;
using MLwatch.Query;
using MudBlazor;

namespace MLwatch.Dashboard.Components.Pages;

/// <summary>Every served model's versions: their life in the registry next to what they served, their accuracy and drift; the active one marked.</summary>
public sealed partial class Models
{
    /// <summary>How many registry events the history panel shows per model.</summary>
    internal const int HistoryShown = 50;

    [Inject] private IModelStatsSource Stats { get; set; } = default!;

    [Inject] private IModelVersionsSource VersionsSource { get; set; } = default!;

    internal IReadOnlyList<(string Model, IReadOnlyList<ModelVersionView> Versions)> Versions { get; private set; } = [];

    protected override async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var models = Stats.ServedModels.Select(m => m.Name).Distinct(StringComparer.Ordinal).ToList();
        var versions = await Task.WhenAll(models.Select(VersionsSource.GetVersionsAsync));
        Versions = [.. models.Zip(versions)];
    }

    private static string At(DateTimeOffset? at) => at is { } value ? value.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "–";

    private static string Latency(ModelServingStats serving) => serving.Records == 0
        ? "–"
        : string.Create(CultureInfo.InvariantCulture, $"{serving.P50Ms:F2} / {serving.P95Ms:F2} / {serving.P99Ms:F2}");

    private static Color StateColor(ModelVersionState state) => state switch
    {
        ModelVersionState.Active => Color.Success,
        ModelVersionState.Rejected => Color.Error,
        ModelVersionState.Candidate or ModelVersionState.Loading => Color.Info,
        _ => Color.Default,
    };
}
