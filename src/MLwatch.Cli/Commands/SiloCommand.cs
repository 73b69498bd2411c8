using System.CommandLine;
using Microsoft.Extensions.Hosting;
using MLwatch.Hosting;
using MLwatch.Hosting.Configuration;

namespace MLwatch.Cli.Commands;

/// <summary>mlwatch silo: runs one silo with its HTTP API until Ctrl-C.</summary>
public static class SiloCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var command = new Command("silo", "Run an MLwatch silo (inference, label statistics, HTTP API) from a profile.") { config };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var profile = parse.GetValue(config) ?? MLwatchConfiguration.LocateProfile("local");
            await using var app = MLwatchSiloHost.Build(profile);
            await app.StartAsync(cancellationToken);
            await app.WaitForShutdownAsync(cancellationToken);
            return 0;
        });
        return command;
    }
}
