using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Senar.Client.Activities;
using Senar.Client.Tests.TestSupport;
using Senar.Client.Tests.Users;
using Senar.Client.Users;
using Senar.Client.Webhooks;
using TrainingApis.Core;
using TrainingApis.Testing;

namespace Senar.Client.Tests.Json;

/// <summary>How every Senar operation reads what the server sends: a byte order mark, nulls where numbers go, every date form.</summary>
public sealed class ResponseReadingTests
{
    private static readonly Uri Hook = new("https://hooks.zapier.com/hooks/catch/123/abc/");

    /// <summary>Every operation of the client, with the answer it reads and a check of what it read.</summary>
    public static TheoryData<string> Operations => [.. OperationTable.Keys];

    private static readonly Dictionary<string, (string Answer, Func<SenarClient, Task<object>> Call)> OperationTable = new()
    {
        ["Auth.LoginAsync"] = (SeedExamples.LoginResponse, async c => (await c.Auth.LoginAsync()).Value),
        ["Users.AssignCollectionAsync"] = (SeedExamples.UserAssignResponse, async c => (await c.Users.AssignCollectionAsync(SenarUsersClientTests.Valid())).Email!),
        ["Users.ListAsync"] = (SeedExamples.UsersResponse, async c => (await c.Users.ListAsync()).Single().Email!),
        ["Users.StreamAsync"] = (SeedExamples.UsersResponse, async c => (await c.Users.StreamAsync().ToListAsync()).Single().Email!),
        ["Activities.ListAsync"] = (SeedExamples.ActivitiesResponse, async c => (await c.Activities.ListAsync()).Single().Id),
        ["Activities.StreamAsync"] = (SeedExamples.ActivitiesResponse, async c => (await c.Activities.StreamAsync().ToListAsync()).Single().Id),
        ["Webhooks.RegisterAsync"] = (SeedExamples.WebhookRegisterResponse, async c => (await c.Webhooks.RegisterAsync(Hook, SenarWebhookEvent.User)).Id),
    };

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Every_operation_reads_an_answer_that_starts_with_a_byte_order_mark(string operation)
    {
        var (answer, call) = OperationTable[operation];
        var plain = new SenarFake(login: _ => FakeHttpHandler.JsonResponse(SeedExamples.LoginResponse), api: _ => FakeHttpHandler.JsonResponse(answer));
        var withBom = new SenarFake(login: _ => WithBom(SeedExamples.LoginResponse), api: _ => WithBom(answer));
        using var plainClient = plain.CreateClient();
        using var bomClient = withBom.CreateClient();

        var expected = await call(plainClient);
        var read = await call(bomClient);

        read.Should().Be(expected);
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Every_operation_reads_the_server_message_of_an_error_body_that_starts_with_a_byte_order_mark(string operation)
    {
        var (_, call) = OperationTable[operation];
        var error = () => WithBom("""{"message":"collection 42 is not yours"}""", HttpStatusCode.BadRequest);
        var fake = operation.StartsWith("Auth", StringComparison.Ordinal) ? new SenarFake(login: _ => error()) : new SenarFake(api: _ => error());
        using var client = fake.CreateClient();

        var act = () => call(client);

        (await act.Should().ThrowAsync<ApiException>()).Which.Message.Should().Contain("collection 42 is not yours");
    }

    [Fact]
    public async Task A_webhook_delivery_with_a_byte_order_mark_is_read_from_text_bytes_and_streams()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(SeedExamples.ActivitiesResponse)).ToArray();
        var text = Encoding.UTF8.GetString(bytes); // keeps the mark as U+FEFF, as a body read without BOM detection does

