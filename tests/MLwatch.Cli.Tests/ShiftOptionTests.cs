using MLwatch.Cli.Commands;
using MLwatch.Cli.Producing.Shifts;

namespace MLwatch.Cli.Tests;

/// <summary>--shift and --seed as the produce and demo commands parse them.</summary>
public sealed class ShiftOptionTests
{
    [Fact]
    public void Produce_parses_shift_and_seed()
    {
        var command = ProduceCommand.Create();
        var result = command.Parse(["--bootstrap", "127.0.0.1:9092", "--shift", "rotate:30+noise:0.1", "--seed", "7"]);
        Assert.Empty(result.Errors);
        Assert.Equal<ImageShift>([new RotationShift(30), new NoiseShift(0.1)], result.GetValue<IReadOnlyList<ImageShift>>("--shift"));
        Assert.Equal(7, result.GetValue<int>("--seed"));
    }

    [Fact]
    public void Produce_without_shift_has_none()
    {
        var result = ProduceCommand.Create().Parse(["--bootstrap", "127.0.0.1:9092"]);
        Assert.Empty(result.Errors);
        Assert.Empty(result.GetValue<IReadOnlyList<ImageShift>>("--shift")!);
    }

    [Theory]
    [InlineData("produce")]
    [InlineData("demo")]
    public void A_bad_shift_is_a_parse_error_naming_the_bad_part(string name)
    {
        var result = name == "produce"
            ? ProduceCommand.Create().Parse(["--bootstrap", "127.0.0.1:9092", "--shift", "rotate:abc"])
            : DemoCommand.Create().Parse(["--shift", "rotate:abc"]);
        var error = Assert.Single(result.Errors);
        Assert.Equal("Invalid shift 'rotate:abc': rotate needs degrees, e.g. rotate:30.", error.Message);
    }
}
