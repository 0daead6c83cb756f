using System.Net;
using System.Text;
using System.Text.Json.Serialization;
using Symtrain.Client.Reports;
using TrainingApis.Core;
using TrainingApis.Testing;

namespace Symtrain.Client.Tests.Reports;

public class ReportsClientTests
{
    private static readonly DateRange Quarter = new(new DateOnly(2024, 1, 1), new DateOnly(2024, 3, 31));

    public static TheoryData<string, string> Reports => new()
    {
        { nameof(ISymtrainReportsClient.GetSymsResultAsync), "/v2/report/syms-result" },
        { nameof(ISymtrainReportsClient.GetUserResultsAsync), "/v2/report/user-results" },
        { nameof(ISymtrainReportsClient.GetTrainingPlanResultAsync), "/v2/report/training-plan-result" },
        { nameof(ISymtrainReportsClient.GetModulesResultsAsync), "/v2/report/modules-results" },
        { nameof(ISymtrainReportsClient.GetSymsAsync), "/v2/report/syms" },
        { nameof(ISymtrainReportsClient.GetUsersAsync), "/v2/report/users" },
        { nameof(ISymtrainReportsClient.GetTeamsResultAsync), "/v2/report/teams-result" },
    };

    private static Task<IReadOnlyList<ReportRow>> Call(ISymtrainReportsClient reports, string method, DateRange range) => method switch
    {
        nameof(ISymtrainReportsClient.GetSymsResultAsync) => reports.GetSymsResultAsync(range),
        nameof(ISymtrainReportsClient.GetUserResultsAsync) => reports.GetUserResultsAsync(range),
        nameof(ISymtrainReportsClient.GetTrainingPlanResultAsync) => reports.GetTrainingPlanResultAsync(range),
        nameof(ISymtrainReportsClient.GetModulesResultsAsync) => reports.GetModulesResultsAsync(range),
        nameof(ISymtrainReportsClient.GetSymsAsync) => reports.GetSymsAsync(range),
        nameof(ISymtrainReportsClient.GetUsersAsync) => reports.GetUsersAsync(range),
        nameof(ISymtrainReportsClient.GetTeamsResultAsync) => reports.GetTeamsResultAsync(range),
        _ => throw new ArgumentOutOfRangeException(nameof(method)),
    };

    [Theory]
    [MemberData(nameof(Reports))]
    public async Task Each_report_posts_the_dates_to_its_path_with_the_bearer_key(string method, string path)
    {
        using var harness = Harness.Json("""[{"userId":"u1","score":91.5}]""");

        var rows = await Call(harness.Client.Reports, method, Quarter);

        var request = harness.Single;
        Harness.ShouldBeJsonPost(request, path);
        request.Body.Should().Be("""{"startDate":"2024-01-01","endDate":"2024-03-31"}""");
        rows.Should().ContainSingle().Which.GetString("userId").Should().Be("u1");
    }

    [Theory]
    [InlineData(SymtrainReport.SymsResult, "/v2/report/syms-result")]
    [InlineData(SymtrainReport.UserResults, "/v2/report/user-results")]
    [InlineData(SymtrainReport.TrainingPlanResult, "/v2/report/training-plan-result")]
    [InlineData(SymtrainReport.ModulesResults, "/v2/report/modules-results")]
    [InlineData(SymtrainReport.Syms, "/v2/report/syms")]
    [InlineData(SymtrainReport.Users, "/v2/report/users")]
    [InlineData(SymtrainReport.TeamsResult, "/v2/report/teams-result")]
    public async Task GetReportAsync_maps_each_report_to_its_path(SymtrainReport report, string path)
    {
        using var harness = Harness.Json("[]");

        var rows = await harness.Client.Reports.GetReportAsync(report, Quarter);

        rows.Should().BeEmpty();
        Harness.ShouldBeJsonPost(harness.Single, path);
    }

