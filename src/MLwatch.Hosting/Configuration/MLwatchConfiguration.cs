using Microsoft.Extensions.Configuration;

namespace MLwatch.Hosting.Configuration;

/// <summary>
/// Loads a silo profile (silo-config/*.json) and lets environment variables override any key
/// (MLWATCH__Kafka__BootstrapServers overrides Kafka:BootstrapServers).
/// </summary>
public static class MLwatchConfiguration
{
    /// <summary>The environment-variable prefix; "__" separates sections.</summary>
    public const string EnvironmentPrefix = "MLWATCH__";

    /// <summary>The directory of named profiles.</summary>
    public const string ProfilesDirectory = "silo-config";

    /// <summary>Adds <paramref name="profilePath"/>, then environment overrides, then <paramref name="overrides"/> (highest).</summary>
    public static IConfigurationBuilder AddMLwatchProfile(
        this IConfigurationBuilder builder,
        string profilePath,
        IEnumerable<KeyValuePair<string, string?>>? overrides = null)
    {
        if (!File.Exists(profilePath))
        {
            throw new FileNotFoundException(
                $"Silo profile '{profilePath}' not found. Pass --config silo-config/<profile>.json (profiles: {string.Join(", ", ListProfiles())}).",
                profilePath);
        }

        builder.AddJsonFile(Path.GetFullPath(profilePath), optional: false, reloadOnChange: false);
        builder.AddEnvironmentVariables(EnvironmentPrefix);
        if (overrides is not null)
        {
            builder.AddInMemoryCollection(overrides);
        }

        return builder;
    }

    /// <summary>Finds silo-config/<paramref name="profile"/>.json from the working directory or the program's directory upwards.</summary>
    public static string LocateProfile(string profile)
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, ProfilesDirectory, profile + ".json");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new FileNotFoundException($"Silo profile '{ProfilesDirectory}/{profile}.json' not found above {Directory.GetCurrentDirectory()}; run from the MLwatch checkout or pass --config.");
    }

    private static IEnumerable<string> ListProfiles() =>
        Directory.Exists(ProfilesDirectory)
            ? Directory.EnumerateFiles(ProfilesDirectory, "*.json").Select(Path.GetFileName).OfType<string>()
            : ["none found in ./silo-config"];
}
