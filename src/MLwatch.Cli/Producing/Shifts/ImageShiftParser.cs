using System.Globalization;

namespace MLwatch.Cli.Producing.Shifts;

/// <summary>
/// Parses <c>--shift</c> text: one or more shifts joined by <c>+</c>, e.g. <c>rotate:30+noise:0.1</c> or
/// <c>prior:Bag=0.5,Trouser=0.3,Coat=0.2</c>; <c>none</c> is no shift. Numbers use '.' as decimal separator.
/// </summary>
public static class ImageShiftParser
{
    /// <summary>Help text for the option.</summary>
    public const string Help =
        "Shift the stream to test drift monitoring; join several with '+', e.g. rotate:30+noise:0.1. Kinds: " +
        "prior:<classes> (only these true classes, by name or index, optionally weighted: prior:0,1,2 or prior:Bag=0.5,Trouser=0.3,Coat=0.2); " +
        "rotate:<degrees> (clockwise); noise:<sigma> (Gaussian, sigma as a fraction of full intensity, seeded by --seed); invert; " +
        "blur:<radius> (Gaussian sigma in pixels); brightness:<factor> (multiply intensities, clamped). " +
        "True-label headers are kept.";

    /// <summary>Parses <paramref name="text"/>; throws <see cref="FormatException"/> naming the bad part and what it needs.</summary>
    public static IReadOnlyList<ImageShift> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new FormatException($"The shift is empty. Valid kinds: {ImageShift.Kinds} (or none).");
        }

        if (text.Trim().Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return [];
        }

        var shifts = new List<ImageShift>();
        foreach (var part in text.Split('+'))
        {
            shifts.Add(ParseOne(part.Trim(), text));
        }

        if (shifts.OfType<PriorShift>().Skip(1).Any())
        {
            throw new FormatException($"'{text}' has more than one prior shift; list all classes in one, e.g. prior:Bag,Coat.");
        }

        return shifts;
    }

    /// <summary>The <c>--shift</c> text for <paramref name="shifts"/>; <c>none</c> when empty.</summary>
    public static string Format(IEnumerable<ImageShift> shifts)
    {
        var text = string.Join('+', shifts);
        return text.Length == 0 ? "none" : text;
    }

    private static ImageShift ParseOne(string part, string text)
    {
        if (part.Length == 0)
        {
            throw new FormatException($"'{text}' has an empty shift between '+' signs. Valid kinds: {ImageShift.Kinds}.");
        }

        var colon = part.IndexOf(':', StringComparison.Ordinal);
        var kind = (colon < 0 ? part : part[..colon]).Trim().ToLowerInvariant();
        var argument = colon < 0 ? null : part[(colon + 1)..].Trim();
        return kind switch
        {
            "prior" => Prior(part, argument),
            "rotate" => new RotationShift(Number(part, argument, "rotate needs degrees, e.g. rotate:30", _ => true)),
            "noise" => new NoiseShift(Number(part, argument, "noise needs a standard deviation > 0 as a fraction of full intensity, e.g. noise:0.1", v => v > 0)),
            "blur" => new BlurShift(Number(part, argument, $"blur needs a radius in pixels (the Gaussian sigma), > 0 and <= {BlurShift.MaxRadius}, e.g. blur:1.5", v => v is > 0 and <= BlurShift.MaxRadius)),
            "brightness" => new BrightnessShift(Number(part, argument, "brightness needs a factor >= 0, e.g. brightness:0.5 (darker) or brightness:2 (brighter)", v => v >= 0)),
            "invert" => argument is null ? new InversionShift() : throw Bad(part, "invert takes no argument; write just invert"),
            _ => throw Bad(part, $"unknown kind '{kind}'; valid kinds: {ImageShift.Kinds}"),
        };
    }

    private static double Number(string part, string? argument, string need, Func<double, bool> valid) =>
        argument is not null
        && double.TryParse(argument, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
        && double.IsFinite(value)
        && valid(value)
            ? value
            : throw Bad(part, need);

    private static PriorShift Prior(string part, string? argument)
    {
        const string Need = "prior needs classes by name or index, optionally weighted, e.g. prior:0,1,2 or prior:Bag=0.5,Trouser=0.3,Coat=0.2";
        if (string.IsNullOrWhiteSpace(argument))
        {
            throw Bad(part, Need);
        }

        var classes = new List<PriorClass>();
        foreach (var entry in argument.Split(','))
        {
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            var name = (equals < 0 ? entry : entry[..equals]).Trim();
            if (name.Length == 0)
            {
                throw Bad(part, $"an empty class name; {Need}");
            }

            var weight = 1.0;
            if (equals >= 0
                && !(double.TryParse(entry[(equals + 1)..].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out weight) && double.IsFinite(weight) && weight > 0))
            {
                throw Bad(part, $"the weight of '{name}' must be a number > 0, e.g. {name}=0.5");
            }

            if (classes.Any(c => string.Equals(c.Class, name, StringComparison.OrdinalIgnoreCase)))
            {
                throw Bad(part, $"class '{name}' is listed twice");
            }

            classes.Add(new PriorClass(name, weight));
        }

        return new PriorShift(classes);
    }

    private static FormatException Bad(string part, string need) => new($"Invalid shift '{part}': {need}.");
}
