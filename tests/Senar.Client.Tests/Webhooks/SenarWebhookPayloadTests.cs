using System.Text;
using Senar.Client.Tests.Activities;
using Senar.Client.Tests.TestSupport;
using Senar.Client.Tests.Users;
using Senar.Client.Webhooks;

namespace Senar.Client.Tests.Webhooks;

public sealed class SenarWebhookPayloadTests
{
    private const string SingleUser = """
        {"id": "765fc7cf-312b-469d-8508-0e943a6447c7", "firstName": "Jon", "lastName": "Doe", "email": "[email protected]",
         "language": "en", "accountName": "ACME", "countryName": "USA", "creationDate": "2022-09-07T06:25:23.9014976", "profile": "Instructor"}
        """;

    [Fact]
    public void Reads_an_array_of_activities()
    {
        var payload = SenarWebhookPayload.Parse(SeedExamples.ActivitiesResponse);

        payload.Kind.Should().Be(SenarWebhookPayloadKind.Activities);
        payload.IsArray.Should().BeTrue();
        payload.Users.Should().BeEmpty();
        payload.Count.Should().Be(1);
        SenarActivitiesClientTests.AssertDocumentedActivity(payload.Activities.Single());
    }

    [Fact]
    public void Reads_an_array_of_users()
    {
        var payload = SenarWebhookPayload.Parse(SeedExamples.UsersResponse);

        payload.Kind.Should().Be(SenarWebhookPayloadKind.Users);
        payload.IsArray.Should().BeTrue();
        payload.Activities.Should().BeEmpty();
        SenarUsersClientTests.List.AssertDocumentedUser(payload.Users.Single());
    }

    [Fact]
    public void Reads_a_single_user_object()
    {
        var payload = SenarWebhookPayload.Parse(SingleUser);

        payload.Kind.Should().Be(SenarWebhookPayloadKind.Users);
        payload.IsArray.Should().BeFalse();
        SenarUsersClientTests.List.AssertDocumentedUser(payload.Users.Single());
    }

    [Fact]
    public void Reads_a_single_activity_object_told_apart_by_its_fields()
    {
        var payload = SenarWebhookPayload.Parse("""{"id": 5, "scenarioId": "S02", "firstName": "Ann"}""");

        payload.Kind.Should().Be(SenarWebhookPayloadKind.Activities);
        payload.IsArray.Should().BeFalse();
        payload.Activities.Single().ScenarioId.Should().Be("S02");
    }

    [Fact]
    public void Field_names_are_matched_case_insensitively()
    {
        var payload = SenarWebhookPayload.Parse("""{"Id": 5, "TrainingDate": "2021-03-09T17:37:11.186836"}""");

        payload.Kind.Should().Be(SenarWebhookPayloadKind.Activities);
        payload.Activities.Single().Id.Should().Be(5);
    }

    [Fact]
    public void An_empty_array_is_empty()
    {
        var payload = SenarWebhookPayload.Parse(" [ ] ");

        payload.Kind.Should().Be(SenarWebhookPayloadKind.Empty);
        payload.IsArray.Should().BeTrue();
        payload.Count.Should().Be(0);
    }

    [Fact]
    public void Reads_utf8_bytes_with_or_without_a_byte_order_mark()
    {
        var bytes = Encoding.UTF8.GetBytes(SeedExamples.ActivitiesResponse);
        var withBom = Encoding.UTF8.GetPreamble().Concat(bytes).ToArray();

        SenarWebhookPayload.Parse(bytes).Kind.Should().Be(SenarWebhookPayloadKind.Activities);
        SenarWebhookPayload.Parse(withBom).Kind.Should().Be(SenarWebhookPayloadKind.Activities);
    }

    [Fact]
    public async Task Reads_streams_synchronously_and_asynchronously()
    {
        using var first = new MemoryStream(Encoding.UTF8.GetBytes(SeedExamples.UsersResponse));
        using var second = new MemoryStream(Encoding.UTF8.GetBytes(SingleUser));

        SenarWebhookPayload.Parse(first).Kind.Should().Be(SenarWebhookPayloadKind.Users);
        var payload = await SenarWebhookPayload.ParseAsync(second);
        payload.Kind.Should().Be(SenarWebhookPayloadKind.Users);
        payload.IsArray.Should().BeFalse();
    }

    [Theory]
    [InlineData("not json at all", "not valid JSON")]
    [InlineData("{\"scenarioId\": \"S01\"", "not valid JSON")]
    [InlineData("[{\"scenarioId\": \"S01\"}] trailing", "not valid JSON")]
    [InlineData("", "not valid JSON")]
    [InlineData("42", "a JSON number")]
    [InlineData("\"activity\"", "a JSON string")]
    [InlineData("null", "a JSON null")]
    [InlineData("[1, 2]", "Item 0 of the webhook payload is a JSON number")]
    [InlineData("{\"hello\": \"world\"}", "neither a Senar user")]
    [InlineData("[{\"scenarioId\": \"S01\"}, {\"name\": \"x\"}]", "Item 1 of the webhook payload is neither")]
    [InlineData("[{\"scenarioId\": \"S01\"}, {\"creationDate\": \"2022-09-07T06:25:23\"}]", "mixes users and activities")]
    [InlineData("{\"scenarioId\": \"S01\", \"id\": \"abc\"}", "a type mismatch at $.id")]
    [InlineData("[{\"profile\": \"Guest\", \"creationDate\": \"yesterday\"}]", "an invalid value at $.creationDate")]
    public void Refuses_garbage_with_a_clear_exception(string json, string expected)
    {
        var act = () => SenarWebhookPayload.Parse(json);

        act.Should().Throw<SenarWebhookPayloadException>().Which.Message.Should().Contain(expected);
        SenarWebhookPayload.TryParse(json, out var payload).Should().BeFalse();
        payload.Should().BeNull();
    }

    [Fact]
    public void TryParse_reads_a_valid_payload_and_refuses_null()
    {
        SenarWebhookPayload.TryParse(SingleUser, out var payload).Should().BeTrue();
        payload!.Kind.Should().Be(SenarWebhookPayloadKind.Users);
        SenarWebhookPayload.TryParse(null, out _).Should().BeFalse();
    }

    [Fact]
    public void Null_arguments_throw_ArgumentNullException()
    {
        ((Action)(() => SenarWebhookPayload.Parse((string)null!))).Should().Throw<ArgumentNullException>();
        ((Action)(() => SenarWebhookPayload.Parse((Stream)null!))).Should().Throw<ArgumentNullException>();
    }
}
