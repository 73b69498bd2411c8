using System.CommandLine;

namespace MLwatch.Cli.Commands;

/// <summary>Options several commands share.</summary>
public static class CommonOptions
{
    public static Option<string?> Config() => new("--config")
    {
        Description = "Silo profile (JSON), e.g. silo-config/local.json; environment variables MLWATCH__Section__Key override it.",
    };

    public static Option<bool> Json() => new("--json")
    {
        Description = "Print machine-readable JSON on stdout (progress goes to stderr).",
    };

    public static Option<string> Topic() => new("--topic")
    {
        Description = "Kafka topic of requests.",
        DefaultValueFactory = _ => Abstractions.Wire.TopicNames.Requests,
    };
}
