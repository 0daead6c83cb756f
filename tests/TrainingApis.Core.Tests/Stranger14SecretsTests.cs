using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging;
using TrainingApis.Core.Http;
using TrainingApis.Core.Tests.TestSupport;
using TrainingApis.Testing;

namespace TrainingApis.Core.Tests;

/// <summary>
/// Issue 14, a stranger's probes of "secrets outside the body" and of the redirect rule at the pipeline, on forms,
/// headers, statuses and methods the first tests did not try.
/// </summary>
public sealed class Stranger14SecretsTests
{
    private const string Key = "Gw7Key+Secret/4711XYZ";

    public sealed class Forms
    {
        private const string Password = "S\u00EBcret+Pass&word1";

        public static TheoryData<string, string, string> Echoes()
        {
            var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(Password));
            var longSecret = new string('k', 40) + "Z9/+";
            var longBase64 = Convert.ToBase64String(Encoding.UTF8.GetBytes("user:" + longSecret));
            return new TheoryData<string, string, string>
            {
                { "URL-encoded twice (a proxy encoding an encoded value)", Password, Uri.EscapeDataString(Uri.EscapeDataString(Password)) },
                { "URL-encoded twice, lower-case hex", Password, Uri.EscapeDataString(Uri.EscapeDataString(Password)).ToLowerInvariant().Replace("s%25c3%25abcret", "S%25c3%25abcret", StringComparison.Ordinal) },
                { "JSON-escaped upper-case \\u00CB... of the whole value", Password, string.Concat(Password.Select(c => $"\\u{(int)c:X4}")) },
                { "HTML named entity for a Latin-1 letter", Password, "S&euml;cret+Pass&amp;word1" },
                { "HTML hex entity, upper-case X and digits", Password, "S&#XEB;cret&#x2B;Pass&#X26;word1" },
                { "HTML numeric entity with leading zeros", Password, "S&#00235;cret+Pass&#0038;word1" },
                { "Base64 wrapped at 4 characters by CRLF", Password, string.Join("\r\n", base64.Chunk(4).Select(c => new string(c))) },
                { "Base64 of a long secret wrapped at 76 (MIME) inside a Basic credential", longSecret, string.Join("\r\n", longBase64.Chunk(76).Select(c => new string(c))) },
                { "Base64 wrapped by LF (PEM style)", Password, string.Join("\n", base64.Chunk(8).Select(c => new string(c))) },
                { "raw, split by a line break", Password, Password[..6] + "\n" + Password[6..] },
                { "raw, split by CRLF", Password, Password[..9] + "\r\n" + Password[9..] },
                { "upper-cased by a gateway", Password, Password.ToUpperInvariant() },
                { "lower-cased by a gateway", Password, Password.ToLowerInvariant() },
                { "unreserved characters URL-encoded too (Java's URLEncoder writes ~ as %7E)", "key~4711-abc.def_X", "key%7E4711%2Dabc%2Edef%5FX" },
                { "letters URL-encoded", "key~4711-abc.def_X", "%6B%65%79~4711-abc.def_X" },
                { "letters JSON-escaped, lower-case hex", "key~4711-abc.def_X", "\\u006bey~4711-abc.def_X" },
            };
        }

        [Theory]
        [MemberData(nameof(Echoes))]
        public void Every_form_of_a_secret_is_masked(string form, string secret, string echoed)
        {
            var text = $"refused: {echoed} (gw {echoed})";

            var masked = SecretMasker.Mask(text, [secret]);

            masked.Should().NotContain(echoed, form);
            masked.Should().StartWith("refused: ", form).And.Contain("***", form);
        }

        [Theory]
        [InlineData("S%C3%ABcret+Pass")]
        [InlineData("\\u0053\\u00eb\r\n")]
        [InlineData("U8OrY3Jl\r\n")]
        [InlineData("s&euml;CRET&#43;pa")]
        [InlineData("%25%25%25%")]
        public void A_64_KB_body_of_near_misses_is_masked_in_time(string nearMiss)
        {
            var body = new StringBuilder();
            while (body.Length < 64 * 1024)
            {
                body.Append(nearMiss);
            }

            var text = body.Append(Password).ToString();

            var masked = SecretMasker.Mask(text, [Password, Key, "ab1"]);

            masked.Should().EndWith("***").And.NotBe(SecretMasker.Withheld, "the pattern finishes well within its 2-second limit");
        }

