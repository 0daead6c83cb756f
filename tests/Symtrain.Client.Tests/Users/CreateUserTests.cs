using System.Text.Json.Nodes;
using Symtrain.Client.Users;

namespace Symtrain.Client.Tests.Users;

public class CreateUserTests
{
    private const string CreatePath = "/v2/access-api/user/create";

    [Fact]
    public async Task CreateUser_posts_the_documented_fields_and_extra_ones()
    {
        using var harness = Harness.Json("""{"userId":"u-42","username":"jane@example.com","email":"jane@example.com","firstName":"Jane","lastName":"Doe","role":"trainee","status":"ACTIVE","created":true,"teamName":"Sales"}""");

        var user = await harness.Client.Users.CreateUserAsync(new CreateUserRequest
        {
            OrganizationId = "org-1",
            Email = "jane@example.com",
            Username = "jane@example.com",
            FirstName = "Jane",
            LastName = "Doe",
            AdditionalFields = new JsonObject { ["teamName"] = "Sales", ["employeeNumber"] = 1234 },
        });

        Harness.ShouldBeJsonPost(harness.Single, CreatePath);
        harness.Single.Body.Should().Be("""{"organizationId":"org-1","email":"jane@example.com","username":"jane@example.com","firstName":"Jane","lastName":"Doe","teamName":"Sales","employeeNumber":1234}""");
        user.UserId.Should().Be("u-42");
        user.Role.Should().Be("trainee");
        user.Status.Should().Be("ACTIVE");
        user.Created.Should().BeTrue();
        user.AdditionalProperties!["teamName"].GetString().Should().Be("Sales");
    }

    [Fact]
    public async Task Without_a_username_the_email_is_sent_as_the_username_and_optional_fields_are_left_out()
    {
        using var harness = Harness.Json("""{"id":7,"username":"jane@example.com","created":false}""");

        var user = await harness.Client.Users.CreateUserAsync(new CreateUserRequest { OrganizationId = "org-1", Email = "jane@example.com" });

        harness.Single.Body.Should().Be("""{"organizationId":"org-1","email":"jane@example.com","username":"jane@example.com"}""");
        user.UserId.Should().Be("7");
        user.Created.Should().BeFalse();
    }

    [Fact]
    public async Task A_username_that_differs_from_the_email_even_in_case_is_refused()
    {
        using var harness = Harness.Json("{}");

        var act = () => harness.Client.Users.CreateUserAsync(new CreateUserRequest { OrganizationId = "org-1", Email = "jane@example.com", Username = "Jane@example.com" });

        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("request.Username must equal request.Email");
        harness.Handler.Count.Should().Be(0);
    }

    [Fact]
    public async Task Every_problem_of_the_request_is_reported_at_once()
    {
        using var harness = Harness.Json("{}");

        var act = () => harness.Client.Users.CreateUserAsync(new CreateUserRequest
        {
            OrganizationId = "org\n1",
            Email = "not-an-email",
            FirstName = "Ja\rne",
            AdditionalFields = new JsonObject { ["EMAIL"] = "x" },
        });

        var error = (await act.Should().ThrowAsync<ArgumentException>()).Which;
        error.ParamName.Should().Be("request");
        error.Message.Should().Contain("request.OrganizationId").And.Contain("request.Email").And.Contain("request.FirstName").And.Contain("AdditionalFields['EMAIL']");
        harness.Handler.Count.Should().Be(0);
    }
}
