using Microsoft.Extensions.DependencyInjection;
using Senar.Client.Tests.TestSupport;
using Senar.Client.Users;
using Senar.Client.Webhooks;
using TrainingApis.Testing;

namespace Senar.Client.Tests;

/// <summary>A base address with a path (a gateway's prefix): the login and every operation go below that path.</summary>
public sealed class BaseAddressPathTests
{
    private static readonly UserAssignment Assignment = new()
    {
        Email = "new.user@neworg.example",
        FirstName = "New",
        LastName = "User",
        Password = "Password8",
        Organization = "NewOrg Inc.",
        CollectionId = 42,
    };

    /// <summary>Each operation and the route it calls after the login.</summary>
    private static readonly Dictionary<string, (string? Route, Func<ISenarClient, Task> Call)> Operations = new()
    {
        ["Auth.Login"] = (null, c => c.Auth.LoginAsync()),
        ["Users.List"] = ("/integration/data/users", c => c.Users.ListAsync()),
        ["Users.Stream"] = ("/integration/data/users", async c => await c.Users.StreamAsync().ToListAsync()),
        ["Users.AssignCollection"] = ("/integration/data/user_assign", c => c.Users.AssignCollectionAsync(Assignment)),
        ["Activities.List"] = ("/integration/data/activities", c => c.Activities.ListAsync()),
        ["Activities.Stream"] = ("/integration/data/activities", async c => await c.Activities.StreamAsync().ToListAsync()),
        ["Webhooks.Register"] = ("/integration/data/webhook_register", c => c.Webhooks.RegisterAsync(new Uri("https://hooks.example.com/senar"), SenarWebhookEvent.User)),
    };

    public static TheoryData<string, string, bool> Cases()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var operation in Operations.Keys)
        {
            foreach (var baseAddress in new[] { "https://gateway.example/senar", "https://gateway.example/senar/" })
            {
                data.Add(operation, baseAddress, false);
                data.Add(operation, baseAddress, true);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_login_and_every_operation_keep_the_path_of_the_base_address(string operation, string baseAddress, bool dependencyInjection)
    {
        var (route, call) = Operations[operation];
        var fake = new SenarFake(api: request => FakeHttpHandler.JsonResponse(request.Path switch
        {
            var p when p.EndsWith("/user_assign", StringComparison.Ordinal) => SeedExamples.UserAssignResponse,
            var p when p.EndsWith("/webhook_register", StringComparison.Ordinal) => SeedExamples.WebhookRegisterResponse,
            _ => "[]",
        }));
        void Configure(SenarClientOptions options)
        {
            (options.Username, options.Password) = (SenarFake.Username, SenarFake.Password);
            options.BaseAddress = new Uri(baseAddress);
        }

        if (dependencyInjection)
        {
            var services = new ServiceCollection();
            services.AddSingleton<TimeProvider>(fake.Time);
            services.AddSenarClient("gateway", Configure).ConfigurePrimaryHttpMessageHandler(() => fake.Handler);
            await using var provider = services.BuildServiceProvider();
            await fake.Time.RunAsync(call(provider.GetRequiredKeyedService<ISenarClient>("gateway")));
        }
        else
        {
            using var client = fake.CreateClient(Configure);
            await fake.Time.RunAsync(call(client));
        }

        string[] expected = route is null ? [SenarFake.LoginPath] : [SenarFake.LoginPath, route];
        fake.Handler.Requests.Select(r => r.Uri!.GetLeftPart(UriPartial.Path)).Distinct().Should().Equal(expected.Select(path => "https://gateway.example/senar" + path));
    }
}