    [Fact]
    public void Every_report_has_an_operation_name_for_logs_spans_and_metrics()
    {
        // The names are constants (no string built per call); each must still read Reports.Get{report}.
        foreach (var report in Enum.GetValues<SymtrainReport>())
        {
            SymtrainReportsClient.GetOperation(report).Should().Be($"Reports.Get{report}");
        }

        FluentActions.Invoking(() => SymtrainReportsClient.GetOperation((SymtrainReport)999)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Theory]
    [InlineData("""[{"a":1},{"a":2}]""")]
    [InlineData("""{"results":[{"a":1},{"a":2}]}""")]
    [InlineData("""{"data":[{"a":1},{"a":2}]}""")]
    [InlineData("""{"items":[{"a":1},{"a":2}]}""")]
    [InlineData("""{"records":[{"a":1},{"a":2}]}""")]
    [InlineData("""{"total":2,"results":[{"a":1},{"a":2}],"extra":{"x":1}}""")]
    public async Task Rows_are_read_from_a_bare_array_or_any_documented_envelope(string json)
    {
        using var harness = Harness.Json(json);

        var rows = await harness.Client.Reports.GetUsersAsync(Quarter);

        rows.Select(r => r.GetInt64("a")).Should().Equal(1, 2);
    }

    [Fact]
    public async Task A_range_longer_than_the_maximum_is_refused_before_sending_and_the_message_says_how_to_split()
    {
        using var harness = Harness.Json("[]");
        var range = DateRange.FromDays(new DateOnly(2024, 1, 1), 181);

        var act = () => harness.Client.Reports.GetSymsResultAsync(range);

        var error = (await act.Should().ThrowAsync<ArgumentException>()).Which;
        error.ParamName.Should().Be("range");
        error.Message.Should().Contain("181 days").And.Contain("180").And.Contain("StreamReportAsync").And.Contain("Split");
        harness.Handler.Count.Should().Be(0);
    }

    [Fact]
    public async Task A_range_of_exactly_the_maximum_is_sent()
    {
        using var harness = Harness.Json("[]");

        await harness.Client.Reports.GetSymsAsync(DateRange.FromDays(new DateOnly(2024, 1, 1), 180));

        Harness.Body(harness.Single)["endDate"]!.GetValue<string>().Should().Be("2024-06-28");
    }

    [Fact]
    public async Task The_maximum_range_is_a_setting()
    {
        using var harness = Harness.Json("[]", o => o.MaxReportRange = TimeSpan.FromDays(30));

        var act = () => harness.Client.Reports.GetReportAsync(SymtrainReport.Syms, DateRange.FromDays(new DateOnly(2024, 1, 1), 31));

        await act.Should().ThrowAsync<ArgumentException>().WithMessage("*at most 30 days*");
        harness.Handler.Count.Should().Be(0);
    }

    [Fact]
    public async Task An_undefined_report_is_refused()
    {
        using var harness = Harness.Json("[]");

        var act = () => harness.Client.Reports.GetReportAsync((SymtrainReport)42, Quarter);

        (await act.Should().ThrowAsync<ArgumentOutOfRangeException>()).Which.ParamName.Should().Be("report");
        var stream = () => harness.Client.Reports.StreamReportAsync((SymtrainReport)42, Quarter);
        stream.Should().Throw<ArgumentOutOfRangeException>();
        harness.Handler.Count.Should().Be(0);
    }

    [Fact]
    public async Task Full_pages_are_followed_with_page_and_page_size_until_a_short_page()
    {
        using var harness = Harness.Sequence(
            """{"page":1,"pageSize":2,"total":5,"results":[{"n":1},{"n":2}]}""",
            """{"page":2,"pageSize":2,"total":5,"results":[{"n":3},{"n":4}]}""",
            """{"page":3,"pageSize":2,"total":5,"results":[{"n":5}]}""");

        var rows = await harness.Client.Reports.GetTeamsResultAsync(Quarter);

        rows.Select(r => r.GetInt64("n")).Should().Equal(1, 2, 3, 4, 5);
        harness.Requests.Should().HaveCount(3);
        harness.Requests[0].Body.Should().Be("""{"startDate":"2024-01-01","endDate":"2024-03-31"}""");
        harness.Requests[1].Body.Should().Be("""{"startDate":"2024-01-01","endDate":"2024-03-31","page":2,"pageSize":2}""");
        harness.Requests[2].Body.Should().Be("""{"startDate":"2024-01-01","endDate":"2024-03-31","page":3,"pageSize":2}""");
    }

    [Fact]
    public async Task Paging_stops_when_the_total_is_reached_even_on_a_full_page()
    {
        using var harness = Harness.Sequence(
            """{"page":1,"pageSize":2,"total":4,"results":[{"n":1},{"n":2}]}""",
            """{"page":2,"pageSize":2,"total":4,"results":[{"n":3},{"n":4}]}""");

        var rows = await harness.Client.Reports.GetUsersAsync(Quarter);

        rows.Should().HaveCount(4);
        harness.Requests.Should().HaveCount(2);
    }

    [Fact]
    public async Task A_bare_array_is_a_single_page()
    {
        using var harness = Harness.Json("""[{"n":1},{"n":2}]""");

        var rows = await harness.Client.Reports.GetUsersAsync(Quarter);

        rows.Should().HaveCount(2);
        harness.Requests.Should().HaveCount(1);
    }

    [Fact]
    public async Task A_server_that_answers_page_one_forever_is_a_clear_error_not_a_loop()
    {
        using var harness = Harness.Json("""{"page":1,"pageSize":2,"results":[{"n":1},{"n":2}]}""");

        var act = () => harness.Client.Reports.GetUsersAsync(Quarter);

        (await act.Should().ThrowAsync<ApiException>()).Which.Message.Should().Contain("ignore paging");
        harness.Requests.Should().HaveCount(2);
    }

    [Fact]
    public async Task A_server_that_repeats_the_same_rows_without_page_numbers_is_a_clear_error()
    {
        using var harness = Harness.Json("""{"pageSize":2,"results":[{"n":1},{"n":2}]}""");

        var act = () => harness.Client.Reports.GetUsersAsync(Quarter);

        (await act.Should().ThrowAsync<ApiException>()).Which.Message.Should().Contain("previous page again");
        harness.Requests.Should().HaveCount(2);
    }

    [Fact]
    public async Task A_listing_that_never_ends_stops_at_the_page_limit()
    {
        using var harness = new Harness(
            (request, n) => FakeHttpHandler.JsonResponse($$"""{"page":{{n + 1}},"pageSize":1,"results":[{"n":{{n}}}]}"""),
            o => o.MaxPages = 5);

        var act = () => harness.Client.Reports.GetUsersAsync(Quarter);

        (await act.Should().ThrowAsync<ApiException>()).Which.Message.Should().Contain("5 pages").And.Contain("MaxPages");
        harness.Requests.Should().HaveCount(5);
    }

    [Fact]
    public async Task The_generic_overload_reads_rows_into_the_callers_type()
    {
        using var harness = Harness.Json("""{"results":[{"userId":"u1","score":"87.5","completedAt":"2024-02-03T04:05:06.1234567"}]}""");

        var rows = await harness.Client.Reports.GetReportAsync(SymtrainReport.UserResults, Quarter, TestJsonContext.Default.ScoreRow);

        rows.Should().ContainSingle().Which.Should().BeEquivalentTo(new ScoreRow("u1", 87.5m, new DateTime(2024, 2, 3, 4, 5, 6).AddTicks(1234567)));
        Harness.ShouldBeJsonPost(harness.Single, "/v2/report/user-results");
    }

    [Fact]
    public async Task A_null_row_is_an_ApiException_naming_it_whichever_way_the_report_is_read()
    {
        const string Body = """[{"userId":"u1","score":1},null,{"userId":"u2","score":2}]""";
        using var untyped = Harness.Json(Body);
        using var typed = Harness.Json(Body);
        using var streamed = Harness.Json(Body);

        var asRows = () => untyped.Client.Reports.GetReportAsync(SymtrainReport.UserResults, Quarter);
        var asScores = () => typed.Client.Reports.GetReportAsync(SymtrainReport.UserResults, Quarter, TestJsonContext.Default.ScoreRow);
        var asStream = async () =>
        {
            await foreach (var _ in streamed.Client.Reports.StreamReportAsync(SymtrainReport.UserResults, Quarter))
            {
            }
        };

        (await asRows.Should().ThrowAsync<ApiException>()).Which.Message.Should().Contain("row 2");
        (await asScores.Should().ThrowAsync<ApiException>()).Which.Message.Should().Contain("row 2");
        (await asStream.Should().ThrowAsync<ApiException>()).Which.Message.Should().Contain("row 2");
    }

    [Fact]
    public async Task A_row_that_does_not_fit_the_callers_type_is_an_ApiException()
    {
        using var harness = Harness.Json("""[{"userId":"u1","score":{"nested":true}}]""");

        var act = () => harness.Client.Reports.GetReportAsync(SymtrainReport.UserResults, Quarter, TestJsonContext.Default.ScoreRow);

        (await act.Should().ThrowAsync<ApiException>()).Which.Message.Should().Contain("ScoreRow").And.Contain("row 1");
    }

    [Fact]
    public async Task Stream_report_over_400_days_sends_exactly_three_consecutive_windows()
    {
        using var harness = Harness.Json("""[{"n":1}]""");
        var range = DateRange.FromDays(new DateOnly(2023, 1, 1), 400);

        var rows = new List<ReportRow>();
        await foreach (var row in harness.Client.Reports.StreamReportAsync(SymtrainReport.SymsResult, range))
        {
            rows.Add(row);
        }

        rows.Should().HaveCount(3);
        harness.Requests.Should().HaveCount(3);
        harness.Requests.Should().OnlyContain(r => r.Uri!.AbsolutePath == "/v2/report/syms-result");
        harness.Requests.Select(r => r.Body).Should().Equal(
            """{"startDate":"2023-01-01","endDate":"2023-06-29"}""",
            """{"startDate":"2023-06-30","endDate":"2023-12-26"}""",
            """{"startDate":"2023-12-27","endDate":"2024-02-04"}""");
    }

    [Fact]
    public async Task Stream_report_pages_each_window()
    {
        using var harness = new Harness((request, _) =>
        {
            var body = Harness.Body(request);
            var page = body["page"]?.GetValue<int>() ?? 1;
            return FakeHttpHandler.JsonResponse(page == 1
                ? """{"page":1,"pageSize":2,"results":[{"n":1},{"n":2}]}"""
                : """{"page":2,"pageSize":2,"results":[{"n":3}]}""");
        });

        var rows = new List<ReportRow>();
        await foreach (var row in harness.Client.Reports.StreamReportAsync(SymtrainReport.Users, DateRange.FromDays(new DateOnly(2024, 1, 1), 200)))
        {
            rows.Add(row);
        }

        rows.Should().HaveCount(6);
        harness.Requests.Select(r => Harness.Body(r)["startDate"]!.GetValue<string>()).Should().Equal("2024-01-01", "2024-01-01", "2024-06-29", "2024-06-29");
    }

    [Fact]
    public async Task Stream_report_yields_rows_before_the_response_has_ended()
    {
        var rest = new TaskCompletionSource();
        using var harness = new Harness((_, _) => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StreamContent(new GatedStream("""[{"n":1},"""u8.ToArray(), """{"n":2}]"""u8.ToArray(), rest.Task)),
        });

        await using var rows = harness.Client.Reports.StreamReportAsync(SymtrainReport.Syms, Quarter).GetAsyncEnumerator();

        (await rows.MoveNextAsync()).Should().BeTrue();
        rows.Current.GetInt64("n").Should().Be(1);
        rest.Task.IsCompleted.Should().BeFalse("the first row arrived while the body was still open");
        rest.SetResult();
        (await rows.MoveNextAsync()).Should().BeTrue();
        rows.Current.GetInt64("n").Should().Be(2);
        (await rows.MoveNextAsync()).Should().BeFalse();
    }

