using Senar.Client.Tests.TestSupport;
using Senar.Client.Tests.Users;
using Senar.Client.Webhooks;
using TrainingApis.Testing;

namespace Senar.Client.Tests.Json;

/// <summary>Siblings of the null-counter fault outside the activity list: the assignment answer and the webhook registration.</summary>
public sealed class NullableAnswerFieldsTests
{
    [Fact]
    public async Task A_null_isNewUser_in_an_assignment_answer_reads_as_an_existing_user_not_an_error()
    {
        var fake = new SenarFake(api: _ => FakeHttpHandler.JsonResponse("""{"succeed": true, "email": "a@b.example", "collectionId": 7, "isNewUser": null}"""));
        using var client = fake.CreateClient();

        var result = await client.Users.AssignCollectionAsync(SenarUsersClientTests.Valid());

        result.Succeed.Should().BeTrue();
        result.IsNewUser.Should().BeFalse();
        result.CollectionId.Should().Be(7);
    }

    [Fact]
    public async Task A_webhook_registration_with_a_numeric_id_reads_as_its_text()
    {
        var fake = new SenarFake(api: _ => FakeHttpHandler.JsonResponse("""{"id": 1234567890123}"""));
        using var client = fake.CreateClient();

        var registration = await client.Webhooks.RegisterAsync(new Uri("https://hooks.example.com/senar"), SenarWebhookEvent.Activity);

        registration.Id.Should().Be("1234567890123");
    }
}
