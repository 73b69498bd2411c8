using BenchmarkDotNet.Running;

// `dotnet run -c Release --project bench/MLwatch.Benchmarks -- --filter '*'`; BenchmarkDotNet prints each result.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
