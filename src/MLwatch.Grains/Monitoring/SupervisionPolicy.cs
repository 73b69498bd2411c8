using System.Globalization;
using MLwatch.Abstractions.Monitoring;

namespace MLwatch.Grains.Monitoring;

/// <summary>
/// The bounds a model's active version must keep over each closed monitoring window (config section
/// "Monitoring:Supervision:{model}"). A window that passes one rolls the version back to the one active before it.
/// Off unless a bound is set: what a model must reach depends on the model (chance is 0.1 for ten classes, 0.001 for
/// a thousand), and an automatic rollback acts on production, so its owners decide to have one.
/// </summary>
public sealed class SupervisionPolicy
{
    /// <summary>
    /// Lowest realized accuracy (correct / labelled predictions of the window, from the mlwatch-label header and
    /// feedback that arrived before the window closed). Defaults to null: no bound.
    /// </summary>
    public double? MinRealizedAccuracy { get; set; }

    /// <summary>Fewest labelled predictions a window must hold for its realized accuracy to count, so that a few unlucky records cannot roll a version back. Defaults to 200.</summary>
    public int MinLabeledPerWindow { get; set; } = 200;

    /// <summary>Whether any bound is set.</summary>
    public bool IsEnabled => MinRealizedAccuracy is not null;

    /// <summary>Throws naming the first invalid setting of <paramref name="model"/>'s policy.</summary>
    public void Validate(string model)
    {
        if (MinRealizedAccuracy is { } bound && (double.IsNaN(bound) || bound <= 0 || bound > 1))
        {
            throw new ArgumentException($"Monitoring:Supervision:{model}:MinRealizedAccuracy must be in (0, 1] (was {bound}).");
        }

        if (MinLabeledPerWindow < 1)
        {
            throw new ArgumentException($"Monitoring:Supervision:{model}:MinLabeledPerWindow must be at least 1 (was {MinLabeledPerWindow}).");
        }
    }

    /// <summary>The bound <paramref name="window"/> of <paramref name="key"/> passed, or null when it kept them all (or held too few labelled predictions to tell).</summary>
    public SupervisionBreach? Evaluate(ModelKey key, DriftWindowReport window)
    {
        ArgumentNullException.ThrowIfNull(window);
        if (MinRealizedAccuracy is not { } bound || window.LabeledCount < MinLabeledPerWindow)
        {
            return null;
        }

        var accuracy = (double)window.CorrectCount / window.LabeledCount;
        if (accuracy >= bound)
        {
            return null;
        }

        var message = string.Create(CultureInfo.InvariantCulture,
            $"realized accuracy {accuracy:0.00} < {bound:0.00} over window {window.Window} of {key} ({window.CorrectCount} of {window.LabeledCount} labelled predictions correct, {window.StartedAt:u} to {window.ClosedAt:u})");
        return new SupervisionBreach(window.Window, "realizedAccuracy", accuracy, bound, message, window.ClosedAt);
    }
}
