using System.Net;
using System.Text;
using Confluent.Kafka;
using MLwatch.IntegrationTests.Support;

namespace MLwatch.IntegrationTests.OpenInference;

/// <summary>
/// Infer calls in a two-silo cluster: a call answered by one silo whose record is consumed by the other (which owns its
/// partition) still gets its answer, through the request id's reply grain wherever it lives.
/// </summary>
public sealed class OpenInferenceClusterTests
{
    [Fact]
    public async Task A_call_to_one_silo_whose_record_the_other_silo_consumes_gets_its_answer_and_is_counted_once()
    {
        await using var cluster = await ClusterUnderTest.StartAsync("oip-cross", silos: 2);
        await cluster.WaitSettledAsync("two silos sharing the partitions");
        var view = (await cluster.TryGetClusterAsync())!;
        var ownerOf = view.SelectMany(s => s.Partitions.Select(p => (Partition: int.Parse(p.Split('/')[1], System.Globalization.CultureInfo.InvariantCulture), s.Address))).ToDictionary(p => p.Partition, p => p.Address);
        var expected = OipRequests.ExpectedLabels(64);

        using var topic = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = cluster.BootstrapServers, GroupId = "oip-cross-reader", EnableAutoCommit = false }).Build();
        topic.Assign(Enumerable.Range(0, TestBroker.Partitions).Select(p => new TopicPartitionOffset("mlwatch.requests", p, Offset.Beginning)));
        var partitionOf = new Dictionary<string, int>();

        // Alternate between the silos until each that can (the other silo owns a partition: the balancer, a consistent
        // ring, may leave a silo without one) has answered a call whose record the other silo consumed.
        var canCross = cluster.Silos.Where(s => view.Any(o => o.Address != s.Address && o.Partitions.Count > 0)).Select(s => s.Name).ToHashSet();
        // The silos' own clients time out after 10 s; a call may wait up to OpenInference.ReplyTimeout (20 s).
        using var first = new HttpClient { BaseAddress = cluster.Silos[0].Api.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        using var second = new HttpClient { BaseAddress = cluster.Silos[1].Api.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        HttpClient[] http = [first, second];
        var crossed = new HashSet<string>();
        var sent = 0;
        while (!crossed.SetEquals(canCross) && sent < 64)
        {
            var silo = cluster.Silos[sent % 2];
            var id = $"cross-{sent}";
            var (status, response, error) = await new OipSchemaClient(http[sent % 2]).InferAsync(OipRequests.Model, OipRequests.Image(sent, id));
            Assert.True(status == HttpStatusCode.OK, $"{id} via silo {silo.Name}: {status} {error?.Error}");
            Assert.Equal(id, response!.Id);
            Assert.Equal(expected[sent], response.Output("label").Strings().Single());
            while (!partitionOf.ContainsKey(id))
            {
                var record = topic.Consume(TimeSpan.FromSeconds(30)) ?? throw new InvalidOperationException($"{id} was answered but its record is not on the request topic.");
                partitionOf[Encoding.UTF8.GetString(record.Message.Key)] = record.Partition.Value;
            }

            if (ownerOf[partitionOf[id]] != silo.Address)
            {
                crossed.Add(silo.Name);
            }

            sent++;
        }

        Assert.True(crossed.SetEquals(canCross), $"after {sent} calls, only silo(s) {string.Join(", ", crossed)} of {string.Join(", ", canCross)} answered a call consumed by the other; ownership {string.Join(' ', view)}");
        await Eventually.ReachAsync(() => cluster.TryGetTotalAsync(), total => total == sent, $"the {sent} calls counted");
        Assert.Equal(sent, await cluster.TryGetTotalAsync());
    }
}
