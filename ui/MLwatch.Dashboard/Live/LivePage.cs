using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MLwatch.Query;

namespace MLwatch.Dashboard.Live;

/// <summary>
/// A page that re-reads grain state on one timer (<see cref="DashboardOptions.RefreshInterval"/>) while it is shown
/// interactively, and re-renders once per tick; the timer stops when the page is left.
/// </summary>
/// <remarks>
/// A refresh that fails transiently (a silo dying or hung, membership changing: <see cref="TransientClusterErrors"/>)
/// or gets no answer within <see cref="DashboardOptions.ReadTimeout"/> keeps the values last read and sets
/// <see cref="ClusterChanging"/> for the banner; the next tick retries. A refresh still waiting on a hung silo is not
/// doubled: the next tick waits on it again, so a late answer is never overwritten by an earlier one.
/// </remarks>
public abstract partial class LivePage : ComponentBase, IAsyncDisposable
{
    private readonly CancellationTokenSource _leave = new();
    private Task? _loop;
    private Task? _refreshing;
    private ILogger? _logger;

    [Inject] protected IOptions<DashboardOptions> Options { get; set; } = default!;

    [Inject] protected ILoggerFactory LoggerFactory { get; set; } = default!;

    [Inject] protected TimeProvider Time { get; set; } = default!;

    /// <summary>Why the last refresh failed when it was not the cluster changing (shown on the page), or null.</summary>
    protected string? RefreshError { get; private set; }

    /// <summary>Whether the last refresh failed transiently: the page shows the values of <see cref="LastRefreshedAt"/>.</summary>
    protected bool ClusterChanging { get; private set; }

    /// <summary>When the values shown were read (the last good refresh), or null before the first.</summary>
    protected DateTimeOffset? LastRefreshedAt { get; private set; }

    /// <summary>Completed refreshes; the page renders it so tests can see updates arrive.</summary>
    protected long Refreshes { get; private set; }

    private ILogger Logger => _logger ??= LoggerFactory.CreateLogger(GetType());

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
            _refreshing ??= RefreshAsync(_leave.Token);
            await BoundedReads.WithinAsync(_refreshing, Options.Value.ReadTimeout, "Dashboard:ReadTimeout", _leave.Token);
            _refreshing = null;
            RefreshError = null;
            ClusterChanging = false;
            LastRefreshedAt = Time.GetUtcNow();
            Refreshes++;
        }
        catch (ReadTimeoutException exception) when (!_leave.IsCancellationRequested)
        {
            // _refreshing is still running: the next tick waits on it instead of starting another read.
            ClusterChanging = true;
            LogClusterChanging(Logger, exception.Message);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            _refreshing = null;
            if (TransientClusterErrors.Describe(exception) is { } what)
            {
                ClusterChanging = true;
                LogClusterChanging(Logger, what);
            }
            else
            {
                RefreshError = $"Could not read the cluster: {exception.Message}";
                LogRefreshFailed(Logger, exception);
            }
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Dashboard refresh failed transiently, showing the last values read: {What}")]
    private static partial void LogClusterChanging(ILogger logger, string what);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dashboard refresh failed")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
