using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MLwatch.Storage.PostgreSql.Hosting;
using MLwatch.Storage.PostgreSql.Tests.Silo;
using MLwatch.Storage.PostgreSql.Tests.Support;

namespace MLwatch.Storage.PostgreSql.Tests;

/// <summary>The provider inside a real silo: registered by the builder extension, started by the silo lifecycle, used by [PersistentState].</summary>
public sealed class SiloPersistenceTests(PostgreSqlFixture postgres) : IClassFixture<PostgreSqlFixture>
{
    [Fact]
    public async Task State_survives_deactivation_and_a_silo_restart()
    {
        var serviceId = PostgreSqlFixture.NewServiceId();
        var key = $"fashion-mnist@1/{Guid.NewGuid():N}";
        double[] confidences = [0.91, 0.1 + 0.2, 1.0 / 3.0];

        var silo = await StartSiloAsync(serviceId);
        try
        {
            var grain = silo.Services.GetRequiredService<IGrainFactory>().GetGrain<IPredictionCounterGrain>(key);
            await grain.AddAsync("Sneaker", confidences[0]);
            await grain.AddAsync("Sneaker", confidences[1]);
            await grain.DeactivateAsync();
            await grain.AddAsync("Ankle boot", confidences[2]);
        }
        finally
        {
            await StopAsync(silo);
        }

        await using (var command = postgres.DataSource.CreateCommand(
            $"""
            SELECT state->>'count', state->'byLabel'->>'Sneaker', etag FROM "{postgres.TableName}"
            WHERE service_id = @service_id AND grain_type = @grain_type AND grain_id LIKE '%' || @key
            """))
        {
            command.Parameters.AddWithValue("service_id", serviceId);
            command.Parameters.AddWithValue("grain_type", PredictionCounterGrain.StateName);
            command.Parameters.AddWithValue("key", key);
            await using var reader = await command.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal("3", reader.GetString(0));
            Assert.Equal("2", reader.GetString(1));
            Assert.Equal(3L, reader.GetInt64(2));
            Assert.False(await reader.ReadAsync());
        }

        silo = await StartSiloAsync(serviceId);
        try
        {
            var state = await silo.Services.GetRequiredService<IGrainFactory>().GetGrain<IPredictionCounterGrain>(key).GetAsync();

            Assert.Equal(3, state.Count);
            Assert.Equal(2, state.ByLabel["Sneaker"]);
            Assert.Equal(1, state.ByLabel["Ankle boot"]);
            Assert.Equal(confidences, state.Confidences);
            Assert.Equal(BitConverter.DoubleToInt64Bits(confidences[0] + confidences[1] + confidences[2]), BitConverter.DoubleToInt64Bits(state.ConfidenceSum));
        }
        finally
        {
            await StopAsync(silo);
        }
    }

    private async Task<IHost> StartSiloAsync(string serviceId)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(
                siloPort: FreePort.Next(), gatewayPort: FreePort.Next(), serviceId: serviceId, clusterId: "tests");
            silo.AddPostgreSqlGrainStorage(PredictionCounterGrain.StorageName, options =>
            {
                options.ConnectionString = postgres.ConnectionString;
                options.TableName = postgres.TableName;
            });
        });
        var host = builder.Build();
        try
        {
            await host.StartAsync();
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    private static async Task StopAsync(IHost host)
    {
        await host.StopAsync();
        host.Dispose();
    }
}
