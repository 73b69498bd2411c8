using Microsoft.AspNetCore.Components;
using MLwatch.Query;

namespace MLwatch.Dashboard.Components.Layout;

/// <summary>Links to the overview and to each served model's pages.</summary>
public sealed partial class NavMenu
{
    private IReadOnlyList<ServedModel> _models = [];

    [Inject] private IModelStatsSource Stats { get; set; } = default!;

    protected override void OnInitialized() => _models = Stats.ServedModels;
}
