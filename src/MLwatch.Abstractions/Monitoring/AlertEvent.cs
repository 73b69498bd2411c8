namespace MLwatch.Abstractions.Monitoring;

/// <summary>An alert raised or cleared by a model monitor; also the JSON published to the alerts topic.</summary>
/// <param name="Id">Deterministic id "{model}@{version}/{kind}/{window}/{state}", so consumers can drop duplicates.</param>
/// <param name="Model">Model name.</param>
/// <param name="Version">Model version.</param>
/// <param name="Kind">Alert kind, e.g. "label-drift".</param>
/// <param name="State">Raised or cleared.</param>
/// <param name="Metric">The metric that decided it, e.g. "jensenShannon".</param>
/// <param name="Value">The metric's value in the deciding window.</param>
/// <param name="Threshold">The configured threshold.</param>
/// <param name="Window">Index of the window that decided it (1-based).</param>
/// <param name="At">When the deciding window closed.</param>
/// <param name="Message">What happened and what to do.</param>
[GenerateSerializer, Immutable, Alias("mlwatch.alert-event")]
public sealed record AlertEvent(
    [property: Id(0)] string Id,
    [property: Id(1)] string Model,
    [property: Id(2)] string Version,
    [property: Id(3)] string Kind,
    [property: Id(4)] AlertState State,
    [property: Id(5)] string Metric,
    [property: Id(6)] double Value,
    [property: Id(7)] double Threshold,
    [property: Id(8)] long Window,
    [property: Id(9)] DateTimeOffset At,
    [property: Id(10)] string Message);
