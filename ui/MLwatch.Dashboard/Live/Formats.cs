using System.Globalization;

namespace MLwatch.Dashboard.Live;

/// <summary>How numbers are shown (invariant culture: the dashboard and its tests agree on separators).</summary>
public static class Formats
{
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Share(double value) => value.ToString("P1", CultureInfo.InvariantCulture);

    public static string Confidence(double value) => value.ToString("F3", CultureInfo.InvariantCulture);

    public static string Rate(double recordsPerSecond) => recordsPerSecond.ToString("N1", CultureInfo.InvariantCulture);

    public static string Latency(double? milliseconds) => milliseconds switch
    {
        null => "–",
        < 10 => milliseconds.Value.ToString("F1", CultureInfo.InvariantCulture) + " ms",
        < 10_000 => milliseconds.Value.ToString("N0", CultureInfo.InvariantCulture) + " ms",
        _ => (milliseconds.Value / 1000).ToString("N1", CultureInfo.InvariantCulture) + " s",
    };

    /// <summary>A Kafka offset; -1 (none, or not known yet) shows as a dash.</summary>
    public static string Offset(long offset) => offset < 0 ? "–" : offset.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A point in time as UTC hours, minutes and seconds; a dash when unknown.</summary>
    public static string Time(DateTimeOffset? at) => at?.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture) ?? "–";
}
