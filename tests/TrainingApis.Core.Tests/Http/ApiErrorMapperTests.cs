using System.Net;
using System.Text;
using TrainingApis.Core.Http;
using TrainingApis.Testing;

namespace TrainingApis.Core.Tests.Http;

public sealed class ApiErrorMapperTests
{
    private const string RequestAddress = "https://api.test/v2/report/users?token=query-secret-123#frag";

    [Theory]
    [InlineData(400, typeof(ApiValidationException))]
    [InlineData(401, typeof(ApiAuthenticationException))]
    [InlineData(403, typeof(ApiAuthenticationException))]
    [InlineData(404, typeof(ApiNotFoundException))]
    [InlineData(409, typeof(ApiException))]
    [InlineData(418, typeof(ApiException))]
    [InlineData(422, typeof(ApiValidationException))]
    [InlineData(429, typeof(ApiRateLimitException))]
    [InlineData(500, typeof(ApiException))]
    [InlineData(502, typeof(ApiException))]
    [InlineData(503, typeof(ApiException))]
    public async Task Status_maps_to_its_subtype(int status, Type expected)
    {
        using var response = Response((HttpStatusCode)status, "{\"message\":\"nope\"}");

        var exception = await ApiErrorMapper.CreateExceptionAsync(response, "Test");

        exception.Should().BeOfType(expected);
        exception.StatusCode.Should().Be((HttpStatusCode)status);
        exception.Method.Should().Be("POST");
        exception.Message.Should().StartWith($"Test POST /v2/report/users failed with {status}").And.Contain("nope");
    }

    [Theory]
    [InlineData(408, true)]
    [InlineData(429, true)]
    [InlineData(500, true)]
    [InlineData(502, true)]
    [InlineData(503, true)]
    [InlineData(504, true)]
    [InlineData(400, false)]
    [InlineData(401, false)]
    [InlineData(403, false)]
    [InlineData(404, false)]
    [InlineData(418, false)]
    [InlineData(422, false)]
    public async Task IsTransient_is_true_for_408_429_and_5xx(int status, bool transient)
    {
        using var response = Response((HttpStatusCode)status, null);

        var exception = await ApiErrorMapper.CreateExceptionAsync(response, "Test");

        exception.IsTransient.Should().Be(transient);
        ApiErrorMapper.IsTransientStatus((HttpStatusCode)status).Should().Be(transient);
    }

    [Theory]
    [InlineData("{\"message\":\"Invalid API key.\"}", "Invalid API key.")]
    [InlineData("{\"message\":\"Invalid API key\"}", "Invalid API key.")]
    public async Task The_message_ends_with_exactly_one_full_stop(string body, string ending)
    {
        using var response = Response(HttpStatusCode.Unauthorized, body);

        var exception = await ApiErrorMapper.CreateExceptionAsync(response, "Test");

        exception.Message.Should().EndWith(ending).And.NotContain("..");
    }

