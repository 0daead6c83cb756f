using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Symtrain.Client.Access;
using TrainingApis.Core;

namespace Symtrain.Client.Tests;

/// <summary>
/// Issue 14, a stranger's probes of redirects and of secrets outside the body with the Symtrain client: statuses,
/// uploads and pages the first tests did not try, and the key echoed where no test looked (a reason phrase, a
/// lower-cased request id, WWW-Authenticate, a redirect target), checked in the exception, the logs and the spans.
/// </summary>
public sealed class Stranger14TransportTests
{
    private static readonly DateRange Range = DateRange.FromDays(new DateOnly(2024, 1, 1), 7);

    private static HttpResponseMessage Redirect(int status, string location)
    {
        var response = new HttpResponseMessage((HttpStatusCode)status) { Content = new StringContent(string.Empty) };
        response.Headers.Location = new Uri(location, UriKind.RelativeOrAbsolute);
        return response;
    }

    private static int PageOf(RecordedRequest request) => JsonNode.Parse(request.Body)?["page"]?.GetValue<int>() ?? 1;

    public sealed class Redirects
    {
        [Theory]
        [InlineData(300)]
        [InlineData(304)]
        [InlineData(305)]
        public async Task A_status_the_sdk_does_not_follow_fails_the_call_after_one_request(int status)
        {
            using var harness = new Harness((request, _) => Redirect(status, "https://evil.example" + request.Path + "/"));

            var error = await FluentActions.Awaiting(() => harness.Time.RunAsync(harness.Client.Users.CreateAccessTokenAsync("org-1", "ana@example.com"))).Should().ThrowAsync<ApiException>();

            ((int?)error.Which.StatusCode).Should().Be(status);
            error.Which.Message.Should().NotContain(Harness.ApiKey);
            harness.Requests.Should().ContainSingle().Which.Uri!.Host.Should().Be("api.symtrain.com");
        }

        [Fact]
        public async Task A_csv_upload_redirected_307_is_sent_again_whole_with_the_key()
        {
            using var harness = new Harness((request, _) => request.Path.EndsWith('/')
                ? FakeHttpHandler.JsonResponse("""{"taskId":"task-1","validUsersCount":1,"invalidUsersCount":0,"errors":[]}""")
                : Redirect(307, request.Path + "/"));
            const string csv = "firstName,lastName,username,email,role,teamName,status,action\nAna,Diaz,ana@example.com,ana@example.com,trainee,,ACTIVE,Add\n";
            using var stream = new NonSeekableStream(Encoding.UTF8.GetBytes(csv));

            var result = await harness.Time.RunAsync(harness.Client.Users.BulkImportCsvAsync("org-1", stream));

            result.TaskId.Should().Be("task-1");
            var (asked, redirected) = (harness.Requests[0], harness.Requests[1]);
            redirected.Body.Should().Be(asked.Body).And.Contain("ana@example.com");
            redirected.ContentType.Should().Be(asked.ContentType).And.StartWith("multipart/form-data");
            redirected.Authorization.Should().Be("Bearer " + Harness.ApiKey);
        }

        [Fact]
        public async Task A_report_page_redirected_307_mid_paging_is_followed_and_a_cross_origin_one_refused_after_the_rows_read()
        {
            using var followed = new Harness(
                (request, _) => PageOf(request) == 2 && !request.Path.EndsWith('/') ? Redirect(307, request.Path + "/") : Page(PageOf(request)),
                o => o.ReportPageSize = 1);
            using var refused = new Harness(
                (request, _) => PageOf(request) == 2 ? Redirect(308, "https://evil.example" + request.Path) : Page(PageOf(request)),
                o => o.ReportPageSize = 1);

            var rows = await followed.Time.RunAsync(Read(followed.Client));
            var seen = new List<string>();
            var error = await FluentActions.Awaiting(() => refused.Time.RunAsync(Read(refused.Client, seen))).Should().ThrowAsync<ApiException>();

            rows.Should().Equal("u-1", "u-2");
            followed.Requests.Select(r => $"{r.Path} {PageOf(r)} {r.Authorization == "Bearer " + Harness.ApiKey}").Should().Equal(
                "/v2/report/users 1 True", "/v2/report/users 2 True", "/v2/report/users/ 2 True", "/v2/report/users 3 True");
            seen.Should().Equal("u-1");
            error.Which.Message.Should().Contain("redirected (308 ").And.Contain("https://evil.example/v2/report/users");
            refused.Requests.Should().HaveCount(2).And.OnlyContain(r => r.Uri!.Host == "api.symtrain.com");

            static HttpResponseMessage Page(int page) => FakeHttpHandler.JsonResponse(page <= 2
                ? $$"""{"page":{{page}},"pageSize":1,"results":[{"userId":"u-{{page}}"}]}"""
                : $$"""{"page":{{page}},"pageSize":1,"results":[]}""");
        }