    [Fact]
    public async Task Stream_report_stops_between_rows_when_cancelled()
    {
        using var harness = Harness.Json("""[{"n":1},{"n":2},{"n":3}]""");
        using var cancellation = new CancellationTokenSource();
        var seen = new List<long?>();

        var act = async () =>
        {
            await foreach (var row in harness.Client.Reports.StreamReportAsync(SymtrainReport.Syms, DateRange.FromDays(new DateOnly(2023, 1, 1), 400), cancellation.Token))
            {
                seen.Add(row.GetInt64("n"));
                cancellation.Cancel();
            }
        };

        await act.Should().ThrowAsync<OperationCanceledException>();
        seen.Should().Equal(1);
        harness.Requests.Should().HaveCount(1);
    }

    [Fact]
    public async Task An_error_status_becomes_the_matching_exception_without_the_key()
    {
        using var harness = Harness.Json($$"""{"message":"bad key {{Harness.ApiKey}}"}""", status: HttpStatusCode.Unauthorized);

        var act = () => harness.Client.Reports.GetUsersAsync(Quarter);

        var error = (await act.Should().ThrowAsync<ApiAuthenticationException>()).Which;
        error.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        error.Message.Should().NotContain(Harness.ApiKey);
        error.ResponseBody.Should().NotContain(Harness.ApiKey);
    }

