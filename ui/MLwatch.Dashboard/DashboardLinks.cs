namespace MLwatch.Dashboard;

/// <summary>Dashboard URLs; labels may contain '/' ("T-shirt/top"), so they are escaped.</summary>
public static class DashboardLinks
{
    /// <summary>The Labels page of <paramref name="model"/>.</summary>
    public static string Labels(string model) => $"models/{Uri.EscapeDataString(model)}/labels";

    /// <summary>The Drift page of <paramref name="model"/>.</summary>
    public static string Drift(string model) => $"models/{Uri.EscapeDataString(model)}/drift";

    /// <summary>The Models page: every served model's versions with their life, serving statistics, accuracy and drift.</summary>
    public const string Models = "models";

    /// <summary>The detail page of one label.</summary>
    public static string Label(string model, string label) => $"{Labels(model)}/{Uri.EscapeDataString(label)}";
}