        [Fact]
        public async Task A_library_page_redirected_elsewhere_mid_listing_is_refused_and_never_receives_the_key()
        {
            using var harness = new Harness((request, _) => PageOf(request) == 1
                ? FakeHttpHandler.JsonResponse("""{"page":1,"pageSize":1,"simulations":[{"simulationId":"sim-1","name":"Billing"}]}""")
                : Redirect(307, "//evil.example/v2/access-api/simulation/library"));

            var seen = new List<string>();
            var error = await FluentActions.Awaiting(() => harness.Time.RunAsync(ReadLibrary(harness.Client, seen))).Should().ThrowAsync<ApiException>();

            seen.Should().Equal("sim-1");
            error.Which.Message.Should().Contain("https://evil.example/");
            harness.Requests.Should().HaveCount(2).And.OnlyContain(r => r.Uri!.Host == "api.symtrain.com");
        }

        private static async Task<List<string>> Read(SymtrainClient client, List<string>? seen = null)
        {
            seen ??= [];
            await foreach (var row in client.Reports.StreamReportAsync(SymtrainReport.Users, Range))
            {
                seen.Add(row.GetString("userId")!);
            }

            return seen;
        }

        private static async Task ReadLibrary(SymtrainClient client, List<string> seen)
        {
            await foreach (var simulation in client.Access.ListLibraryAsync(new LibraryQuery { OrganizationId = "org-1", UserId = "ana@example.com", PageSize = 1 }))
            {
                seen.Add(simulation.SimulationId!);
            }
        }
    }

    public sealed class Secrets
    {
        // Upper-case letters: a gateway lower-casing what it echoes changes it.
        private const string Key = "SK_LIVE_Key+4711/Abc";

        [Fact]
        public async Task The_key_echoed_in_a_reason_phrase_a_lower_cased_request_id_and_www_authenticate_is_nowhere_in_the_error_logs_or_spans()
        {
            var collector = new FakeLogCollector();
            using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(collector)).SetMinimumLevel(LogLevel.Trace));
            var (activities, listener) = Listen();
            using var _ = listener;
            var time = FakeTime.Create();
            var handler = new FakeHttpHandler((_, n) =>
            {
                var response = n == 0
                    ? new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { ReasonPhrase = $"Down for {Key}", Content = new StringContent($"<p>key={Uri.EscapeDataString(Key).ToLowerInvariant()}</p>") }
                    : new HttpResponseMessage(HttpStatusCode.Unauthorized) { ReasonPhrase = $"Bad key {Key.ToUpperInvariant()}", Content = new StringContent($$"""{"message":"key {{Key.ToLowerInvariant()}} revoked"}""", Encoding.UTF8, "application/json") };
                response.Headers.TryAddWithoutValidation("x-request-id", $"gw-{Key.ToLowerInvariant()}");
                response.Headers.TryAddWithoutValidation("WWW-Authenticate", $"Bearer error=\"invalid_token\", error_description=\"{Key}\"");
                return response;
            });
            using var client = new SymtrainClient(new SymtrainClientOptions { ApiKey = Key, Retry = new RetryOptions { MaxRetries = 1 } }, handler, time, loggerFactory);

            var error = (await FluentActions.Awaiting(() => time.RunAsync(client.Users.CreateAccessTokenAsync("org-1", "ana@example.com"))).Should().ThrowAsync<ApiAuthenticationException>()).Which;