    [Fact]
    public async Task A_validation_error_names_the_fields()
    {
        using var harness = Harness.Json("""{"message":"Invalid","errors":[{"field":"startDate","message":"too old"}]}""", status: HttpStatusCode.BadRequest);

        var act = () => harness.Client.Reports.GetUsersAsync(Quarter);

        (await act.Should().ThrowAsync<ApiValidationException>()).Which.Errors.Should().ContainSingle().Which.Field.Should().Be("startDate");
    }

    [Fact]
    public async Task A_transient_failure_is_retried_in_fake_time()
    {
        using var harness = new Harness(
            (_, n) => n == 0 ? FakeHttpHandler.JsonResponse("{}", HttpStatusCode.ServiceUnavailable) : FakeHttpHandler.JsonResponse("""[{"n":1}]"""),
            o => o.Retry = new RetryOptions { MaxRetries = 2, BaseDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(20) });

        var rows = await harness.Time.RunAsync(harness.Client.Reports.GetUsersAsync(Quarter));

        rows.Should().ContainSingle();
        harness.Requests.Should().HaveCount(2);
    }

    /// <summary>A body that hands out its first part at once and the rest only when the gate opens.</summary>
    private sealed class GatedStream(byte[] first, byte[] rest, Task gate) : Stream
    {
        private int _stage;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            switch (_stage++)
            {
                case 0:
                    first.CopyTo(buffer);
                    return first.Length;
                case 1:
                    await gate.WaitAsync(cancellationToken);
                    rest.CopyTo(buffer);
                    return rest.Length;
                default:
                    return 0;
            }
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

public sealed record ScoreRow(string UserId, decimal Score, DateTime CompletedAt);

[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ScoreRow))]
internal sealed partial class TestJsonContext : JsonSerializerContext;
