using Senar.Client.Tests.TestSupport;
using TrainingApis.Testing;

namespace Senar.Client.Tests.Activities;

/// <summary>A stalled body ends Senar's streams and buffered lists alike.</summary>
public sealed class BodyBudgetTests
{
    [Fact]
    public async Task A_stalled_activity_stream_ends_with_TimeoutException_after_AttemptTimeout_without_bytes()
    {
        SenarFake? fake = null;
        fake = new SenarFake(api: _ => TrickleStream.Stalled("""[{"activityId":"a-1"},""", fake!.Time));
        using var client = fake.CreateClient(o => (o.Timeout, o.AttemptTimeout, o.Retry.MaxRetries) = (TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(2), 0));
        await client.Auth.LoginAsync(); // Logged in first: the fake clock only has the stalled read left to run out.
        var count = 0;

        var act = () => fake.Time.RunAsync(Task.Run(async () =>
        {
            await foreach (var _ in client.Activities.StreamAsync())
            {
                count++;
            }
        }));

        (await act.Should().ThrowAsync<TimeoutException>()).Which.Message.Should().StartWith("Senar Activities.Stream (GET https://").And.Contain("no bytes of the response body arrived for AttemptTimeout (2 s)");
        count.Should().Be(1);
    }

    [Fact]
    public async Task A_stalled_user_list_ends_with_TimeoutException()
    {
        SenarFake? fake = null;
        fake = new SenarFake(api: _ => TrickleStream.Stalled("""[{"id":1},""", fake!.Time));
        using var client = fake.CreateClient(o => (o.Timeout, o.AttemptTimeout, o.Retry.MaxRetries) = (TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(2), 0));
        await client.Auth.LoginAsync();

        var act = () => fake.Time.RunAsync(client.Users.ListAsync());

        (await act.Should().ThrowAsync<TimeoutException>()).Which.Message.Should().StartWith("Senar Users.List (GET https://").And.Contain("/integration/data/users) timed out after ");
    }
}
