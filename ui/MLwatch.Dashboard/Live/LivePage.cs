using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MLwatch.Dashboard.Live;

/// <summary>
/// A page that re-reads grain state on one timer (<see cref="DashboardOptions.RefreshInterval"/>) while it is shown
/// interactively, and re-renders once per tick; the timer stops when the page is left.
/// </summary>
public abstract class LivePage : ComponentBase, IAsyncDisposable
{
    private readonly CancellationTokenSource _leave = new();
    private Task? _loop;

    [Inject] protected IOptions<DashboardOptions> Options { get; set; } = default!;

    [Inject] protected ILoggerFactory LoggerFactory { get; set; } = default!;

    /// <summary>Why the last refresh failed (shown on the page), or null.</summary>
    protected string? RefreshError { get; private set; }

    /// <summary>Completed refreshes; the page renders it so tests can see updates arrive.</summary>
    protected long Refreshes { get; private set; }

    /// <summary>Reads what the page shows; called once before the first render and then on every tick.</summary>
    protected abstract Task RefreshAsync(CancellationToken cancellationToken);

    protected override async Task OnParametersSetAsync()
    {
        await RefreshSafelyAsync();
        if (_loop is null && RendererInfo.IsInteractive)
        {
            _loop = RunAsync();
        }
    }

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(Options.Value.RefreshInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_leave.Token))
            {
                await InvokeAsync(async () =>
                {
                    await RefreshSafelyAsync();
                    StateHasChanged();
                });
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task RefreshSafelyAsync()
    {
        try
        {
            await RefreshAsync(_leave.Token);
            RefreshError = null;
            Refreshes++;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            RefreshError = $"Could not read the cluster: {exception.Message}";
            LoggerFactory.CreateLogger(GetType()).LogWarning(exception, "Dashboard refresh failed");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _leave.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        _leave.Dispose();
        GC.SuppressFinalize(this);
    }
}
