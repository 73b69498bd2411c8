using System.Globalization;

namespace MLwatch.Grains.Monitoring;

/// <summary>Reads a ground-truth label given as a label name (case-insensitive) or a class index.</summary>
public static class TrueLabel
{
    /// <summary>Index of the label <paramref name="text"/> names in <paramref name="labels"/>; -1 when absent or not a label.</summary>
    public static int IndexOf(string? text, IReadOnlyList<string> labels)
    {
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return -1;
        }

        for (var i = 0; i < labels.Count; i++)
        {
            if (string.Equals(labels[i], text, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var index) && index >= 0 && index < labels.Count ? index : -1;
    }
}
