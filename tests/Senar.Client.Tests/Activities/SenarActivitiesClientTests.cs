using System.Net;
using System.Text;
using Senar.Client.Activities;
using Senar.Client.Tests.TestSupport;
using Senar.Client.Users;
using TrainingApis.Core;
using TrainingApis.Testing;

namespace Senar.Client.Tests.Activities;

public sealed class SenarActivitiesClientTests
{
    [Fact]
    public async Task Gets_the_activities_with_the_bearer_token()
    {
        var fake = new SenarFake(login: _ => FakeHttpHandler.JsonResponse(SeedExamples.LoginResponse), api: _ => FakeHttpHandler.JsonResponse(SeedExamples.ActivitiesResponse));
        using var client = fake.CreateClient();

        await client.Activities.ListAsync();

        var request = fake.ApiRequests.Should().ContainSingle().Subject;
        request.Method.Should().Be(HttpMethod.Get);
        request.Uri.Should().Be(new Uri("https://studio.senar.io/integration/data/activities"));
        request.Authorization.Should().Be("Bearer eedx...");
        request.Headers["Accept"].Should().Contain("application/json");
    }

    [Fact]
    public async Task Reads_the_documented_example_into_every_field()
    {
        var fake = new SenarFake(api: _ => FakeHttpHandler.JsonResponse(SeedExamples.ActivitiesResponse));
        using var client = fake.CreateClient();

        var activity = (await client.Activities.ListAsync()).Should().ContainSingle().Subject;

        AssertDocumentedActivity(activity);
    }

    [Fact]
    public async Task Streams_the_documented_example()
    {
        var fake = new SenarFake(api: _ => FakeHttpHandler.JsonResponse(SeedExamples.ActivitiesResponse));
        using var client = fake.CreateClient();

        var activities = await Collect(client.Activities.StreamAsync());

        AssertDocumentedActivity(activities.Should().ContainSingle().Subject);
    }

    [Fact]
    public void Every_documented_field_has_a_property()
    {
        var documented = System.Text.Json.JsonDocument.Parse(SeedExamples.ActivitiesResponse).RootElement[0].EnumerateObject().Select(p => p.Name).ToList();
        var properties = typeof(SenarActivity).GetProperties().Select(p => char.ToLowerInvariant(p.Name[0]) + p.Name[1..]).ToList();

        documented.Should().HaveCount(26);
        properties.Should().Contain(documented);
    }

    [Theory]
    [InlineData("2022-09-07T06:25:23.9014976", 2022, 9, 7, 6, 25, 23, 9014976, DateTimeKind.Unspecified)]
    [InlineData("2021-03-09T17:37:11.186836", 2021, 3, 9, 17, 37, 11, 1868360, DateTimeKind.Unspecified)]
    [InlineData("2021-03-09T17:37:11", 2021, 3, 9, 17, 37, 11, 0, DateTimeKind.Unspecified)]
    [InlineData("2022-09-07T06:25:23.9014976+02:00", 2022, 9, 7, 4, 25, 23, 9014976, DateTimeKind.Utc)]
    [InlineData("2021-03-09T17:37:11.186836Z", 2021, 3, 9, 17, 37, 11, 1868360, DateTimeKind.Utc)]
    public async Task Parses_date_times_with_six_or_seven_digits_with_or_without_offset(
        string text, int year, int month, int day, int hour, int minute, int second, int ticks, DateTimeKind kind)
    {
        var fake = new SenarFake(api: _ => FakeHttpHandler.JsonResponse($$"""[{"id": 1, "trainingDate": "{{text}}"}]"""));
        using var client = fake.CreateClient();

        var activity = (await client.Activities.ListAsync()).Single();

        activity.TrainingDate.Should().Be(new DateTime(year, month, day, hour, minute, second, kind).AddTicks(ticks));
        activity.TrainingDate!.Value.Kind.Should().Be(kind);
    }