    public static TheoryData<string, byte[]> EncodedErrorBodies()
    {
        const string json = """{"message":"Zoë is not in org-1","code":"NOT_FOUND"}""";
        return new()
        {
            { "UTF-8 with a byte order mark", [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(json)] },
            { "UTF-8 with two byte order marks", [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(json)] },
            { "UTF-16 LE", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(json)] },
            { "UTF-16 BE", [.. Encoding.BigEndianUnicode.GetPreamble(), .. Encoding.BigEndianUnicode.GetBytes(json)] },
            { "UTF-32 LE", [.. Encoding.UTF32.GetPreamble(), .. Encoding.UTF32.GetBytes(json)] },
        };
    }

    [Theory]
    [MemberData(nameof(EncodedErrorBodies))]
    public async Task An_error_body_marked_by_its_byte_order_mark_keeps_the_servers_message_and_code(string encoding, byte[] body)
    {
        // Fails on main for two marks (the message hidden) and UTF-16/32 (NULs between letters in ResponseBody).
        using var response = new HttpResponseMessage(HttpStatusCode.NotFound)
        {
            Content = new ByteArrayContent(body),
            RequestMessage = new HttpRequestMessage(HttpMethod.Post, RequestAddress),
        };

        var exception = await ApiErrorMapper.CreateExceptionAsync(response, "Test");

        exception.Message.Should().Contain("Zoë is not in org-1", encoding);
        exception.ErrorCode.Should().Be("NOT_FOUND", encoding);
        exception.ResponseBody.Should().StartWith("{\"message\"", encoding).And.NotContain("\0", encoding);
    }

    [Fact]
    public async Task A_429_is_a_server_rate_limit_not_a_local_one()
    {
        using var response = Response(HttpStatusCode.TooManyRequests, "{\"message\":\"Too many requests\"}");
        response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(42));

        var exception = (ApiRateLimitException)await ApiErrorMapper.CreateExceptionAsync(response, "Test");

        exception.IsLocal.Should().BeFalse();
        exception.RetryAfter.Should().Be(TimeSpan.FromSeconds(42));
        exception.IsTransient.Should().BeTrue();
    }

    [Fact]
    public async Task Message_and_field_errors_of_the_documented_shape_are_read()
    {
        using var response = Response(
            HttpStatusCode.BadRequest,
            """{"message":"Invalid request","errors":[{"field":"startDate","message":"is required"},{"field":"endDate","message":"is after today"}]}""");

        var exception = (ApiValidationException)await ApiErrorMapper.CreateExceptionAsync(response, "Test");

        exception.Errors.Should().Equal(new ApiFieldError("startDate", "is required"), new ApiFieldError("endDate", "is after today"));
        exception.Message.Should().Contain("Invalid request").And.Contain("startDate: is required; endDate: is after today");
    }

    [Fact]
    public async Task ProblemDetails_title_detail_type_and_error_dictionary_are_read()
    {
        using var response = Response(
            HttpStatusCode.UnprocessableEntity,
            """
            {"type":"https://tools.ietf.org/html/rfc9110#section-15.5.21","title":"One or more validation errors occurred.",
             "status":422,"detail":"See errors.","traceId":"00-abc-def-00",
             "errors":{"StartDate":["The StartDate field is required."],"Email":["Not an email.","Too long."]}}
            """,
            "application/problem+json");

        var exception = (ApiValidationException)await ApiErrorMapper.CreateExceptionAsync(response, "Test");

        exception.Message.Should().Contain("See errors.");
        exception.ErrorCode.Should().Be("https://tools.ietf.org/html/rfc9110#section-15.5.21");
        exception.Errors.Should().Equal(
            new ApiFieldError("StartDate", "The StartDate field is required."),
            new ApiFieldError("Email", "Not an email."),
            new ApiFieldError("Email", "Too long."));
    }

    [Fact]
    public async Task ProblemDetails_without_detail_uses_the_title()
    {
        using var response = Response(HttpStatusCode.BadRequest, """{"title":"Bad things happened","status":400}""");

        var exception = await ApiErrorMapper.CreateExceptionAsync(response, "Test");

        exception.Message.Should().Contain(": Bad things happened");
    }

    [Fact]
    public async Task A_nested_error_object_gives_message_and_code()
    {
        using var response = Response(
            HttpStatusCode.Forbidden,
            """{"error":{"code":"E_SCOPE","message":"The key may not read reports","errors":[{"param":"scope","msg":"missing reports:read"}]}}""");

        var exception = await ApiErrorMapper.CreateExceptionAsync(response, "Test");

        exception.Should().BeOfType<ApiAuthenticationException>();
        exception.ErrorCode.Should().Be("E_SCOPE");
        exception.Message.Should().Contain("The key may not read reports").And.Contain("scope: missing reports:read");
    }

    [Fact]
    public async Task OAuth_style_error_and_description_are_read()
    {
        using var response = Response(HttpStatusCode.Unauthorized, """{"error":"invalid_grant","error_description":"Wrong username or password"}""");

        var exception = await ApiErrorMapper.CreateExceptionAsync(response, "Test");

        exception.Message.Should().Contain("Wrong username or password");
    }

    [Fact]
    public async Task Numeric_error_codes_are_kept_as_text()
    {
        using var response = Response(HttpStatusCode.InternalServerError, """{"code":5001,"msg":"database unavailable"}""");

        var exception = await ApiErrorMapper.CreateExceptionAsync(response, "Test");

        exception.ErrorCode.Should().Be("5001");
        exception.Message.Should().Contain("database unavailable");
    }

    [Fact]
    public async Task Bulk_import_rows_with_errors_at_the_root_name_each_row()
    {
        using var response = Response(
            HttpStatusCode.BadRequest,
            """[{"row":3,"errors":["email must match username","firstName is required"]},{"row":7,"errors":["duplicate"]}]""");

        var exception = (ApiValidationException)await ApiErrorMapper.CreateExceptionAsync(response, "Test");

        exception.Errors.Should().Equal(
            new ApiFieldError("row 3", "email must match username"),
            new ApiFieldError("row 3", "firstName is required"),
            new ApiFieldError("row 7", "duplicate"));
    }

    [Fact]
    public async Task Bulk_import_rows_under_errors_name_each_row()
    {
        using var response = Response(
            HttpStatusCode.UnprocessableEntity,
            """{"validUsersCount":0,"invalidUsersCount":1,"errors":[{"row":3,"errors":["email must match username"]}]}""");

        var exception = (ApiValidationException)await ApiErrorMapper.CreateExceptionAsync(response, "Test");

        exception.Errors.Should().Equal(new ApiFieldError("row 3", "email must match username"));
    }

    [Fact]
    public async Task A_list_of_messages_becomes_the_errors()
    {
        // NestJS and similar frameworks answer {"statusCode":400,"message":[...],"error":"Bad Request"}.
        using var response = Response(
            HttpStatusCode.BadRequest,
            """{"statusCode":400,"message":["email must be an email","username should not be empty"],"error":"Bad Request"}""");

        var exception = (ApiValidationException)await ApiErrorMapper.CreateExceptionAsync(response, "Test");

        exception.Errors.Select(e => e.Message).Should().Equal("email must be an email", "username should not be empty");
        exception.Message.Should().Contain("email must be an email");
    }

    [Fact]
    public async Task More_than_ten_errors_are_summarised_in_the_message_but_all_kept()
    {
        var items = string.Join(",", Enumerable.Range(1, 25).Select(i => $$"""{"field":"f{{i}}","message":"bad"}"""));
        using var response = Response(HttpStatusCode.BadRequest, $$"""{"errors":[{{items}}]}""");

        var exception = (ApiValidationException)await ApiErrorMapper.CreateExceptionAsync(response, "Test");

        exception.Errors.Should().HaveCount(25);
        exception.Message.Should().Contain("and 15 more]").And.NotContain("f11:");
    }

    public static TheoryData<string?, string> OddBodies => new()
    {
        { null, "no body" },
        { string.Empty, "empty" },
        { "   ", "whitespace" },
        { "Service Unavailable", "plain text" },
        { "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>nginx</h1></body></html>", "html" },
        { "{\"message\": \"cut sho", "truncated JSON" },
        { "{\"errors\": [{\"field\": ", "truncated JSON in errors" },
        { "[1, 2", "truncated array" },
        { "{\"message\": 42, \"errors\": 7, \"code\": {\"a\": 1}}", "unexpected kinds" },
        { "\"just a string\"", "a JSON string" },
        { "null", "JSON null" },
        { "{\"errors\": null, \"message\": null}", "nulls" },
        { "{\"errors\": [null, 1, true, [[]], {}]}", "odd error items" },
        { new string('[', 5000) + new string(']', 5000), "deep nesting" },
        { "{\"a\":1,}", "trailing comma" },
        { "{\"message\":\"\\ud800\"}", "escaped lone surrogate" },
        { "{\"message\":\"\ud800\"}", "raw lone surrogate" },
    };

    [Theory]
    [MemberData(nameof(OddBodies))]
    public async Task Any_body_gives_an_exception_of_the_family(string? body, string because)
    {
        foreach (var status in new[] { HttpStatusCode.BadRequest, HttpStatusCode.NotFound, HttpStatusCode.InternalServerError, (HttpStatusCode)418 })
        {
            using var response = Response(status, body, "text/html");

            var exception = await ApiErrorMapper.CreateExceptionAsync(response, "Test");
            var fromText = ApiErrorMapper.CreateException(response, body, "Test");

            exception.Should().BeAssignableTo<ApiException>(because);
            exception.StatusCode.Should().Be(status, because);
            fromText.StatusCode.Should().Be(status, because);
        }
    }

    [Fact]
    public async Task Invalid_utf8_never_throws_and_is_kept_readable()
    {
        var bytes = new byte[] { 0x7B, 0x22, 0x6D, 0x22, 0x3A, 0x22, 0xFF, 0xFE, 0xC3, 0x28, 0x22, 0x7D, 0xE2, 0x82 };
        using var response = new HttpResponseMessage(HttpStatusCode.BadRequest)
        {
            Content = new ByteArrayContent(bytes),
            RequestMessage = new HttpRequestMessage(HttpMethod.Get, RequestAddress),
        };

        var exception = await ApiErrorMapper.CreateExceptionAsync(response, "Test");

        exception.Should().BeOfType<ApiValidationException>();
        exception.ResponseBody.Should().StartWith("{\"m\":\"").And.Contain("\uFFFD");
    }

    [Fact]
    public async Task A_huge_body_is_truncated_to_a_few_kilobytes()
    {
        var body = "{\"message\":\"" + new string('x', 2_000_000) + "\"}";
        using var response = Response(HttpStatusCode.InternalServerError, body);

        var exception = await ApiErrorMapper.CreateExceptionAsync(response, "Test");

        exception.ResponseBody!.Length.Should().BeLessThanOrEqualTo(ApiErrorMapper.MaxBodyChars + 20);
        exception.ResponseBody.Should().StartWith("{\"message\":\"xxx").And.EndWith("(truncated)");
        exception.Message.Length.Should().BeLessThan(1000, "a server message is shortened in the exception message");
    }

    [Fact]
    public async Task Truncation_does_not_split_a_surrogate_pair()
    {
        var body = new string('a', ApiErrorMapper.MaxBodyChars - 1) + "😀😀";
        using var response = Response(HttpStatusCode.InternalServerError, body, "text/plain");

        var exception = await ApiErrorMapper.CreateExceptionAsync(response, "Test");

        var kept = exception.ResponseBody!;
        kept.Should().EndWith("(truncated)");
        kept.Where(char.IsSurrogate).Count().Should().Be(kept.Count(char.IsHighSurrogate) * 2, "no lone surrogate is left");
    }

    [Fact]
    public async Task A_body_that_fails_to_read_still_gives_the_status()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)
        {
            Content = new StreamContent(new TestSupport.ChunkedStream(Encoding.UTF8.GetBytes("{\"message\":\"x\"}"), failAt: 3)),
            RequestMessage = new HttpRequestMessage(HttpMethod.Get, RequestAddress),
        };

        var exception = await ApiErrorMapper.CreateExceptionAsync(response, "Test");

        exception.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        exception.IsTransient.Should().BeTrue();
    }

    [Theory]
    [InlineData("x-request-id")]
    [InlineData("request-id")]
    [InlineData("x-correlation-id")]
    [InlineData("x-amzn-requestid")]
    [InlineData("x-ms-request-id")]
    [InlineData("cf-ray")]
    public async Task The_request_id_is_read_from_the_usual_headers(string header)
    {
        using var response = Response(HttpStatusCode.InternalServerError, "{}");
        response.Headers.TryAddWithoutValidation(header, "req-7f3a");

        var exception = await ApiErrorMapper.CreateExceptionAsync(response, "Test");

        exception.RequestId.Should().Be("req-7f3a");
        exception.Message.Should().Contain("(request id req-7f3a)");
    }

    [Fact]
    public async Task A_missing_or_overlong_request_id_is_handled()
    {
        using var none = Response(HttpStatusCode.InternalServerError, "{}");
        using var huge = Response(HttpStatusCode.InternalServerError, "{}");
        huge.Headers.TryAddWithoutValidation("x-request-id", new string('r', 5000));

        (await ApiErrorMapper.CreateExceptionAsync(none, "Test")).RequestId.Should().BeNull();
        (await ApiErrorMapper.CreateExceptionAsync(huge, "Test")).RequestId.Should().HaveLength(200);
    }

    [Fact]
    public void Retry_after_in_seconds_is_read()
    {
        using var response = Response(HttpStatusCode.TooManyRequests, null);
        response.Headers.TryAddWithoutValidation("Retry-After", "120");

        ApiErrorMapper.GetRetryAfter(response, FakeTime.Create()).Should().Be(TimeSpan.FromSeconds(120));
    }

    [Fact]
    public void Retry_after_as_an_http_date_is_relative_to_the_clock()
    {
        var time = FakeTime.Create(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        using var response = Response(HttpStatusCode.TooManyRequests, null);
        response.Headers.TryAddWithoutValidation("Retry-After", "Sun, 01 Mar 2026 12:01:30 GMT");

        ApiErrorMapper.GetRetryAfter(response, time).Should().Be(TimeSpan.FromSeconds(90));
        time.Advance(TimeSpan.FromSeconds(60));
        ApiErrorMapper.GetRetryAfter(response, time).Should().Be(TimeSpan.FromSeconds(30));
        time.Advance(TimeSpan.FromHours(1));
        ApiErrorMapper.GetRetryAfter(response, time).Should().Be(TimeSpan.Zero, "a date in the past means now");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("soon")]
    [InlineData("-5")]
    [InlineData("1.5")]
    public void A_missing_or_invalid_retry_after_is_null(string? value)
    {
        using var response = Response(HttpStatusCode.TooManyRequests, null);
        if (value is not null)
        {
            response.Headers.TryAddWithoutValidation("Retry-After", value);
        }

        ApiErrorMapper.GetRetryAfter(response, FakeTime.Create()).Should().BeNull();
    }

    [Fact]
    public async Task Http_date_retry_after_on_a_429_uses_the_given_clock()
    {
        var time = FakeTime.Create(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        using var response = Response(HttpStatusCode.TooManyRequests, null);
        response.Headers.TryAddWithoutValidation("Retry-After", "Sun, 01 Mar 2026 12:00:10 GMT");

        var exception = (ApiRateLimitException)await ApiErrorMapper.CreateExceptionAsync(response, "Test", timeProvider: time);

        exception.RetryAfter.Should().Be(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Secrets_are_masked_in_body_message_and_code()
    {
        const string key = "sk_live_0123456789";
        const string password = "p@ss+w<rd>&'\"";
        var escapedPassword = System.Text.Json.JsonSerializer.Serialize(password); // "p@ss\u002Bw\u003Crd\u003E\u0026\u0027\u0022"
        using var response = Response(
            HttpStatusCode.Unauthorized,
            $$"""{"message":"Key {{key}} is revoked; password {{escapedPassword[1..^1]}} is wrong","code":"{{key}}","errors":[{"field":"{{key}}","message":"{{key}}"}]}""");

        var exception = await ApiErrorMapper.CreateExceptionAsync(response, "Test", [key, password, null, ""]);

        exception.Message.Should().NotContain(key).And.NotContain(password).And.Contain(SecretMasker.Replacement);
        exception.ResponseBody.Should().NotContain(key).And.NotContain(escapedPassword[1..^1]);
        exception.ErrorCode.Should().Be(SecretMasker.Replacement);
        exception.ToString().Should().NotContain(key).And.NotContain(password);
    }

    [Fact]
    public async Task Validation_errors_do_not_leak_a_secret_echoed_by_the_server()
    {
        const string password = "Tr0ub4dor&3+x";
        using var response = Response(
            HttpStatusCode.BadRequest,
            """{"errors":[{"field":"password","message":"Tr0ub4dor\u00263\u002Bx is too weak"}]}""");

        var exception = (ApiValidationException)await ApiErrorMapper.CreateExceptionAsync(response, "Test", [password]);

        exception.Errors.Should().ContainSingle().Which.Message.Should().Be("*** is too weak");
        exception.Message.Should().NotContain(password);
    }

    [Fact]
    public async Task The_request_address_is_kept_without_query_fragment_or_user_info()
    {
        using var response = Response(HttpStatusCode.NotFound, "{}", uri: "https://user:pa55word@api.test/v2/users/42?token=abc#x");

        var exception = await ApiErrorMapper.CreateExceptionAsync(response, "Test");

        exception.RequestUri!.ToString().Should().Be("https://api.test/v2/users/42");
        exception.RequestUri.UserInfo.Should().BeEmpty();
        exception.Message.Should().NotContain("token=abc").And.NotContain("pa55word");
    }

    [Fact]
    public void StripQuery_keeps_relative_and_plain_addresses()
    {
        ApiErrorMapper.StripQuery(null).Should().BeNull();
        ApiErrorMapper.StripQuery(new Uri("v1/x?a=b", UriKind.Relative))!.OriginalString.Should().Be("v1/x?a=b");
        var plain = new Uri("https://api.test/v1/x");
        ApiErrorMapper.StripQuery(plain).Should().BeSameAs(plain);
        ApiErrorMapper.StripQuery(new Uri(RequestAddress)).Should().Be(new Uri("https://api.test/v2/report/users"));
    }

    [Fact]
    public void A_transport_failure_is_a_transient_exception_without_status()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, RequestAddress);
        var cause = new HttpRequestException(HttpRequestError.ConnectionError, "refused");

        var exception = ApiErrorMapper.CreateTransportException(request, "Test", cause);

        exception.IsTransient.Should().BeTrue();
        exception.StatusCode.Should().BeNull();
        exception.InnerException.Should().BeSameAs(cause);
        exception.RequestUri.Should().Be(new Uri("https://api.test/v2/report/users"));
        exception.Message.Should().Contain("ConnectionError").And.NotContain("query-secret");
    }

    [Theory]
    [InlineData(HttpRequestError.ResponseEnded, false)]
    [InlineData(HttpRequestError.Unknown, false)]
    [InlineData(HttpRequestError.ConnectionError, true)]
    [InlineData(HttpRequestError.NameResolutionError, true)]
    public void A_transport_failure_of_a_non_idempotent_request_is_transient_only_when_nothing_was_sent(HttpRequestError error, bool transient)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, RequestAddress).MarkNonIdempotent();

        var exception = ApiErrorMapper.CreateTransportException(request, "Test", new HttpRequestException(error, "broken pipe", new IOException("Broken pipe")));
        var reset = ApiErrorMapper.CreateTransportException(request, "Test", new IOException("Connection reset by peer"));

        exception.IsTransient.Should().Be(transient);
        exception.Message.Contains("outcome is unknown", StringComparison.Ordinal).Should().Be(!transient);
        reset.IsTransient.Should().BeFalse();
    }

    [Fact]
    public void An_unreadable_success_body_is_a_non_transient_exception()
    {
        using var response = Response(HttpStatusCode.OK, "not json");
        var cause = new System.Text.Json.JsonException("bad", null, 0, 4);

        var exception = ApiErrorMapper.CreateInvalidResponseException(response, "Test", "a JSON Thing", cause);

        exception.IsTransient.Should().BeFalse();
        exception.StatusCode.Should().Be(HttpStatusCode.OK);
        exception.Message.Should().Contain("not a JSON Thing").And.Contain("line 1, byte 5");
    }

    private static HttpResponseMessage Response(HttpStatusCode status, string? body, string mediaType = "application/json", string uri = RequestAddress)
    {
        var response = new HttpResponseMessage(status) { RequestMessage = new HttpRequestMessage(HttpMethod.Post, uri) };
        if (body is not null)
        {
            response.Content = new StringContent(body, Encoding.UTF8, mediaType);
        }

        return response;
    }
}
