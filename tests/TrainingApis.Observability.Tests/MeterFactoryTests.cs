using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Symtrain.Client;
using TrainingApis.Core;
using TrainingApis.Testing;

namespace TrainingApis.Observability.Tests;

/// <summary>With an <see cref="IMeterFactory"/> in the container, the clients' meters come from it (scoped to the container).</summary>
public sealed class MeterFactoryTests
{
    [Fact]
    public async Task A_client_from_a_container_with_a_meter_factory_measures_on_the_factory_s_meter()
    {
        var handler = FakeHttpHandler.Json("[]");
        var services = new ServiceCollection();
        services.AddMetrics();
        services.AddSingleton<TimeProvider>(FakeTime.Create());
        services.AddSymtrainClient(o => o.ApiKey = "sk_meter_factory").ConfigurePrimaryHttpMessageHandler(() => handler);
        await using var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<IMeterFactory>();
        // Only the meter the factory made (its scope is the factory), not the package's own meter that hand-built
        // clients of tests running alongside use.
        using var fromFactory = new MetricCollector<long>(factory, "Symtrain.Client", "symtrain.client.requests");

        await provider.GetRequiredService<ISymtrainClient>().Reports.GetUsersAsync(DateRange.FromDays(new DateOnly(2024, 1, 1), 7));

        fromFactory.Instrument.Should().NotBeNull().And.Subject.As<Instrument>().Meter.Scope.Should().BeSameAs(factory);
        fromFactory.GetMeasurementSnapshot().Should().ContainSingle();
    }
}
