namespace MLwatch.Abstractions.Monitoring;

/// <summary>Whether an alert event raised or cleared its alert.</summary>
public enum AlertState
{
    /// <summary>The condition held for enough consecutive windows.</summary>
    Raised,

    /// <summary>The condition stayed away for enough consecutive windows.</summary>
    Cleared,
}