    [Fact]
    public async Task Keeps_an_empty_trainee_email_unknown_fields_and_null_dates()
    {
        var fake = new SenarFake(api: _ => FakeHttpHandler.JsonResponse("""
            [{"id": 7, "traineeEmail": "", "trainingDate": null, "traineeProfile": "Auditor", "newMetric": 3.5, "scenarioId": 12}]
            """));
        using var client = fake.CreateClient();

        var activity = (await client.Activities.ListAsync()).Single();

        activity.TraineeEmail.Should().NotBeNull().And.BeEmpty();
        activity.TrainingDate.Should().BeNull();
        activity.TraineeProfile.Should().Be(new SenarUserProfile("auditor"));
        activity.ScenarioId.Should().Be("12");
        activity.AdditionalProperties.Should().ContainKey("newMetric").WhoseValue.GetDouble().Should().Be(3.5);
    }

    [Fact]
    public async Task A_body_that_is_not_activities_is_an_ApiException()
    {
        var fake = new SenarFake(api: _ => FakeHttpHandler.JsonResponse("""[{"id": "not-a-number"}]"""));
        using var client = fake.CreateClient();

        var act = () => client.Activities.ListAsync();

        (await act.Should().ThrowAsync<ApiException>()).Which.Message.Should().Contain("not a JSON");
    }

    [Fact]
    public async Task Streaming_an_object_without_an_array_is_an_error_not_an_empty_list()
    {
        var fake = new SenarFake(api: _ => FakeHttpHandler.JsonResponse("""{"message": "maintenance"}"""));
        using var client = fake.CreateClient();

        var act = async () => await Collect(client.Activities.StreamAsync());

        (await act.Should().ThrowAsync<ApiException>()).Which.Message.Should().Contain("not a JSON array");
    }

    [Fact]
    public async Task Streaming_an_empty_array_yields_nothing()
    {
        var fake = new SenarFake(api: _ => FakeHttpHandler.JsonResponse("[]"));
        using var client = fake.CreateClient();

        (await Collect(client.Activities.StreamAsync())).Should().BeEmpty();
    }

    [Fact]
    public async Task Streaming_errors_map_to_the_ApiException_family()
    {
        var fake = new SenarFake(api: _ => SenarFake.Status(HttpStatusCode.NotFound, """{"message": "No such route"}"""));
        using var client = fake.CreateClient();

        var act = async () => await Collect(client.Activities.StreamAsync());

        await act.Should().ThrowAsync<ApiNotFoundException>();
    }

    [Fact]
    public async Task Streams_rows_as_they_arrive_without_reading_the_whole_body()
    {
        const int rows = 20_000;
        var body = new GeneratedArrayStream(rows);
        var fake = new SenarFake(api: _ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(body, 4096) });
        using var client = fake.CreateClient();

        long readWhenFirstRowArrived = -1;
        var count = 0;
        var ids = 0L;
        await foreach (var activity in client.Activities.StreamAsync())
        {
            if (count == 0)
            {
                readWhenFirstRowArrived = body.BytesProduced;
            }

            count++;
            ids += activity.Id;
        }

