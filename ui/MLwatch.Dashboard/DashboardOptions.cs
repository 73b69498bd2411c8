namespace MLwatch.Dashboard;

/// <summary>Section "Dashboard": how the dashboard polls and what it shows.</summary>
public sealed class DashboardOptions
{
    /// <summary>How often a page re-reads grain state and re-renders. Defaults to 1 second.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a refresh waits for the grains it reads before the page shows the last values it read under a "cluster
    /// is changing" banner and keeps waiting on the next tick (a read routed to a frozen silo would wait 30 s). Defaults
    /// to 5 seconds.
    /// </summary>
    public TimeSpan ReadTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many labels (by count) the Labels page charts; the table always shows all. Defaults to 25.</summary>
    public int ChartedLabels { get; set; } = 25;

    /// <summary>How much rate history the overview sparkline keeps. Defaults to 5 minutes.</summary>
    public TimeSpan RateHistory { get; set; } = TimeSpan.FromMinutes(5);
}
