using System.Globalization;
using System.Text.RegularExpressions;

namespace MLwatch.Inference.Models;

/// <summary>
/// What a version name may be and how versions are ordered: numbered versions ("1", "2", "10") compare as numbers and
/// come before any other name, which compare ordinally ("2024-06-rc1"). The highest is the one served by default.
/// </summary>
public static partial class ModelVersions
{
    /// <summary>Orders version names: numbers by value, then other names ordinally.</summary>
    public static IComparer<string> Order { get; } = Comparer<string>.Create(Compare);

    /// <summary>
    /// True when <paramref name="version"/> can name a version: 1–64 letters, digits, '.', '_' or '-', starting with a
    /// letter or digit. It becomes a directory name and part of grain keys ("{model}@{version}/{label}"), so no '/', '@'
    /// or '..'.
    /// </summary>
    public static bool IsValidName(string? version) => version is not null && NamePattern().IsMatch(version);

    /// <summary>The rule <see cref="IsValidName"/> checks, in words, for error messages.</summary>
    public const string NameRule = "1–64 letters, digits, '.', '_' or '-', starting with a letter or digit";

    /// <summary>The highest of <paramref name="versions"/> by <see cref="Order"/>, or null when there are none.</summary>
    public static string? Highest(IEnumerable<string> versions) => versions.Order(Order).LastOrDefault();

    private static int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null || y is null)
        {
            return x is null ? -1 : 1;
        }

        var xNumber = ulong.TryParse(x, NumberStyles.None, CultureInfo.InvariantCulture, out var xValue);
        var yNumber = ulong.TryParse(y, NumberStyles.None, CultureInfo.InvariantCulture, out var yValue);
        return (xNumber, yNumber) switch
        {
            (true, true) when xValue != yValue => xValue.CompareTo(yValue),
            (true, false) => -1,
            (false, true) => 1,
            _ => string.CompareOrdinal(x, y),
        };
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