            handler.Count.Should().Be(2);
            ShouldHoldNoKey(error, collector, activities);
        }

        [Fact]
        public async Task The_key_echoed_in_the_target_of_a_refused_redirect_is_nowhere_in_the_error_logs_or_spans()
        {
            var collector = new FakeLogCollector();
            using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(collector)).SetMinimumLevel(LogLevel.Trace));
            var (activities, listener) = Listen();
            using var _ = listener;
            var time = FakeTime.Create();
            var handler = new FakeHttpHandler((_, _) =>
            {
                var response = Redirect(302, $"https://sso.example/{Uri.EscapeDataString(Key)}/login?key={Key}");
                response.ReasonPhrase = $"Moved for {Key}";
                response.Headers.TryAddWithoutValidation("x-correlation-id", Convert.ToBase64String(Encoding.UTF8.GetBytes(Key)));
                return response;
            });
            using var client = new SymtrainClient(new SymtrainClientOptions { ApiKey = Key }, handler, time, loggerFactory);

            var error = (await FluentActions.Awaiting(() => time.RunAsync(client.Reports.GetUsersAsync(Range))).Should().ThrowAsync<ApiException>()).Which;

            error.Message.Should().Contain("https://sso.example/");
            ShouldHoldNoKey(error, collector, activities);
        }

        [Fact]
        public async Task The_key_echoed_by_a_server_reaches_no_log_of_a_client_from_dependency_injection()
        {
            var collector = new FakeLogCollector();
            var handler = new FakeHttpHandler((_, _) =>
            {
                var response = new HttpResponseMessage(HttpStatusCode.InternalServerError) { ReasonPhrase = $"Oops {Key}", Content = new StringContent("{}") };
                foreach (var name in (string[])["x-request-id", "x-amzn-requestid", "cf-ray", "Server", "X-Echo", "Set-Cookie", "Location"])
                {
                    response.Headers.TryAddWithoutValidation(name, $"gw-{Key.ToLowerInvariant()}");
                }

                return response;
            });
            var services = new ServiceCollection();
            services.AddSingleton<TimeProvider>(FakeTime.Create());
            services.AddLogging(b => b.AddProvider(new FakeLoggerProvider(collector)).SetMinimumLevel(LogLevel.Trace));
            services.AddSymtrainClient(o => (o.ApiKey, o.Retry.MaxRetries) = (Key, 0)).ConfigurePrimaryHttpMessageHandler(() => handler);
            await using var provider = services.BuildServiceProvider();

            var error = (await FluentActions.Awaiting(() => provider.GetRequiredService<ISymtrainClient>().Reports.GetUsersAsync(Range)).Should().ThrowAsync<ApiException>()).Which;

            collector.GetSnapshot().Should().NotBeEmpty();
            ShouldHoldNoKey(error, collector, new ConcurrentQueue<Activity>());
        }

        [Fact]
        public async Task A_user_token_answer_echoing_the_new_token_in_its_headers_keeps_it_out_of_the_trace_log()
        {
            const string userToken = "ut_Secret4711Token";
            var collector = new FakeLogCollector();
            using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(collector)).SetMinimumLevel(LogLevel.Trace));
            var time = FakeTime.Create();
            var handler = new FakeHttpHandler((_, _) =>
            {
                var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent($$"""{"token":"{{userToken}}"}""", Encoding.UTF8, "application/json") };
                response.Headers.TryAddWithoutValidation("x-request-id", "gw-" + userToken);
                response.Headers.TryAddWithoutValidation("Server", "edge " + userToken.ToLowerInvariant());
                return response;
            });
            using var client = new SymtrainClient(new SymtrainClientOptions { ApiKey = Key }, handler, time, loggerFactory);

            var token = await time.RunAsync(client.Users.CreateAccessTokenAsync("org-1", "ana@example.com"));

            token.Token.Should().Be(userToken);
            collector.GetSnapshot().Should().Contain(r => r.Level == LogLevel.Trace && r.Message.Contains("user/token", StringComparison.Ordinal));
            foreach (var record in collector.GetSnapshot())
            {
                record.Message.Should().NotContainEquivalentOf("Secret4711");
                foreach (var pair in record.StructuredState ?? [])
                {
                    (pair.Value ?? "").Should().NotContainEquivalentOf("Secret4711", "a log's state " + pair.Key);
                }
            }
        }

        private static void ShouldHoldNoKey(ApiException error, FakeLogCollector collector, ConcurrentQueue<Activity> activities)
        {
            foreach (var text in (string?[])[error.Message, error.ToString(), error.ResponseBody, error.RequestId, error.RequestUri?.ToString(), error.ErrorCode])
            {
                ShouldNotHold(text, "the exception");
            }

            foreach (var record in collector.GetSnapshot())
            {
                ShouldNotHold(record.Message, "a log message");
                ShouldNotHold(record.Exception?.ToString(), "a logged exception");
                foreach (var pair in record.StructuredState ?? [])
                {
                    ShouldNotHold(pair.Value, "a log's state " + pair.Key);
                }
            }

            foreach (var activity in activities)
            {
                ShouldNotHold(activity.DisplayName, "a span name");
                ShouldNotHold(activity.StatusDescription, "a span status");
                foreach (var tag in activity.TagObjects)
                {
                    ShouldNotHold(tag.Value?.ToString(), "a span tag " + tag.Key);
                }

                foreach (var activityEvent in activity.Events)
                {
                    ShouldNotHold(activityEvent.Name, "a span event");
                    foreach (var tag in activityEvent.Tags)
                    {
                        ShouldNotHold(tag.Value?.ToString(), "a span event tag " + tag.Key);
                    }
                }
            }
        }

        private static void ShouldNotHold(string? text, string where)
        {
            if (text is null)
            {
                return;
            }

            foreach (var piece in (string[])["4711", Convert.ToBase64String(Encoding.UTF8.GetBytes(Key))[..12]])
            {
                text.Should().NotContainEquivalentOf(piece, where);
            }
        }

        private static (ConcurrentQueue<Activity> Stopped, ActivityListener Listener) Listen()
        {
            var stopped = new ConcurrentQueue<Activity>();
            var listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name is "Symtrain.Client",
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = stopped.Enqueue,
            };
            ActivitySource.AddActivityListener(listener);
            return (stopped, listener);
        }
    }

    /// <summary>A CSV from a pipe or a network: read once, no seeking.</summary>
    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;

        public override long Seek(long offset, SeekOrigin loc) => throw new NotSupportedException();

        public override long Position { get => base.Position; set => throw new NotSupportedException(); }

        public override long Length => throw new NotSupportedException();
    }
}
