using System.Text;
using System.Text.Json.Nodes;
using Symtrain.Client;
using Symtrain.Client.Users;
using TrainingApis.IntegrationTests.Infrastructure;

namespace TrainingApis.IntegrationTests.Contract;

[Collection(WireMockCollection.Name)]
public sealed class SymtrainUsersContractTests(WireMockFixture fixture) : WireMockTest(fixture)
{
    private const string CsvHeader = "firstName,lastName,username,email,role,teamName,status,action";

    [Fact]
    public async Task Access_token_posts_organization_and_user_and_reads_token_and_expiry()
    {
        var options = TestClients.SymtrainOptions(Server);
        using var client = new SymtrainClient(options);

        var token = await client.Users.CreateAccessTokenAsync("org-1", "jane@example.com");

        Server.Count(RequestPattern.Post("/v2/access-api/user/token")
            .WithBearer(options.ApiKey!)
            .WithJsonContentType()
            .WithJsonBody("""{"organizationId": "org-1", "userId": "jane@example.com"}""")).Should().Be(1);
        token.Token.Should().Be("user-token-abc123");
        token.ExpiresAt.Should().Be(new DateTimeOffset(2030, 1, 1, 10, 0, 0, TimeSpan.Zero));
        client.Users.WithAccessToken(new Uri("https://app.symtrain.com/sim/sim-001?org=org-1"), token)
            .Should().Be(new Uri("https://app.symtrain.com/sim/sim-001?org=org-1&token=user-token-abc123"));
        ShouldHaveNoUnmatchedRequests();
    }

    [Fact]
    public async Task Create_user_posts_the_documented_fields_and_extra_ones_and_reads_the_user()
    {
        var options = TestClients.SymtrainOptions(Server);
        using var client = new SymtrainClient(options);

        var user = await client.Users.CreateUserAsync(new CreateUserRequest
        {
            OrganizationId = "org-1",
            Email = "new.trainee@example.com",
            FirstName = "New",
            LastName = "Trainee",
            AdditionalFields = new JsonObject { ["department"] = "Sales" },
        });

        Server.Count(RequestPattern.Post("/v2/access-api/user/create")
            .WithBearer(options.ApiKey!)
            .WithJsonContentType()
            .WithJsonBody("""
                {"organizationId": "org-1", "email": "new.trainee@example.com", "username": "new.trainee@example.com",
                 "firstName": "New", "lastName": "Trainee", "department": "Sales"}
                """)).Should().Be(1);
        user.UserId.Should().Be("u-200");
        user.Username.Should().Be("[email protected]");
        user.Role.Should().Be("trainee");
        user.Status.Should().Be("ACTIVE");
        user.Created.Should().BeTrue();
        ShouldHaveNoUnmatchedRequests();
    }

    [Fact]
    public async Task Bulk_import_uploads_a_multipart_form_with_the_organization_and_the_csv_file()
    {
        var options = TestClients.SymtrainOptions(Server);
        using var client = new SymtrainClient(options);

        var result = await client.Users.BulkImportAsync("org-1",
        [
            new BulkImportRow { FirstName = "Jane", LastName = "Doe", Email = "jane@example.com", TeamName = "Sales" },
            new BulkImportRow { FirstName = "Joe", LastName = "Roe", Email = "joe@example.com", Status = BulkImportRow.InactiveStatus, Action = BulkImportRow.UpdateAction },
        ]);

        Server.Count(RequestPattern.Post("/v2/access-api/user/bulk-import")
            .WithBearer(options.ApiKey!)
            .WithHeaderMatching("Content-Type", "multipart/form-data; ?boundary=.+")
            .WithMultipart("organizationId", "org-1")
            .WithMultipart("file", $"^{CsvHeader}\r\n[\\s\\S]*", contentType: "text/csv", fileName: "users.csv")).Should().Be(1);

        var parts = MultipartPart.Of(Server.ReceivedRequests("/v2/access-api/user/bulk-import").Should().ContainSingle().Subject);
        parts.Select(p => p.Name).Should().Equal("organizationId", "file");
        parts[0].Body.Should().Be("org-1");
        parts[1].FileName.Should().Be("users.csv");
        parts[1].ContentType.Should().StartWith("text/csv");
        parts[1].Body.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Should().Equal(
            CsvHeader,
            "Jane,Doe,jane@example.com,jane@example.com,trainee,Sales,ACTIVE,Add",
            "Joe,Roe,joe@example.com,joe@example.com,trainee,,INACTIVE,Update");
        parts[1].Body.Split("\r\n")[0].Split(',').Should().HaveCount(8);

        result.TaskId.Should().Be("task-123");
        result.HasTask.Should().BeTrue();
        result.ValidUsersCount.Should().Be(2);
        result.InvalidUsersCount.Should().Be(1);
        result.Errors.Should().ContainSingle().Which.Should().BeEquivalentTo(new { Row = 3, Errors = new[] { "Email must match username" } });
        ShouldHaveNoUnmatchedRequests();
    }

    [Fact]
    public async Task Bulk_import_of_a_csv_file_uploads_it_in_canonical_column_order()
    {
        var options = TestClients.SymtrainOptions(Server);
        using var client = new SymtrainClient(options);
        var csv = "email,firstName,lastName,username,role,teamName,status,action\n" +
                  "jane@example.com,Jane,Doe,jane@example.com,trainee,Sales,ACTIVE,Add\n";

        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(csv));
        var result = await client.Users.BulkImportCsvAsync("org-1", stream);

        var file = MultipartPart.Of(Server.ReceivedRequests("/v2/access-api/user/bulk-import").Should().ContainSingle().Subject)
            .Single(p => p.Name == "file");
        file.Body.Should().Be($"{CsvHeader}\r\nJane,Doe,jane@example.com,jane@example.com,trainee,Sales,ACTIVE,Add\r\n");
        result.TaskId.Should().Be("task-123");
        ShouldHaveNoUnmatchedRequests();
    }

    [Fact]
    public async Task Bulk_import_status_posts_organization_and_task_and_reads_the_status()
    {
        var options = TestClients.SymtrainOptions(Server);
        using var client = new SymtrainClient(options);

        var status = await client.Users.GetBulkImportStatusAsync("org-1", "task-123");

        Server.Count(RequestPattern.Post("/v2/access-api/user/bulk-import/status")
            .WithBearer(options.ApiKey!)
            .WithJsonContentType()
            .WithJsonBody("""{"organizationId": "org-1", "taskId": "task-123"}""")).Should().Be(1);
        status.TaskId.Should().Be("task-123");
        status.RawStatus.Should().Be("COMPLETED");
        status.Status.Should().Be(BulkImportState.Completed);
        status.IsFinished.Should().BeTrue();
        ShouldHaveNoUnmatchedRequests();
    }
}