        count.Should().Be(rows);
        ids.Should().Be((long)rows * (rows + 1) / 2);
        body.TotalLength.Should().BeGreaterThan(10_000_000);
        readWhenFirstRowArrived.Should().BeLessThan(256 * 1024, "the first row must be yielded long before the body ends");
    }

    [Fact]
    public async Task Streaming_honours_cancellation()
    {
        var body = new GeneratedArrayStream(10_000);
        var fake = new SenarFake(api: _ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(body, 4096) });
        using var client = fake.CreateClient();
        using var cts = new CancellationTokenSource();

        var act = async () =>
        {
            await foreach (var _ in client.Activities.StreamAsync(cts.Token))
            {
                await cts.CancelAsync();
            }
        };

        await act.Should().ThrowAsync<OperationCanceledException>();
        body.BytesProduced.Should().BeLessThan(body.TotalLength);
    }

    internal static void AssertDocumentedActivity(SenarActivity activity)
    {
        activity.Id.Should().Be(80119);
        activity.CollectionId.Should().Be(41);
        activity.UserId.Should().Be("b68bfbd8-8f26-427b-a3c9-2d4cec36648b");
        activity.TraineeId.Should().Be("b5e3bbbc-0c22-417a-8087-6554afe26400");
        activity.FirstName.Should().Be("Natalia");
        activity.LastName.Should().Be("Brown");
        activity.Company.Should().Be("Daria");
        activity.TrainingDate.Should().Be(new DateTime(2021, 3, 9, 17, 37, 11, DateTimeKind.Unspecified).AddTicks(1868360));
        activity.TrainingDate!.Value.Kind.Should().Be(DateTimeKind.Unspecified);
        activity.ScenarioId.Should().Be("S01");
        activity.ScenarioName.Should().Be("Scenario 1");
        activity.TotalPoints.Should().Be(2900);
        activity.TotalSec.Should().Be(622);
        activity.TotalTries.Should().Be(1);
        activity.SimulatorId.Should().Be(18);
        activity.Tilts.Should().Be(0);
        activity.TotalMaxPoints.Should().Be(3400);
        activity.Abandons.Should().Be(1);
        activity.CollectionTitle.Should().Be("Rigging");
        activity.SimulatorTitle.Should().Be("Lifting Hardware and Sling Inspection");
        activity.UserFirstName.Should().Be("Jon");
        activity.UserLastName.Should().Be("Doe");
        activity.UserEmail.Should().Be("[email protected]");
        activity.UserCostCenter.Should().Be("East");
        activity.UserAccountName.Should().Be("ACME");
        activity.TraineeEmail.Should().Be("[email protected]");
        activity.TraineeProfile.Should().Be(SenarUserProfile.Guest);
        activity.AdditionalProperties.Should().BeNull();
    }

    internal static async Task<List<T>> Collect<T>(IAsyncEnumerable<T> source)
    {
        var list = new List<T>();
        await foreach (var item in source)
        {
            list.Add(item);
        }

        return list;
    }

    /// <summary>A JSON array of activities produced on demand, counting the bytes handed out.</summary>
    private sealed class GeneratedArrayStream(int rows) : Stream
    {
        private byte[] _pending = "["u8.ToArray();
        private int _offset;
        private int _next = 1;
        private bool _done;

        public long BytesProduced { get; private set; }

        public long TotalLength { get; } = Enumerable.Range(1, rows).Sum(i => (long)Row(i).Length + (i > 1 ? 1 : 0)) + 2;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => BytesProduced; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_offset == _pending.Length)
            {
                if (_done)
                {
                    return 0;
                }

                if (_next > rows)
                {
                    _pending = "]"u8.ToArray();
                    _done = true;
                }
                else
                {
                    _pending = Encoding.UTF8.GetBytes((_next > 1 ? "," : string.Empty) + Row(_next));
                    _next++;
                }

                _offset = 0;
            }

            var n = Math.Min(count, _pending.Length - _offset);
            Array.Copy(_pending, _offset, buffer, offset, n);
            _offset += n;
            BytesProduced += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private static string Row(int id) => $$"""
            {"id":{{id}},"collectionId":41,"userId":"b68bfbd8-8f26-427b-a3c9-2d4cec36648b","traineeId":"b5e3bbbc-0c22-417a-8087-6554afe26400","firstName":"Natalia","lastName":"Brown","company":"Daria","trainingDate":"2021-03-09T17:37:11.186836","scenarioId":"S01","scenarioName":"Scenario 1","totalPoints":2900,"totalSec":622,"totalTries":1,"simulatorId":18,"tilts":0,"totalMaxPoints":3400,"abandons":1,"collectionTitle":"Rigging","simulatorTitle":"Lifting Hardware and Sling Inspection","userFirstName":"Jon","userLastName":"Doe","userEmail":"jon.doe@acme.example","userCostCenter":"East","userAccountName":"ACME","traineeEmail":"","traineeProfile":"Guest"}
            """;
    }
}
