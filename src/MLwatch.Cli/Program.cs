using System.CommandLine;
using MLwatch.Cli.Commands;

var root = new RootCommand("MLwatch: serve an ML model on a Kafka stream and watch its predictions.")
{
    DemoCommand.Create(),
    SiloCommand.Create(),
    BrokerCommand.Create(),
    ProduceCommand.Create(),
    QueryCommand.Create(),
    ModelsCommand.Create(),
    DashboardCommand.Create(),
    BenchCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
