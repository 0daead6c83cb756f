using System.Text;
using TrainingApis.Testing;

namespace TrainingApis.Sandbox.Tests;

public sealed class SymtrainUsersTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private const string Header = "firstName,lastName,username,email,role,teamName,status,action";

    [Fact]
    public async Task A_user_token_lasts_one_hour_and_opens_the_deep_link()
    {
        var time = FakeTime.Create(new DateTimeOffset(2026, 1, 1, 9, 0, 0, TimeSpan.Zero));
        await using var sandbox = await TrainingSandbox.StartAsync(new TrainingSandboxOptions { TimeProvider = time });
        using var client = ApiCall.ClientFor(sandbox);
        var ids = $$"""{"organizationId":"{{sandbox.OrganizationId}}","userId":"{{sandbox.TraineeUsername}}"}""";

        var token = await ApiCall.PostAsync(client, "v2/access-api/user/token", ids, sandbox.SymtrainApiKey);
        var links = await ApiCall.PostAsync(
            client,
            "v2/access-api/simulation/deep-links",
            $$"""{"organizationId":"{{sandbox.OrganizationId}}","userId":"{{sandbox.TraineeUsername}}","simulationId":"{{sandbox.SimulationId}}"}""",
            sandbox.SymtrainApiKey);

        token.Status.Should().Be(HttpStatusCode.OK, token.Text);
        ApiCall.PropertyNames(token.Json).Should().Equal("token", "expiresAt");
        token.Json.GetProperty("expiresAt").GetDateTimeOffset().Should().Be(new DateTimeOffset(2026, 1, 1, 10, 0, 0, TimeSpan.Zero));
        var link = links.Json.GetProperty("simulations")[0].GetProperty("deepLink").GetString()!;
        var withToken = new Uri(link).PathAndQuery + "&token=" + Uri.EscapeDataString(token.Json.GetProperty("token").GetString()!);

        var fresh = await ApiCall.GetAsync(client, withToken);
        time.Advance(TimeSpan.FromMinutes(59));
        var late = await ApiCall.GetAsync(client, withToken);
        time.Advance(TimeSpan.FromMinutes(1));
        var expired = await ApiCall.GetAsync(client, withToken);

        fresh.Json.GetProperty("tokenValid").GetBoolean().Should().BeTrue();
        late.Json.GetProperty("tokenValid").GetBoolean().Should().BeTrue();
        expired.Json.GetProperty("tokenPresent").GetBoolean().Should().BeTrue();
        expired.Json.GetProperty("tokenValid").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task Create_makes_a_trainee_then_returns_the_existing_one()
    {
        var email = $"new.trainee.{Guid.NewGuid():N}@example.com";
        var body = $$"""{"organizationId":"{{fixture.Org}}","email":"{{email}}","username":"{{email}}","firstName":"New","lastName":"Trainee","department":"Sales"}""";

        var created = await fixture.SymtrainAsync("v2/access-api/user/create", body);
        var again = await fixture.SymtrainAsync("v2/access-api/user/create", body);
        var token = await fixture.SymtrainAsync("v2/access-api/user/token", $$"""{"organizationId":"{{fixture.Org}}","userId":"{{email}}"}""");

        created.Status.Should().Be(HttpStatusCode.OK, created.Text);
        ApiCall.PropertyNames(created.Json).Should().Equal("userId", "username", "email", "firstName", "lastName", "role", "status", "created");
        created.Json.GetProperty("userId").GetString().Should().Be(email);
        created.Json.GetProperty("role").GetString().Should().Be("trainee");
        created.Json.GetProperty("status").GetString().Should().Be("ACTIVE");
        created.Json.GetProperty("created").GetBoolean().Should().BeTrue();
        again.Json.GetProperty("created").GetBoolean().Should().BeFalse();
        again.Json.GetProperty("firstName").GetString().Should().Be("New");
        token.Status.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Create_rejects_every_problem_at_once()
    {
        var result = await fixture.SymtrainAsync(
            "v2/access-api/user/create", $$"""{"organizationId":"{{fixture.Org}}","email":"a@example.com","username":"b@example.com","role":"admin"}""");
        var missing = await fixture.SymtrainAsync("v2/access-api/user/create", "{}");
        var badEmail = await fixture.SymtrainAsync("v2/access-api/user/create", $$"""{"organizationId":"{{fixture.Org}}","email":"nope","username":"nope"}""");

        result.Status.Should().Be(HttpStatusCode.BadRequest);
        result.ErrorFields.Should().Equal("username", "role");
        result.Message.Should().Contain("username must match email").And.Contain("only trainee users can be created");
        missing.ErrorFields.Should().Equal("organizationId", "email", "username");
        badEmail.Message.Should().Contain("email 'nope' is not a valid email address");
    }

    [Fact]
    public async Task Create_in_an_unknown_organization_is_a_404()
    {
        var result = await fixture.SymtrainAsync("v2/access-api/user/create", """{"organizationId":"other","email":"a@example.com","username":"a@example.com"}""");

        result.Status.Should().Be(HttpStatusCode.NotFound);
        result.Message.Should().Be("Organization 'other' was not found.");
    }

    [Fact]
    public async Task Bulk_import_reports_each_invalid_row_by_number_and_gives_a_task_for_the_valid_ones()
    {
        var csv = $"""
            {Header}
            Ann,Lee,ann.{Tag}@example.com,ann.{Tag}@example.com,trainee,Sales Team,ACTIVE,Add
            Bob,Ray,bob.{Tag}@example.com,bobby.{Tag}@example.com,trainee,,ACTIVE,Add
            "Cy, Jr.",Moe,cy.{Tag}@example.com,cy.{Tag}@example.com,trainee,,ACTIVE,Update
            ,Day,dee.{Tag}@example.com,dee.{Tag}@example.com,admin,,active,Delete
            """;

        var result = await UploadAsync(fixture.Client, fixture.Key, fixture.Org, csv);

        result.Status.Should().Be(HttpStatusCode.OK, result.Text);
        ApiCall.PropertyNames(result.Json).Should().Equal("taskId", "validUsersCount", "invalidUsersCount", "errors");
        result.Json.GetProperty("taskId").GetString().Should().NotBeNullOrEmpty();
        result.Json.GetProperty("validUsersCount").GetInt32().Should().Be(2);
        result.Json.GetProperty("invalidUsersCount").GetInt32().Should().Be(2);
        var errors = result.Json.GetProperty("errors").EnumerateArray().ToArray();
        errors.Select(e => e.GetProperty("row").GetInt32()).Should().Equal(2, 4);
        errors[0].GetProperty("errors").EnumerateArray().Select(e => e.GetString()).Should().Equal("email must match username");
        errors[1].GetProperty("errors").EnumerateArray().Select(e => e.GetString()).Should().Equal(
            "firstName is required", "role must be trainee (was 'admin')", "status must be ACTIVE or INACTIVE (was 'active')", "action must be Add or Update (was 'Delete')");
    }

    [Fact]
    public async Task Bulk_import_without_a_valid_row_has_no_task_id()
    {
        var result = await UploadAsync(fixture.Client, fixture.Key, fixture.Org, $"{Header}\nA,B,a@example.com,b@example.com,trainee,,ACTIVE,Add\n");

        result.Status.Should().Be(HttpStatusCode.OK);
        result.Json.TryGetProperty("taskId", out _).Should().BeFalse();
        result.Json.GetProperty("validUsersCount").GetInt32().Should().Be(0);
        result.Json.GetProperty("invalidUsersCount").GetInt32().Should().Be(1);
    }

    [Fact]
    public async Task Bulk_import_refuses_more_than_750_records()
    {
        var csv = new StringBuilder(Header).Append('\n');
        for (var i = 0; i < 751; i++)
        {
            csv.Append(CultureInvariant($"F,L,u{i}@example.com,u{i}@example.com,trainee,,ACTIVE,Add\n"));
        }

        var result = await UploadAsync(fixture.Client, fixture.Key, fixture.Org, csv.ToString());

        result.Status.Should().Be(HttpStatusCode.BadRequest);
        result.Message.Should().Contain("751 records").And.Contain("at most 750");
    }

    [Theory]
    [InlineData("firstName,lastName,username,email,status,action\nA,B,a@x.io,a@x.io,ACTIVE,Add\n", "lacks the column(s) role, teamName")]
    [InlineData("", "The file is empty")]
    [InlineData("firstName,lastName,username,email,role,teamName,status,action\n", "has a header but no records")]
    [InlineData("firstName,lastName,username,email,role,teamName,status,action\n\"A,B,a@x.io,a@x.io,trainee,,ACTIVE,Add\n", "not valid CSV: line 2: a quoted field is never closed")]
    public async Task Bulk_import_of_a_file_that_cannot_be_read_is_a_400(string csv, string message)
    {
        var result = await UploadAsync(fixture.Client, fixture.Key, fixture.Org, csv);

        result.Status.Should().Be(HttpStatusCode.BadRequest);
        result.Message.Should().Contain(message);
        result.ErrorFields.Should().Equal("file");
    }

    [Theory]
    [InlineData("latin-1")]
    [InlineData("replacement character")]
    public async Task Bulk_import_refuses_a_file_that_is_not_utf8_instead_of_storing_replacement_characters(string kind)
    {
        var csv = $"{Header}\nZoë,Nuñez,zoe@example.com,zoe@example.com,trainee,Logística,ACTIVE,Add\n";
        byte[] bytes = kind == "latin-1" ? Encoding.Latin1.GetBytes(csv) : Encoding.UTF8.GetBytes(csv.Replace('ë', '\uFFFD'));

        var result = await UploadBytesAsync(fixture.Client, fixture.Key, fixture.Org, bytes);

        result.Status.Should().Be(HttpStatusCode.BadRequest, result.Text);
        result.ErrorFields.Should().Equal("file");
        result.Message.Should().MatchRegex("not UTF-8|U\\+FFFD");
    }

    [Fact]
    public async Task Bulk_import_reads_a_utf16_file_by_its_byte_order_mark()
    {
        var csv = $"{Header}\nZoë,Nuñez,zoe16@example.com,zoe16@example.com,trainee,Logística,ACTIVE,Add\n";

        var result = await UploadBytesAsync(fixture.Client, fixture.Key, fixture.Org, [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(csv)]);

        result.Status.Should().Be(HttpStatusCode.OK, result.Text);
        result.Json.GetProperty("validUsersCount").GetInt32().Should().Be(1);
    }

    [Fact]
    public async Task Bulk_import_refuses_a_file_over_16_mib_with_413()
    {
        // Streamed, not held in memory: the size is what is tested, and other tests of this process measure memory.
        using var content = new StreamContent(new ZeroStream(Symtrain.BulkImportEndpoint.MaxFileBytes + 1));
        var result = await UploadContentAsync(fixture.Client, fixture.Key, fixture.Org, content);

        result.Status.Should().Be(HttpStatusCode.RequestEntityTooLarge, result.Text);
        result.ErrorFields.Should().Equal("file");
    }

    [Fact]
    public async Task Bulk_import_must_be_multipart_with_both_parts()
    {
        var json = await fixture.SymtrainAsync("v2/access-api/user/bulk-import", """{"organizationId":"x"}""");
        using var empty = new MultipartFormDataContent();
        empty.Add(new StringContent(string.Empty), "other");
        var missing = await ApiCall.SendAsync(fixture.Client, HttpMethod.Post, "v2/access-api/user/bulk-import", empty, fixture.Key);
        var unknownOrg = await UploadAsync(fixture.Client, fixture.Key, "other-org", $"{Header}\nA,B,a@x.io,a@x.io,trainee,,ACTIVE,Add\n");

        json.Status.Should().Be(HttpStatusCode.BadRequest);
        json.Message.Should().Contain("multipart/form-data");
        missing.Status.Should().Be(HttpStatusCode.BadRequest);
        missing.ErrorFields.Should().Equal("organizationId", "file");
        unknownOrg.Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Bulk_import_goes_scheduled_started_completed_in_fake_time_and_then_the_users_exist()
    {
        var time = FakeTime.Create();
        await using var sandbox = await TrainingSandbox.StartAsync(new TrainingSandboxOptions
        {
            TimeProvider = time,
            BulkImportQueueDelay = TimeSpan.FromSeconds(10),
            BulkImportProcessingTime = TimeSpan.FromSeconds(20),
        });
        using var client = ApiCall.ClientFor(sandbox);
        var uploadedAt = time.GetUtcNow();
        var upload = await UploadAsync(client, sandbox.SymtrainApiKey, sandbox.OrganizationId, $"""
            {Header}
            Ann,Lee,ann@import.example,ann@import.example,trainee,Sales Team,ACTIVE,Add
            Bob,Ray,bob@import.example,bob@import.example,trainee,,INACTIVE,Add
            """);
        var taskId = upload.Json.GetProperty("taskId").GetString()!;
        var statusBody = $$"""{"organizationId":"{{sandbox.OrganizationId}}","taskId":"{{taskId}}"}""";
        var tokenBody = $$"""{"organizationId":"{{sandbox.OrganizationId}}","userId":"ann@import.example"}""";

        var scheduled = await ApiCall.PostAsync(client, "v2/access-api/user/bulk-import/status", statusBody, sandbox.SymtrainApiKey);
        var notYet = await ApiCall.PostAsync(client, "v2/access-api/user/token", tokenBody, sandbox.SymtrainApiKey);
        time.Advance(TimeSpan.FromSeconds(20));
        var started = await ApiCall.PostAsync(client, "v2/access-api/user/bulk-import/status", statusBody, sandbox.SymtrainApiKey);
        time.Advance(TimeSpan.FromSeconds(10));
        var userNow = await ApiCall.PostAsync(client, "v2/access-api/user/token", tokenBody, sandbox.SymtrainApiKey);
        var completed = await ApiCall.PostAsync(client, "v2/access-api/user/bulk-import/status", statusBody, sandbox.SymtrainApiKey);

        scheduled.Status.Should().Be(HttpStatusCode.OK, scheduled.Text);
        ApiCall.PropertyNames(scheduled.Json).Should().Equal("taskId", "status", "createdAt", "updatedAt", "processedCount", "totalCount");
        scheduled.Json.GetProperty("status").GetString().Should().Be("SCHEDULED");
        notYet.Status.Should().Be(HttpStatusCode.NotFound);
        started.Json.GetProperty("status").GetString().Should().Be("STARTED");
        started.Json.GetProperty("processedCount").GetInt32().Should().Be(1);
        started.Json.GetProperty("updatedAt").GetDateTimeOffset().Should().Be(uploadedAt.AddSeconds(10), "it started when the queue delay ended");
        scheduled.Json.GetProperty("createdAt").GetDateTimeOffset().Should().Be(uploadedAt);
        userNow.Status.Should().Be(HttpStatusCode.OK, "the completed import added the user");
        completed.Json.GetProperty("status").GetString().Should().Be("COMPLETED");
        completed.Json.GetProperty("processedCount").GetInt32().Should().Be(2);
        completed.Json.GetProperty("totalCount").GetInt32().Should().Be(2);
    }

    [Fact]
    public async Task Bulk_import_with_a_fail_team_ends_failed_with_a_message_and_imports_no_one()
    {
        var time = FakeTime.Create();
        await using var sandbox = await TrainingSandbox.StartAsync(new TrainingSandboxOptions { TimeProvider = time });
        using var client = ApiCall.ClientFor(sandbox);
        var upload = await UploadAsync(client, sandbox.SymtrainApiKey, sandbox.OrganizationId, $"""
            {Header}
            Ann,Lee,ann@fail.example,ann@fail.example,trainee,,ACTIVE,Add
            Bob,Ray,bob@fail.example,bob@fail.example,trainee,FAIL,ACTIVE,Add
            """);
        var statusBody = $$"""{"organizationId":"{{sandbox.OrganizationId}}","taskId":"{{upload.Json.GetProperty("taskId").GetString()}}"}""";

        time.Advance(TimeSpan.FromSeconds(3));
        var started = await ApiCall.PostAsync(client, "v2/access-api/user/bulk-import/status", statusBody, sandbox.SymtrainApiKey);
        time.Advance(TimeSpan.FromSeconds(2));
        var failed = await ApiCall.PostAsync(client, "v2/access-api/user/bulk-import/status", statusBody, sandbox.SymtrainApiKey);
        var ann = await ApiCall.PostAsync(
            client, "v2/access-api/user/token", $$"""{"organizationId":"{{sandbox.OrganizationId}}","userId":"ann@fail.example"}""", sandbox.SymtrainApiKey);

        started.Json.GetProperty("status").GetString().Should().Be("STARTED");
        failed.Json.GetProperty("status").GetString().Should().Be("FAILED");
        failed.Json.GetProperty("errorMessage").GetString().Should().Contain("Row 2").And.Contain("team 'FAIL'");
        ann.Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Status_of_an_unknown_task_is_a_404_and_of_no_task_a_400()
    {
        var unknown = await fixture.SymtrainAsync("v2/access-api/user/bulk-import/status", $$"""{"organizationId":"{{fixture.Org}}","taskId":"nope"}""");
        var missing = await fixture.SymtrainAsync("v2/access-api/user/bulk-import/status", $$"""{"organizationId":"{{fixture.Org}}"}""");

        unknown.Status.Should().Be(HttpStatusCode.NotFound);
        unknown.Message.Should().Be($"Task 'nope' was not found in organization '{fixture.Org}'.");
        missing.Status.Should().Be(HttpStatusCode.BadRequest);
        missing.ErrorFields.Should().Equal("taskId");
    }

    private static string Tag { get; } = Guid.NewGuid().ToString("N")[..8];

    private static string CultureInvariant(FormattableString value) => FormattableString.Invariant(value);

    internal static Task<ApiResult> UploadAsync(HttpClient client, string key, string organizationId, string csv) =>
        UploadBytesAsync(client, key, organizationId, Encoding.UTF8.GetBytes(csv));

    internal static Task<ApiResult> UploadBytesAsync(HttpClient client, string key, string organizationId, byte[] csv) =>
        UploadContentAsync(client, key, organizationId, new ByteArrayContent(csv));

    internal static Task<ApiResult> UploadContentAsync(HttpClient client, string key, string organizationId, HttpContent file)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(organizationId), "organizationId" },
        };
        file.Headers.ContentType = new("text/csv");
        form.Add(file, "file", "users.csv");
        return ApiCall.SendAsync(client, HttpMethod.Post, "v2/access-api/user/bulk-import", form, key);
    }

    /// <summary><paramref name="length"/> zero bytes, generated as they are read.</summary>
    private sealed class ZeroStream(long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = (int)Math.Min(count, length - _position);
            Array.Clear(buffer, offset, read);
            _position += read;
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
