using System.Text.Json;
using System.Text.Json.Serialization;

namespace MLwatch.Abstractions.Wire;

/// <summary>
/// The one casing of enum values on the wire (HTTP API, alerts and predictions topics, CLI output): lower-case
/// kebab-case, as in event ids and reason codes ("raised", "handed-out", "realized-accuracy-drop").
/// </summary>
public static class WireEnums
{
    /// <summary>How enum values are named on the wire.</summary>
    public static readonly JsonNamingPolicy Naming = JsonNamingPolicy.KebabCaseLower;

    /// <summary>A JSON converter writing enums in the wire casing; reading also accepts the C# names.</summary>
    public static JsonStringEnumConverter Converter() => new(Naming);

    /// <summary>The wire name of <paramref name="value"/>.</summary>
    public static string Name<TEnum>(TEnum value)
        where TEnum : struct, Enum => Naming.ConvertName(value.ToString());
}
