using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Providers;
using Orleans.Serialization.Configuration;
using Orleans.Runtime;

namespace MLwatch.Streaming.Kafka;

/// <summary>
/// Which Kafka partitions this silo's receivers consume right now (a receiver reports when it starts and stops). It is
/// registered as a controllable provider, so a client asks every silo at once through the management grain:
/// <c>SendControlCommandToProvider&lt;KafkaPartitionOwnership&gt;(ControlName, ListCommand, null)</c> returns one
/// <see cref="KafkaPartitionReport"/> per silo.
/// </summary>
public sealed class KafkaPartitionOwnership(ILocalSiloDetails silo) : IControllable
{
    /// <summary>The name it is registered under for control commands.</summary>
    public const string ControlName = "mlwatch.kafka-partitions";

    /// <summary>The command that returns this silo's <see cref="KafkaPartitionReport"/>.</summary>
    public const int ListCommand = 1;

    private readonly ConcurrentDictionary<(string Topic, int Partition), byte> _owned = new();

    /// <summary>"{topic}/{partition}" consumed by this silo, ordered by topic and partition.</summary>
    public IReadOnlyList<string> Owned =>
        [.. _owned.Keys.OrderBy(k => k.Topic, StringComparer.Ordinal).ThenBy(k => k.Partition)
            .Select(k => string.Create(CultureInfo.InvariantCulture, $"{k.Topic}/{k.Partition}"))];

    /// <inheritdoc />
    public Task<object?> ExecuteCommand(int command, object? arg) => command == ListCommand
        ? Task.FromResult<object?>(new KafkaPartitionReport(silo.SiloAddress.ToString(), [.. Owned]))
        : throw new ArgumentOutOfRangeException(nameof(command), command, $"{nameof(KafkaPartitionOwnership)} knows only command {ListCommand} (list).");

    /// <summary>
    /// Lets <paramref name="services"/> (a silo's or a client's) send and receive the ownership command: Orleans only
    /// serializes allow-listed types, and the command names this type as a generic argument.
    /// </summary>
    public static IServiceCollection AllowControlCommands(IServiceCollection services) =>
        services.Configure<TypeManifestOptions>(options => options.AddAllowedType(typeof(KafkaPartitionOwnership)));

    internal void Acquired(string topic, int partition) => _owned[(topic, partition)] = 0;

    internal void Released(string topic, int partition) => _owned.TryRemove((topic, partition), out _);
}

/// <summary>The Kafka partitions one silo consumes.</summary>
/// <param name="Silo">The silo address, as <c>SiloAddress.ToString()</c> prints it.</param>
/// <param name="Partitions">"{topic}/{partition}", ordered.</param>
[GenerateSerializer, Immutable, Alias("mlwatch.kafka-partition-report")]
public sealed record KafkaPartitionReport([property: Id(0)] string Silo, [property: Id(1)] string[] Partitions);
