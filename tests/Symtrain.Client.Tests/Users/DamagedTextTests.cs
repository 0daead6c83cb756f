using Symtrain.Client.Users;

namespace Symtrain.Client.Tests.Users;

/// <summary>
/// The bulk import refuses text damaged on its way (U+FFFD from a wrong decoding, a byte order mark inside a value, a
/// control character); creating one user follows the same rule, so a name never reaches Symtrain as Zo\uFFFD.
/// </summary>
public sealed class DamagedTextTests
{
    public static TheoryData<string, string, string> Damaged => new()
    {
        { "FirstName", "Zo\uFFFD", "U+FFFD" },
        { "FirstName", "\uFEFFZoë", "U+FEFF" },
        { "LastName", "Nu\uFFFDez", "U+FFFD" },
        { "LastName", "Nuñez\u0000", "control characters" },
        { "LastName", "Nu\u0085ñez", "control characters" },
        { "Email", "zo\uFFFD@example.com", "U+FFFD" },
        { "Email", "\uFEFFzoe@example.com", "U+FEFF" },
    };

    [Theory]
    [MemberData(nameof(Damaged))]
    public async Task CreateUser_refuses_damaged_text_naming_the_field_before_sending(string field, string value, string expected)
    {
        // Fails on main for U+FFFD and U+FEFF: they were sent as they were.
        using var harness = Harness.Json("""{"id":"u-1"}""");
        var request = new CreateUserRequest { OrganizationId = "org-1", Email = "zoe@example.com", FirstName = "Zoë", LastName = "Nuñez" };
        request = field switch
        {
            "FirstName" => request with { FirstName = value },
            "LastName" => request with { LastName = value },
            _ => request with { Email = value, Username = null },
        };

        var act = () => harness.Time.RunAsync(harness.Client.Users.CreateUserAsync(request));

        var error = (await act.Should().ThrowAsync<ArgumentException>()).Which;
        error.Message.Should().Contain($"request.{field}").And.Contain(expected);
        error.ParamName.Should().Be("request");
        harness.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task CreateUser_sends_names_with_accents_and_emoji_as_they_are()
    {
        using var harness = Harness.Json("""{"id":"u-1"}""");

        await harness.Time.RunAsync(harness.Client.Users.CreateUserAsync(new CreateUserRequest { OrganizationId = "org-1", Email = "zoe@example.com", FirstName = "Zoë 😀", LastName = "Nuñez-Logística" }));

        var body = Harness.Body(harness.Single);
        body["firstName"]!.GetValue<string>().Should().Be("Zoë 😀");
        body["lastName"]!.GetValue<string>().Should().Be("Nuñez-Logística");
    }
}
