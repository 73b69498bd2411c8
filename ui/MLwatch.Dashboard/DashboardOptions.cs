namespace MLwatch.Dashboard;

/// <summary>Section "Dashboard": how the dashboard polls and what it shows.</summary>
public sealed class DashboardOptions
{
    /// <summary>How often a page re-reads grain state and re-renders. Defaults to 1 second.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many labels (by count) the Labels page charts; the table always shows all. Defaults to 25.</summary>
    public int ChartedLabels { get; set; } = 25;

    /// <summary>How much rate history the overview sparkline keeps. Defaults to 5 minutes.</summary>
    public TimeSpan RateHistory { get; set; } = TimeSpan.FromMinutes(5);
}
