namespace MLwatch.Grains.Monitoring;

/// <summary>A closed window of a version that passed a bound of its <see cref="SupervisionPolicy"/>, waiting to be acted on.</summary>
/// <param name="Window">Index of the window (1-based).</param>
/// <param name="Metric">The bounded metric, e.g. "realizedAccuracy".</param>
/// <param name="Value">Its value over the window.</param>
/// <param name="Bound">The configured bound.</param>
/// <param name="Message">What was passed, in words ("realized accuracy 0.09 &lt; 0.70 over window 3 of …").</param>
/// <param name="ClosedAt">When the window closed.</param>
[GenerateSerializer, Immutable, Alias("mlwatch.supervision-breach")]
public sealed record SupervisionBreach(
    [property: Id(0)] long Window,
    [property: Id(1)] string Metric,
    [property: Id(2)] double Value,
    [property: Id(3)] double Bound,
    [property: Id(4)] string Message,
    [property: Id(5)] DateTimeOffset ClosedAt);
