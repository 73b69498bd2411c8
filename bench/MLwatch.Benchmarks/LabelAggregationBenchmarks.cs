using BenchmarkDotNet.Attributes;
using MLwatch.Abstractions.Stats;
using MLwatch.Grains.Stats;

namespace MLwatch.Benchmarks;

/// <summary>A label grain applying one delivery's observations (64 records, exactly-once ranges included).</summary>
[MemoryDiagnoser]
public class LabelAggregationBenchmarks
{
    private const int Observations = 64;
    private LabelObservation[] _observations = [];
    private long _nextOffset;
    private LabelStatsState _state = new();

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _observations = [.. Enumerable.Range(0, Observations).Select(i => new LabelObservation(0, i, (float)random.NextDouble(), 1_700_000_000_000 + i, 5 + (float)random.NextDouble() * 50, i % 3 == 0 ? null : i % 2 == 0))];
        _state = new LabelStatsState();
    }

    [Benchmark(OperationsPerInvoke = Observations)]
    public int ApplyDelivery()
    {
        // Each call is the next delivery of the partition: new offsets, the previous ones committed.
        var first = _nextOffset;
        _nextOffset += Observations;
        var observations = _observations.Select((o, i) => o with { Offset = first + i }).ToArray();
        return LabelStatsAggregation.Apply(_state, new LabelObservationBatch("mlwatch.requests", observations, 0, first, first + Observations - 1, first)).Applied;
    }
}