        [Theory]
        [InlineData("x")]
        [InlineData("7")]
        [InlineData("ab1")]
        [InlineData("pass")]
        [InlineData("Ab3%")]
        public void A_short_secret_is_masked_where_it_stands_alone_and_leaves_words_that_contain_it(string secret)
        {
            var text = $"{{\"error\":\"invalid password {secret}\",\"detail\":\"password={Uri.EscapeDataString(secret)}; see https://api.test/help\",\"request\":\"gw-{secret}\"}}";

            var masked = SecretMasker.Mask(text, [secret]);

            masked.Should().Contain("invalid password ***").And.Contain("password=***;").And.Contain("gw-***");
            masked.Should().Contain("\"error\"").And.Contain("https://api.test/help", "the rest of the text stays readable");
        }

        [Theory]
        [InlineData("a")]
        [InlineData("e")]
        [InlineData("pass")]
        [InlineData("test")]
        public void A_short_secret_never_masks_the_text_into_uselessness(string secret)
        {
            const string text = "Senar POST /api/auth/login failed with 401 Unauthorized: the password is not valid for this account (request id req0test1passage).";

            var masked = SecretMasker.Mask(text, [secret]);

            masked.Should().Be(text, "the secret appears only inside longer words");
        }
    }

    public sealed class Pipeline
    {
        private static (HttpClient Client, FakeTimeProvider Time) Create(Func<RecordedRequest, HttpResponseMessage> respond, ILoggerFactory loggerFactory, int retries = 0)
        {
            var time = FakeTime.Create();
            var options = new TestOptions();
            options.Retry.MaxRetries = retries;
            var settings = new ApiPipelineSettings { ServiceName = "Test", Options = options, TimeProvider = time, Logger = loggerFactory.CreateLogger("Test"), Jitter = static () => 0.0 };
            var primary = new FakeHttpHandler((recorded, _) => respond(recorded));
            var client = new HttpClient(ApiPipeline.CreateChain(primary, settings, new BearerKeyHandler(() => Key, "TestOptions.ApiKey"))) { BaseAddress = options.BaseAddress };
            return (client, time);
        }

        [Fact]
        public async Task A_reason_phrase_echoing_the_key_never_reaches_the_give_up_warning()
        {
            var collector = new FakeLogCollector();
            using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(collector)).SetMinimumLevel(LogLevel.Trace));
            var (client, time) = Create(_ => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { ReasonPhrase = $"Unavailable for {Key}" }, loggerFactory, retries: 1);
            using var _ = client;

            using var response = await time.RunAsync(client.SendAsync(TestPipeline.Get()));

            response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
            var records = collector.GetSnapshot();
            records.Should().Contain(r => r.Level == LogLevel.Warning, "giving up is a warning");
            foreach (var record in records)
            {
                record.Message.Should().NotContain("4711");
                (record.StructuredState ?? []).Should().NotContain(p => p.Value != null && p.Value.Contains("4711", StringComparison.Ordinal));
            }
        }

        [Fact]
        public async Task A_www_authenticate_echoing_the_key_is_never_logged_nor_in_the_exception()
        {
            var collector = new FakeLogCollector();
            using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(collector)).SetMinimumLevel(LogLevel.Trace));
            var (client, time) = Create(
                _ =>
                {
                    var response = TestPipeline.Status(HttpStatusCode.Unauthorized, $$"""{"message":"key {{Key}} revoked"}""");
                    response.Headers.WwwAuthenticate.ParseAdd($"Bearer error=\"invalid_token\", error_description=\"{Key} revoked\"");
                    response.Headers.TryAddWithoutValidation("X-Echo", Key);
                    response.Headers.TryAddWithoutValidation("x-amzn-requestid", $"gw-{Key.ToLowerInvariant()}");
                    return response;
                },
                loggerFactory);
            using var _ = client;

            using var response = await time.RunAsync(client.SendAsync(TestPipeline.Get()));
            var error = ApiErrorMapper.CreateException(response, await response.Content.ReadAsStringAsync(), "Test");

            foreach (var text in (string?[])[error.Message, error.ToString(), error.ResponseBody, error.RequestId])
            {
                text.Should().NotBeNull().And.NotContain("4711").And.NotContain("4711xyz");
            }

            foreach (var record in collector.GetSnapshot())
            {
                record.Message.Should().NotContain("4711").And.NotContain("4711xyz");
            }
        }
    }

    public sealed class RedirectRule
    {
        private static TestPipeline Create(Func<RecordedRequest, HttpResponseMessage> respond) =>
            TestPipeline.Create(
                (_, recorded, _) => Task.FromResult(respond(recorded)),
                o => o.Retry.MaxRetries = 2,
                authentication: _ => new BearerKeyHandler(() => Key, "TestOptions.ApiKey"));

        private static HttpResponseMessage Redirect(int status, string? location)
        {
            var response = new HttpResponseMessage((HttpStatusCode)status);
            if (location is not null)
            {
                response.Headers.TryAddWithoutValidation("Location", location);
            }

            return response;
        }

        private static HttpRequestMessage Request(string method)
        {
            var content = method is "GET" or "DELETE" ? null : new StringContent("""{"name":"x"}""", Encoding.UTF8, "application/json");
            return ApiConnection.CreateRequest(new HttpMethod(method), "v1/things", "Things." + method, content);
        }

        public static TheoryData<string, int> MethodsAndStatuses()
        {
            var data = new TheoryData<string, int>();
            foreach (var method in (string[])["GET", "POST", "PUT", "PATCH", "DELETE"])
            {
                data.Add(method, 307);
                data.Add(method, 308);
            }

            return data;
        }

        [Theory]
        [MemberData(nameof(MethodsAndStatuses))]
        public async Task Every_method_follows_a_same_origin_307_or_308_with_its_body_and_key(string method, int status)
        {
            using var pipeline = Create(r => r.Path == "/v1/things" ? Redirect(status, "/v1/things/") : FakeHttpHandler.JsonResponse("{}"));

            using var response = await pipeline.SendAsync(Request(method));

            response.StatusCode.Should().Be(HttpStatusCode.OK);
            var requests = pipeline.Handler.Requests;
            requests.Should().HaveCount(2);
            requests[1].Method.Method.Should().Be(method);
            requests[1].Body.Should().Be(requests[0].Body);
            requests[1].Authorization.Should().Be($"Bearer {Key}");
        }

        [Theory]
        [InlineData("GET", 300)]
        [InlineData("PUT", 301)]
        [InlineData("DELETE", 302)]
        [InlineData("PATCH", 303)]
        public async Task Every_method_refuses_the_other_redirects(string method, int status)
        {
            using var pipeline = Create(_ => Redirect(status, "/v1/things/"));

            var error = await pipeline.SendFailingAsync(Request(method));

            error.Should().BeOfType<ApiException>().Which.Message.Should().Contain($"{method} /v1/things was redirected ({status} ").And.Contain("https://api.test/v1/things/");
            pipeline.Handler.Count.Should().Be(1);
        }

        [Theory]
        [InlineData(304)]
        [InlineData(305)]
        [InlineData(306)]
        public async Task Statuses_that_are_not_redirects_are_never_followed(int status)
        {
            using var pipeline = Create(_ => Redirect(status, "https://elsewhere.test/v1/things"));

            using var response = await pipeline.SendAsync(Request("POST"));

            ((int)response.StatusCode).Should().Be(status);
            pipeline.Handler.Requests.Should().ContainSingle().Which.Uri!.Host.Should().Be("api.test");
        }

        public static TheoryData<int, string, string> CrossOrigin() => new()
        {
            { 307, "//elsewhere.test/v1/things", "https://elsewhere.test/v1/things" },
            { 308, "https://api.test@elsewhere.test/v1/things", "https://elsewhere.test/v1/things" },
            { 307, "https://api.test.elsewhere.test/v1/things", "https://api.test.elsewhere.test/v1/things" },
            { 307, "http://api.test:443/v1/things", "http://api.test:443/v1/things" },
            { 308, "https://api.test:444/v1/things", "https://api.test:444/v1/things" },
            { 307, "ftp://api.test/v1/things", "ftp://api.test/v1/things" },
            { 307, "https://[::1]/v1/things", "https://[::1]/v1/things" },
            { 307, "https://127.0.0.1/v1/things", "https://127.0.0.1/v1/things" },
        };

        [Theory]
        [MemberData(nameof(CrossOrigin))]
        public async Task A_redirect_to_another_origin_in_any_spelling_is_refused_naming_the_target(int status, string location, string named)
        {
            using var pipeline = Create(_ => Redirect(status, location));

            var error = await pipeline.SendFailingAsync(Request("POST"));

            error.Should().BeOfType<ApiException>().Which.Message.Should().Contain(named).And.NotContain(Key);
            pipeline.Handler.Requests.Should().ContainSingle().Which.Uri!.Host.Should().Be("api.test");
        }

        [Theory]
        [InlineData("https://user:pa55word@api.test/v1/things/")]
        [InlineData("https://user@api.test/v1/things/")]
        [InlineData("//user:pa55word@api.test/v1/things/")]
        public async Task A_location_with_user_info_is_refused_and_the_user_info_never_shown(string location)
        {
            using var pipeline = Create(_ => Redirect(307, location));

            var error = await pipeline.SendFailingAsync(Request("POST"));

            error.Should().BeOfType<ApiException>().Which.Message.Should().Contain("user info").And.NotContain("pa55word").And.NotContain("user@");
            pipeline.Handler.Count.Should().Be(1);
        }

        [Theory]
        [InlineData("http://[bad")]
        [InlineData("https://exa mple.test/\u0001")]
        [InlineData("https://:80/")]
        public async Task A_malformed_location_is_refused_saying_so(string location)
        {
            using var pipeline = Create(_ => Redirect(307, location));

            var error = await pipeline.SendFailingAsync(Request("POST"));

            error.Should().BeOfType<ApiException>().Which.Message.Should().Contain("(307 ").And.Contain("Location is not a valid URI");
            pipeline.Handler.Count.Should().Be(1);
        }

        [Fact]
        public async Task A_second_hop_to_another_origin_is_refused_and_receives_nothing()
        {
            using var pipeline = Create(r => r.Path switch
            {
                "/v1/things" => Redirect(307, "/v1/moved"),
                "/v1/moved" => Redirect(308, "https://elsewhere.test/v1/things"),
                _ => FakeHttpHandler.JsonResponse("{}"),
            });

            var error = await pipeline.SendFailingAsync(Request("POST"));

            error.Should().BeOfType<ApiException>().Which.Message.Should().Contain("POST /v1/moved was redirected (308 ").And.Contain("https://elsewhere.test/v1/things");
            pipeline.Handler.Requests.Select(r => r.Uri!.Host).Should().Equal("api.test", "api.test");
        }

        [Fact]
        public async Task A_chain_of_exactly_the_maximum_is_followed()
        {
            using var pipeline = Create(r => r.Path.Length < "/v1/things".Length + Redirects.MaxRedirects ? Redirect(307, r.Path + "x") : FakeHttpHandler.JsonResponse("{}"));

            using var response = await pipeline.SendAsync(Request("PUT"));

            response.StatusCode.Should().Be(HttpStatusCode.OK);
            pipeline.Handler.Count.Should().Be(Redirects.MaxRedirects + 1);
            pipeline.Handler.Requests.Should().OnlyContain(r => r.Authorization == $"Bearer {Key}" && r.Method == HttpMethod.Put);
        }

        [Fact]
        public async Task A_refused_location_echoing_the_key_in_its_host_or_path_never_shows_it()
        {
            var keyLike = "AbCdEf0123456789KeY";
            using var pipeline = TestPipeline.Create(
                (_, _, _) => Task.FromResult(Redirect(302, $"https://{keyLike}.elsewhere.test/{keyLike}/x")),
                o => o.Retry.MaxRetries = 0,
                authentication: _ => new BearerKeyHandler(() => keyLike, "TestOptions.ApiKey"));

            var error = await pipeline.SendFailingAsync(Request("POST"));

            error.Message.Should().NotContainEquivalentOf(keyLike).And.Contain(".elsewhere.test/");
        }
    }
}
