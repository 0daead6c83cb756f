using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Senar.Client.Activities;
using Senar.Client.Tests.TestSupport;
using Senar.Client.Tests.Users;
using Senar.Client.Users;
using Senar.Client.Webhooks;
using TrainingApis.Core;

namespace Senar.Client.Tests;

/// <summary>
/// Issue 14 after its fixes, probed by a stranger on the Senar client: a null in every property of every model (found by
/// reflection), numbers as strings, floats and out-of-range numbers in every integer, flags as strings, more date forms,
/// two byte order marks and UTF-16 on every operation and every webhook entry point, and bounded messages.
/// </summary>
public sealed class Stranger14JsonTests
{
    private static readonly Uri Hook = new("https://hooks.zapier.com/hooks/catch/123/abc/");

    /// <summary>The public models the client reads from answers.</summary>
    private static readonly Type[] Models = [typeof(SenarActivity), typeof(SenarUser), typeof(UserAssignResult), typeof(WebhookRegistration)];

    // The JSON name of a property, as the context reads it (camelCase unless named).
    private static string JsonName(PropertyInfo property) =>
        property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);

    private static IEnumerable<PropertyInfo> ReadProperties(Type model) => model.GetProperties()
        .Where(p => p.CanWrite && p.GetCustomAttribute<JsonIgnoreAttribute>() is null && p.GetCustomAttribute<JsonExtensionDataAttribute>() is null);

    public static TheoryData<string, string> NullCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var model in Models)
        {
            foreach (var property in ReadProperties(model))
            {
                data.Add(model.Name, property.Name);
            }
        }

        return data;
    }

    [Fact]
    public void The_null_cases_cover_every_model_the_context_reads()
    {
        var read = typeof(Senar.Client.Json.SenarJsonContext).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => p.PropertyType).Where(t => t.IsGenericType).Select(t => t.GetGenericArguments()[0])
            .Where(t => t.IsPublic && t.Namespace!.StartsWith("Senar.Client", StringComparison.Ordinal) && t.GetProperty("AdditionalProperties") is not null)
            .ToHashSet();

        read.Should().BeEquivalentTo(Models);
        NullCases().Count.Should().BeGreaterThan(35);
    }

    [Theory]
    [MemberData(nameof(NullCases))]
    public async Task A_null_in_any_property_reads_as_null_or_empty_or_is_a_type_mismatch_naming_the_path_in_every_reader(string modelName, string propertyName)
    {
        var property = Models.Single(m => m.Name == modelName).GetProperty(propertyName)!;
        var name = JsonName(property);
        var nullability = new NullabilityInfoContext().Create(property);
        var mayBeNull = !property.PropertyType.IsValueType || Nullable.GetUnderlyingType(property.PropertyType) is not null;
        var nullIsFalse = property.GetCustomAttribute<JsonConverterAttribute>()?.ConverterType == typeof(Senar.Client.Json.NullAsFalseConverter);

        // The object of the model: a field that tells the webhook reader what it is, then the null.
        var item = modelName switch
        {
            nameof(SenarActivity) => new JsonObject { ["id"] = 7, ["scenarioId"] = "S01" },
            nameof(SenarUser) => new JsonObject { ["id"] = "u1", ["creationDate"] = "2024-02-29T12:00:00" },
            nameof(UserAssignResult) => new JsonObject { ["succeed"] = true },
            _ => new JsonObject { ["id"] = "hook-1" },
        };
        item[name] = null;
        var (values, failures) = await ReadEverywhere(modelName, item.ToJsonString());

        if (mayBeNull || nullIsFalse)
        {
            failures.Should().BeEmpty();
            values.Should().NotBeEmpty().And.AllSatisfy(value =>
            {
                var read = property.GetValue(value);
                if (nullIsFalse)
                {
                    read.Should().Be(false);
                }
                else if (nullability.ReadState == NullabilityState.NotNull)
                {
                    read.Should().Be(string.Empty, "{0}.{1} is declared non-null", modelName, propertyName);
                }
                else
                {
                    read.Should().BeNull();
                }
            });
        }
        else
        {
            values.Should().BeEmpty();
            failures.Should().NotBeEmpty().And.AllSatisfy(message =>
                message.Should().MatchRegex($@"a type mismatch at \$(\[0\])?\.{name}: expected a (number|boolean), found null").And.NotContain("invalid JSON"));
        }
    }

    public static TheoryData<string> IntegerProperties =>
        [.. ReadProperties(typeof(SenarActivity)).Where(p => (Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType) == typeof(int)).Select(JsonName)];

    [Theory]
    [MemberData(nameof(IntegerProperties))]
    public async Task An_integer_sent_as_a_string_reads_and_a_float_or_out_of_range_number_is_a_type_mismatch_naming_the_row(string name)
    {
        var asString = await ReadEverywhere(nameof(SenarActivity), $$"""{"id": 7, "scenarioId": "S01", "{{name}}": "12"}""");
        asString.Failures.Should().BeEmpty();
        asString.Values.Cast<SenarActivity>().Should().AllSatisfy(a => typeof(SenarActivity).GetProperty(char.ToUpperInvariant(name[0]) + name[1..])!.GetValue(a).Should().Be(12));

        foreach (var bad in new[] { "12.0", "12.5", "2147483648", "-2147483649", "1e400", "\"12.0\"", "\"\"", "true" })
        {
            var body = $$"""[{"id": 1}, {"id": 2}, {"id": 3, "scenarioId": "S03", "{{name}}": {{bad}}}, {"id": 4}]""".Replace("\"id\": 3, \"scenarioId\": \"S03\", \"id\":", "\"scenarioId\": \"S03\", \"id\":", StringComparison.Ordinal);
            var fake = new SenarFake(api: _ => FakeHttpHandler.JsonResponse(body));
            using var client = fake.CreateClient();
            var streamed = new List<SenarActivity>();

            var list = () => client.Activities.ListAsync();
            var stream = async () =>
            {
                await foreach (var activity in client.Activities.StreamAsync())
                {
                    streamed.Add(activity);
                }
            };

            var listed = (await list.Should().ThrowAsync<ApiException>(bad)).Which.Message;
            var streamedMessage = (await stream.Should().ThrowAsync<ApiException>(bad)).Which.Message;
            listed.Should().Contain($"row 3: a type mismatch at $[2].{name}").And.NotContain("invalid JSON");
            streamedMessage.Should().Contain($"row 3: a type mismatch at $.{name}").And.NotContain("invalid JSON");

            // System.Text.Json hands over a buffer's rows only once it has parsed the buffer: what was handed out stays, in order.
            new[] { 1, 2 }.Take(streamed.Count).Should().Equal(streamed.Select(a => a.Id));
        }
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("\"true\"", true)]
    [InlineData("\"True\"", true)]
    [InlineData("\" false \"", false)]
    [InlineData("\"FALSE\"", false)]
    public async Task Flags_sent_as_words_read_in_the_assignment_answer_as_in_report_rows(string flag, bool expected)
    {
        var fake = new SenarFake(api: _ => FakeHttpHandler.JsonResponse($$"""{"succeed": true, "email": "a@b.example", "isNewUser": {{flag}}}"""));
        using var client = fake.CreateClient();
        var refusing = new SenarFake(api: _ => FakeHttpHandler.JsonResponse($$"""{"succeed": {{flag}}, "message": "no"}"""));
        using var refused = refusing.CreateClient();

        (await client.Users.AssignCollectionAsync(SenarUsersClientTests.Valid())).IsNewUser.Should().Be(expected);
        var assign = () => refused.Users.AssignCollectionAsync(SenarUsersClientTests.Valid());
        if (expected)
        {
            (await assign()).Succeed.Should().BeTrue();
        }
        else
        {
            await assign.Should().ThrowAsync<ApiValidationException>();
        }
    }

    [Theory]
    [InlineData("\"yes\"", "a string")]
    [InlineData("1", "a number")]
    [InlineData("{}", "an object")]
    [InlineData("\"truetruetruetruetrue\"", "a string")]
    public async Task A_flag_that_is_no_boolean_is_a_type_mismatch_naming_the_path(string flag, string found)
    {
        foreach (var name in new[] { "succeed", "isNewUser" })
        {
            var fake = new SenarFake(api: _ => FakeHttpHandler.JsonResponse($$"""{"succeed": true, "{{name}}": {{flag}}}""".Replace("\"succeed\": true, \"succeed\":", "\"succeed\":", StringComparison.Ordinal)));
            using var client = fake.CreateClient();

            var act = () => client.Users.AssignCollectionAsync(SenarUsersClientTests.Valid());

            (await act.Should().ThrowAsync<ApiException>()).Which.Message.Should().Contain($"a type mismatch at $.{name}: expected a boolean, found {found}");
        }
    }

    [Fact]
    public async Task An_answer_or_a_row_of_the_wrong_JSON_type_names_the_model_not_its_NET_type()
    {
        var fake = new SenarFake(login: _ => FakeHttpHandler.JsonResponse("[]"));
        using var client = fake.CreateClient();
        var good = new SenarFake(api: r => FakeHttpHandler.JsonResponse(r.Path.EndsWith("users", StringComparison.Ordinal) ? """{"id": "u1"}""" : """[{"id": 1}, 5]"""));
        using var listing = good.CreateClient();

        var login = () => client.Auth.LoginAsync();
        var users = () => listing.Users.ListAsync();
        var activities = () => listing.Activities.ListAsync();

        (await login.Should().ThrowAsync<ApiException>()).Which.Message.Should().EndWith("(a type mismatch at $: expected a JSON object (LoginResponse)).");
        (await users.Should().ThrowAsync<ApiException>()).Which.Message.Should().EndWith("(a type mismatch at $: expected a JSON array (list of SenarUser)).");
        (await activities.Should().ThrowAsync<ApiException>()).Which.Message.Should().EndWith("(row 2: a type mismatch at $[1]: expected a JSON object (SenarActivity)).");
    }

    [Theory]
    [InlineData("2024-02-29t12:00:00.123456789z", "2024-02-29T12:00:00.1234567Z")]
    [InlineData("2024-02-29 17:30:00-05:30", "2024-02-29T23:00:00.0000000Z")]
    [InlineData("2024-02-29T17:00+05", "2024-02-29T12:00:00.0000000Z")]
    [InlineData("2024-02-29T17:30:00,5+0530", "2024-02-29T12:00:00.5000000Z")]
    [InlineData("2024-02-29", "2024-02-29T00:00:00.0000000")]
    [InlineData("0001-01-01T00:00:00", "0001-01-01T00:00:00.0000000")]
    [InlineData("9999-12-31T23:59:59.9999999", "9999-12-31T23:59:59.9999999")]
    public async Task More_date_forms_read_alike_in_activities_users_and_webhook_payloads(string text, string expected)
    {
        var activity = await ReadEverywhere(nameof(SenarActivity), $$"""{"id": 1, "trainingDate": "{{text}}"}""");
        var user = await ReadEverywhere(nameof(SenarUser), $$"""{"id": "u1", "creationDate": "{{text}}"}""");

        activity.Failures.Concat(user.Failures).Should().BeEmpty();
        activity.Values.Cast<SenarActivity>().Select(a => a.TrainingDate).Concat(user.Values.Cast<SenarUser>().Select(u => u.CreationDate))
            .Should().HaveCount(8).And.AllSatisfy(value => value!.Value.ToString("O", CultureInfo.InvariantCulture).Should().Be(expected));
    }

    [Theory]
    [InlineData("2024-02-29T24:00:00")]
    [InlineData("2016-12-31T23:59:60Z")]
    [InlineData("2024-02-29T12:00:00.1234567890")]
    [InlineData("0001-01-01T00:00:00+01:00")]
    [InlineData("9999-12-31T23:00:00-05:00")]
    [InlineData("2023-02-29")]
    public async Task A_date_outside_ISO_8601_or_DateTime_is_an_invalid_value_naming_the_path_the_row_and_ISO_8601_everywhere(string text)
    {
        var activity = await ReadEverywhere(nameof(SenarActivity), $$"""{"id": 1, "trainingDate": "{{text}}"}""");
        var user = await ReadEverywhere(nameof(SenarUser), $$"""{"id": "u1", "creationDate": "{{text}}"}""");

        activity.Values.Concat(user.Values).Should().BeEmpty();
        activity.Failures.Concat(user.Failures).Should().HaveCount(8).And.AllSatisfy(message =>
            message.Should().MatchRegex(@"an invalid value at \$(\[0\])?\.(trainingDate|creationDate): The string is not an ISO 8601 date-time"));
        activity.Failures.Take(2).Concat(user.Failures.Take(2)).Should().AllSatisfy(message => message.Should().Contain("row 1: "));
    }

    private static readonly string[] OperationNames = ["Auth.LoginAsync", "Users.AssignCollectionAsync", "Users.ListAsync", "Users.StreamAsync", "Activities.ListAsync", "Activities.StreamAsync", "Webhooks.RegisterAsync"];

    public static TheoryData<string, byte[]> ForeignStarts => new()
    {
        { "two byte order marks", [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF, .. """{"Token":"a.b.c","succeed":true,"id":"1"}"""u8] },
        { "UTF-16", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("""{"Token":"a.b.c","succeed":true,"id":"1"}""")] },
        { "UTF-16 array", [.. Encoding.BigEndianUnicode.GetPreamble(), .. Encoding.BigEndianUnicode.GetBytes("[]")] },
    };

    [Theory]
    [MemberData(nameof(ForeignStarts))]
    public async Task A_body_with_two_byte_order_marks_or_in_UTF16_is_an_ApiException_on_every_operation_and_a_stream_names_the_cause(string what, byte[] body)
    {
        foreach (var operation in OperationNames)
        {
            var fake = operation.StartsWith("Auth", StringComparison.Ordinal) ? new SenarFake(login: _ => Raw(body)) : new SenarFake(api: _ => Raw(body));
            using var client = fake.CreateClient();

            var act = () => Call(client, operation);

            var message = (await act.Should().ThrowAsync<ApiException>("{0}: {1}", what, operation)).Which.Message;
            message.Should().Contain("returned a response that is not a JSON", operation);
            // Every reader names the cause: lists, pages and single answers alike.
            message.Should().Contain(what.StartsWith("two", StringComparison.Ordinal) ? "two byte order marks" : "is UTF-16 text", operation);
        }
    }

    [Theory]
    [MemberData(nameof(ForeignStarts))]
    public async Task A_webhook_delivery_with_two_byte_order_marks_or_in_UTF16_is_refused_saying_so_from_text_bytes_and_streams(string what, byte[] body)
    {
        var named = what.StartsWith("two", StringComparison.Ordinal) ? "two byte order marks" : "is UTF-16 text";
        var refusals = new List<Func<Task>>
        {
            () => Task.FromResult(SenarWebhookPayload.Parse(body.AsSpan())),
            () => Task.FromResult(SenarWebhookPayload.Parse(new MemoryStream(body))),
            () => SenarWebhookPayload.ParseAsync(new OneByteStream(body)),
        };
        if (what.StartsWith("two", StringComparison.Ordinal))
        {
            refusals.Add(() => Task.FromResult(SenarWebhookPayload.Parse(Encoding.UTF8.GetString(body))));
        }

        foreach (var refusal in refusals)
        {
            (await refusal.Should().ThrowAsync<SenarWebhookPayloadException>(what)).Which.Message.Should().StartWith("The webhook payload is not valid JSON").And.Contain(named);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task An_answer_whose_byte_order_mark_is_split_across_reads_of_1_2_or_3_bytes_is_read_by_every_operation(int size)
    {
        foreach (var operation in OperationNames)
        {
            var answer = operation switch
            {
                "Auth.LoginAsync" => SeedExamples.LoginResponse,
                "Users.AssignCollectionAsync" => SeedExamples.UserAssignResponse,
                "Users.ListAsync" or "Users.StreamAsync" => SeedExamples.UsersResponse,
                "Activities.ListAsync" or "Activities.StreamAsync" => SeedExamples.ActivitiesResponse,
                _ => SeedExamples.WebhookRegisterResponse,
            };
            HttpResponseMessage Split(string json) => new(HttpStatusCode.OK) { Content = new StreamContent(new OneByteStream(Encoding.UTF8.GetBytes("\uFEFF \r\n" + json), size)) };
            var fake = new SenarFake(login: _ => Split(SeedExamples.LoginResponse), api: _ => Split(answer));
            using var client = fake.CreateClient();

            var read = await Call(client, operation);

            read.Should().NotBeNull(operation);
        }
    }

    [Fact]
    public async Task A_ten_megabyte_error_body_gives_a_short_message_and_a_cut_body_on_every_operation()
    {
        var body = $$"""{"message": "{{new string('m', 10 * 1024 * 1024)}}", "errors": [{"field": "email", "message": "{{new string('e', 100_000)}}"}]}""";
        foreach (var operation in OperationNames)
        {
            var fake = operation.StartsWith("Auth", StringComparison.Ordinal)
                ? new SenarFake(login: _ => FakeHttpHandler.JsonResponse(body, HttpStatusCode.BadRequest))
                : new SenarFake(api: _ => FakeHttpHandler.JsonResponse(body, HttpStatusCode.BadRequest));
            using var client = fake.CreateClient();

            var act = () => Call(client, operation);

            var exception = (await act.Should().ThrowAsync<ApiException>(operation)).Which;
            exception.Message.Length.Should().BeLessThan(2000, operation);
            exception.ResponseBody!.Length.Should().BeLessThanOrEqualTo(4096 + 20, operation);
        }
    }

    [Fact]
    public async Task A_webhook_delivery_read_one_byte_at_a_time_skips_its_byte_order_mark()
    {
        var body = Encoding.UTF8.GetBytes("\uFEFF [{\"id\": 7, \"scenarioId\": \"S01\", \"totalPoints\": null}]");

        var payload = await SenarWebhookPayload.ParseAsync(new OneByteStream(body));
        var again = SenarWebhookPayload.Parse(new OneByteStream(body));

        payload.Activities.Single().Id.Should().Be(7);
        again.Activities.Single().TotalPoints.Should().BeNull();
    }

    [Fact]
    public async Task A_ten_megabyte_body_that_does_not_fit_gives_a_short_message_on_every_operation_and_in_webhook_payloads()
    {
        var name = new string('k', 10 * 1024 * 1024);
        var bodies = new[]
        {
            $$"""{"Token": "a.b.c", "succeed": true, "id": "1", "{{name}}": [1,}""",
            $$"""[{"id": 1, "scenarioId": "S01", "{{name}}": [1,}]""",
        };
        foreach (var body in bodies)
        {
            foreach (var operation in OperationNames)
            {
                var fake = operation.StartsWith("Auth", StringComparison.Ordinal)
                    ? new SenarFake(login: _ => FakeHttpHandler.JsonResponse(body))
                    : new SenarFake(api: _ => FakeHttpHandler.JsonResponse(body));
                using var client = fake.CreateClient(o => o.MaxResponseBufferSize = 64 * 1024 * 1024);

                var act = () => Call(client, operation);

                (await act.Should().ThrowAsync<ApiException>(operation)).Which.Message.Length.Should().BeLessThan(1000, operation);
            }

            var payload = () => SenarWebhookPayload.Parse(body);
            payload.Should().Throw<SenarWebhookPayloadException>().Which.Message.Length.Should().BeLessThan(1000);
        }
    }

    [Fact]
    public void A_type_mismatch_under_a_huge_name_in_a_webhook_payload_gives_a_short_message()
    {
        var payload = () => SenarWebhookPayload.Parse($$"""[{"scenarioId": "S01", "totalPoints": 1}, {"scenarioId": "S02", "{{new string('k', 1_000_000)}}": 1, "totalPoints": [1]}]""");

        var message = payload.Should().Throw<SenarWebhookPayloadException>().Which.Message;

        message.Should().Contain("Item 1").And.Contain("a type mismatch at $.totalPoints");
        message.Length.Should().BeLessThan(1000);
    }

    [Fact]
    public async Task An_answer_that_does_not_fit_never_quotes_the_password_or_the_token_it_echoes()
    {
        var echo = $$"""{"Token": {"value": "a.b.c"}, "password": "{{SenarFake.Password}}"}""";
        var fake = new SenarFake(login: _ => FakeHttpHandler.JsonResponse(echo), api: _ => FakeHttpHandler.JsonResponse($$"""[{"id": "{{SenarFake.Password}}"}]"""));
        using var client = fake.CreateClient();
        var ok = new SenarFake(api: _ => FakeHttpHandler.JsonResponse($$$"""[{"id": "{{{SenarFake.Password}}}", "totalPoints": {"x": "{{{SenarFake.Password}}}"}}]"""));
        using var listing = ok.CreateClient();

        var login = () => client.Auth.LoginAsync();
        var list = () => listing.Activities.ListAsync();

        (await login.Should().ThrowAsync<ApiException>()).Which.Message.Should().NotContain(SenarFake.Password);
        var listed = (await list.Should().ThrowAsync<ApiException>()).Which;
        listed.Message.Should().NotContain(SenarFake.Password);
        (listed.ResponseBody ?? string.Empty).Should().NotContain(SenarFake.Password);
    }

    // Reads one object of a model through every reader of it: list and stream (rows), or the one call, and the webhook payload.
    private static async Task<(List<object> Values, List<string> Failures)> ReadEverywhere(string modelName, string item)
    {
        var values = new List<object>();
        var failures = new List<string>();
        var fake = new SenarFake(api: _ => FakeHttpHandler.JsonResponse(modelName is nameof(SenarActivity) or nameof(SenarUser) ? $"[{item}]" : item));
        using var client = fake.CreateClient();
        Func<Task<object>>[] readers = modelName switch
        {
            nameof(SenarActivity) =>
            [
                async () => (await client.Activities.ListAsync()).Single(),
                async () => (await client.Activities.StreamAsync().ToListAsync()).Single(),
                () => Task.FromResult<object>(SenarWebhookPayload.Parse(item).Activities.Single()),
                () => Task.FromResult<object>(SenarWebhookPayload.Parse($"[{item}]").Activities.Single()),
            ],
            nameof(SenarUser) =>
            [
                async () => (await client.Users.ListAsync()).Single(),
                async () => (await client.Users.StreamAsync().ToListAsync()).Single(),
                () => Task.FromResult<object>(SenarWebhookPayload.Parse(item).Users.Single()),
                () => Task.FromResult<object>(SenarWebhookPayload.Parse($"[{item}]").Users.Single()),
            ],
            nameof(UserAssignResult) => [async () => await client.Users.AssignCollectionAsync(SenarUsersClientTests.Valid())],
            _ => [() => Task.FromResult<object>(JsonSerializer.Deserialize(item, Senar.Client.Json.SenarJsonContext.Default.WebhookRegistration)!)],
        };
        foreach (var read in readers)
        {
            try
            {
                values.Add(await read());
            }
            catch (Exception ex) when (ex is ApiException or SenarWebhookPayloadException)
            {
                failures.Add(ex.Message);
            }
        }

        return (values, failures);
    }

    private static async Task<object> Call(SenarClient client, string operation) => operation switch
    {
        "Auth.LoginAsync" => (await client.Auth.LoginAsync()).Value,
        "Users.AssignCollectionAsync" => await client.Users.AssignCollectionAsync(SenarUsersClientTests.Valid()),
        "Users.ListAsync" => await client.Users.ListAsync(),
        "Users.StreamAsync" => await client.Users.StreamAsync().ToListAsync(),
        "Activities.ListAsync" => await client.Activities.ListAsync(),
        "Activities.StreamAsync" => await client.Activities.StreamAsync().ToListAsync(),
        _ => await client.Webhooks.RegisterAsync(Hook, SenarWebhookEvent.User),
    };

    private static HttpResponseMessage Raw(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
    }

    /// <summary>A body that arrives <paramref name="size"/> bytes per read (one by default).</summary>
    private sealed class OneByteStream(byte[] data, int size = 1) : MemoryStream(data, writable: false)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, size));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, size)]);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            base.ReadAsync(buffer, offset, Math.Min(count, size), cancellationToken);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, size)], cancellationToken);
    }
}