        text[0].Should().Be('\uFEFF');
        SenarWebhookPayload.Parse(text).Activities.Should().ContainSingle();
        SenarWebhookPayload.TryParse(text, out var parsed).Should().BeTrue();
        parsed!.Kind.Should().Be(SenarWebhookPayloadKind.Activities);
        SenarWebhookPayload.Parse(bytes.AsSpan()).Activities.Should().ContainSingle();
        SenarWebhookPayload.Parse(new MemoryStream(bytes)).Activities.Should().ContainSingle();
        (await SenarWebhookPayload.ParseAsync(new MemoryStream(bytes))).Activities.Should().ContainSingle();
    }

    private const string NullCounters = """
        {"id": 7, "collectionId": null, "trainingDate": "2022-09-07T06:25:23.90149761", "scenarioId": "S01",
         "totalPoints": null, "totalSec": null, "totalTries": null, "simulatorId": null, "tilts": null,
         "totalMaxPoints": null, "abandons": null}
        """;

    [Fact]
    public async Task Null_counters_and_scores_read_as_null_in_lists_streams_and_webhook_payloads()
    {
        var fake = new SenarFake(api: _ => FakeHttpHandler.JsonResponse($"[{NullCounters}, {{\"id\": 8, \"totalPoints\": 5}}]"));
        using var client = fake.CreateClient();

        var listed = await client.Activities.ListAsync();
        var streamed = await client.Activities.StreamAsync().ToListAsync();
        var delivered = SenarWebhookPayload.Parse(NullCounters).Activities.Single();

        foreach (var activity in new[] { listed[0], streamed[0], delivered })
        {
            activity.Id.Should().Be(7);
            activity.CollectionId.Should().BeNull();
            activity.TotalPoints.Should().BeNull();
            activity.TotalSec.Should().BeNull();
            activity.TotalTries.Should().BeNull();
            activity.SimulatorId.Should().BeNull();
            activity.Tilts.Should().BeNull();
            activity.TotalMaxPoints.Should().BeNull();
            activity.Abandons.Should().BeNull();
            activity.TrainingDate.Should().Be(new DateTime(2022, 9, 7, 6, 25, 23, DateTimeKind.Unspecified).AddTicks(9014976));
        }

        listed.Should().HaveCount(2);
        streamed[1].TotalPoints.Should().Be(5);
    }

    [Fact]
    public async Task A_null_collection_id_in_an_assignment_answer_reads_as_null()
    {
        var fake = new SenarFake(api: _ => FakeHttpHandler.JsonResponse("""{"succeed": true, "email": "a@b.example", "collectionId": null, "isNewUser": false}"""));
        using var client = fake.CreateClient();

        var result = await client.Users.AssignCollectionAsync(SenarUsersClientTests.Valid());

        result.CollectionId.Should().BeNull();
    }

    [Theory]
    [InlineData("\"totalPoints\": {}", "$[2].totalPoints", "$.totalPoints", "expected a number, found an object")]
    [InlineData("\"totalSec\": true", "$[2].totalSec", "$.totalSec", "expected a number, found a boolean")]
    [InlineData("\"id\": null", "$[2].id", "$.id", "expected a number, found null")]
    [InlineData("\"trainingDate\": \"07/09/2022\"", "$[2].trainingDate", "$.trainingDate", "ISO 8601")]
    public async Task A_row_that_does_not_fit_is_an_error_naming_the_kind_the_path_and_the_row_not_invalid_JSON(string field, string listPath, string rowPath, string detail)
    {
        var body = $$"""[{"id": 1}, {"id": 2}, {"scenarioId": "S03", {{field}}}]""".Replace("{\"scenarioId\": \"S03\", \"id\": null}", "{\"id\": null}", StringComparison.Ordinal);
        var fake = new SenarFake(api: _ => FakeHttpHandler.JsonResponse(body));
        using var client = fake.CreateClient();

        var list = () => client.Activities.ListAsync();
        var stream = () => client.Activities.StreamAsync().ToListAsync().AsTask();

        var listed = (await list.Should().ThrowAsync<ApiException>()).Which.Message;
        var streamed = (await stream.Should().ThrowAsync<ApiException>()).Which.Message;
        var kind = detail == "ISO 8601" ? "an invalid value" : "a type mismatch";
        listed.Should().Contain($"row 3: {kind} at {listPath}").And.Contain(detail).And.NotContain("invalid JSON").And.Contain("list of SenarActivity");
        streamed.Should().Contain($"row 3: {kind} at {rowPath}").And.Contain(detail).And.NotContain("invalid JSON");
    }

    [Theory]
    [InlineData("2022-09-07T06:25:23.90149761", 2022, 9, 7, 6, 25, 23, 9014976, DateTimeKind.Unspecified)]
    [InlineData("2022-09-07T06:25:23.901497619", 2022, 9, 7, 6, 25, 23, 9014976, DateTimeKind.Unspecified)]
    [InlineData("2024-02-29T12:00Z", 2024, 2, 29, 12, 0, 0, 0, DateTimeKind.Utc)]
    [InlineData("2024-02-29T12:00", 2024, 2, 29, 12, 0, 0, 0, DateTimeKind.Unspecified)]
    [InlineData("2024-02-29T14:00:00+0200", 2024, 2, 29, 12, 0, 0, 0, DateTimeKind.Utc)]
    [InlineData("2024-02-29T14:00:00.5+02", 2024, 2, 29, 12, 0, 0, 5000000, DateTimeKind.Utc)]
    [InlineData("2024-02-29 12:00:00", 2024, 2, 29, 12, 0, 0, 0, DateTimeKind.Unspecified)]
    public async Task Every_date_form_reads_in_activities_users_and_webhook_payloads(
        string text, int year, int month, int day, int hour, int minute, int second, int ticks, DateTimeKind kind)
    {
        var expected = new DateTime(year, month, day, hour, minute, second, kind).AddTicks(ticks);
        var activities = $$"""[{"id": 1, "trainingDate": "{{text}}"}]""";
        var users = $$"""[{"id": "u1", "creationDate": "{{text}}", "profile": "Guest"}]""";
        var fake = new SenarFake(api: r => FakeHttpHandler.JsonResponse(r.Path.EndsWith("users", StringComparison.Ordinal) ? users : activities));
        using var client = fake.CreateClient();

        var read = new List<DateTime?>
        {
            (await client.Activities.ListAsync()).Single().TrainingDate,
            (await client.Activities.StreamAsync().ToListAsync()).Single().TrainingDate,
            (await client.Users.ListAsync()).Single().CreationDate,
            (await client.Users.StreamAsync().ToListAsync()).Single().CreationDate,
            SenarWebhookPayload.Parse(activities).Activities.Single().TrainingDate,
            SenarWebhookPayload.Parse(users).Users.Single().CreationDate,
        };

        read.Should().AllSatisfy(value =>
        {
            value.Should().Be(expected);
            value!.Value.Kind.Should().Be(kind);
        });
    }

    [Fact]
    public void A_webhook_payload_with_a_field_of_the_wrong_type_says_which_and_where()
    {
        var act = () => SenarWebhookPayload.Parse("""[{"scenarioId": "S01", "totalPoints": 3}, {"scenarioId": "S02", "totalPoints": [1]}]""");

        act.Should().Throw<SenarWebhookPayloadException>().Which.Message
            .Should().Contain("Item 1").And.Contain("a type mismatch at $.totalPoints: expected a number, found an array");
    }

    private static HttpResponseMessage WithBom(string json, HttpStatusCode status = HttpStatusCode.OK)
    {
        var content = new ByteArrayContent([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(json)]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return new HttpResponseMessage(status) { Content = content };
    }
}
