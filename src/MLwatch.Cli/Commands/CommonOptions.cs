using System.CommandLine;
using MLwatch.Cli.Producing.Shifts;

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

    /// <summary>--shift: parsed by <see cref="ImageShiftParser"/>, so a bad value is a parse error naming the bad part.</summary>
    public static Option<IReadOnlyList<ImageShift>> Shift() => new("--shift")
    {
        Description = ImageShiftParser.Help,
        HelpName = "kind[+kind...]",
        DefaultValueFactory = _ => [],
        CustomParser = result =>
        {
            try
            {
                return ImageShiftParser.Parse(result.Tokens.Single().Value);
            }
            catch (FormatException ex)
            {
                result.AddError(ex.Message);
                return [];
            }
        },
    };

    public static Option<int> Seed() => new("--seed")
    {
        Description = "Seed of the random parts of --shift (noise); the same seed reproduces the same images.",
        DefaultValueFactory = _ => 0,
    };
}
