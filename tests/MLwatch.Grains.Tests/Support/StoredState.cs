using System.Text.Json;
using System.Text.Json.Serialization;

namespace MLwatch.Grains.Tests.Support;

/// <summary>Grain state through JSON as the PostgreSQL provider stores it (its default serializer options).</summary>
internal static class StoredState
{
    public static readonly JsonSerializerOptions Options = CreateOptions();

    public static string Write<T>(T state) => JsonSerializer.Serialize(state, Options);

    public static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, Options)!;

    /// <summary>A new copy of <paramref name="state"/> as a new activation would load it.</summary>
    public static T Reload<T>(T state) => Read<T>(Write(state));

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.NumberHandling |= JsonNumberHandling.AllowNamedFloatingPointLiterals;
        options.Converters.Add(new JsonStringEnumConverter());
        return options;
    }
}
