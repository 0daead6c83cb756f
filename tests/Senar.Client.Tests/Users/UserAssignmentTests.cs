using Senar.Client.Tests.TestSupport;
using Senar.Client.Users;

namespace Senar.Client.Tests.Users;

public sealed class UserAssignmentTests
{
    [Theory]
    [InlineData("Password8")]
    [InlineData("abcde1")]
    [InlineData("1a2b3c")]
    [InlineData("Pässwörd9")]
    [InlineData("long passphrase with 1 digit")]
    public async Task Accepts_passwords_with_six_characters_letters_and_a_digit(string password)
    {
        var fake = new SenarFake(api: _ => TrainingApis.Testing.FakeHttpHandler.JsonResponse(SeedExamples.UserAssignResponse));
        using var client = fake.CreateClient();

        var result = await client.Users.AssignCollectionAsync(SenarUsersClientTests.Valid() with { Password = password });

        result.Succeed.Should().BeTrue();
    }

    [Theory]
    [InlineData("abc12", "at least 6 characters")]
    [InlineData("abcdefgh", "at least one digit")]
    [InlineData("12345678", "letters")]
    [InlineData("!!!!!!!!", "letters")]
    [InlineData("a1", "at least 6 characters")]
    [InlineData("", "is required")]
    [InlineData(null, "is required")]
    public async Task Refuses_weak_passwords_naming_the_rule_but_not_the_password(string? password, string expected)
    {
        var fake = new SenarFake();
        using var client = fake.CreateClient();

        var act = () => client.Users.AssignCollectionAsync(SenarUsersClientTests.Valid() with { Password = password });

        var error = (await act.Should().ThrowAsync<UserAssignmentValidationException>()).Which;
        var problem = error.Errors.Should().ContainSingle().Subject;
        problem.Field.Should().Be("Password");
        problem.Message.Should().Contain(expected);
        if (!string.IsNullOrEmpty(password))
        {
            error.Message.Should().NotContain(password);
        }

        fake.Handler.Count.Should().Be(0);
    }

    [Fact]
    public void A_password_of_letters_without_digit_and_too_short_names_both_rules()
    {
        var errors = UserAssignmentValidator.Validate(SenarUsersClientTests.Valid() with { Password = "abc" });

        errors.Should().ContainSingle().Which.Message.Should().Contain("at least 6 characters").And.Contain("at least one digit");
    }

    [Theory]
    [InlineData("plainaddress")]
    [InlineData("@neworg.example")]
    [InlineData("new.user@")]
    [InlineData("new.user@neworg")]
    [InlineData("new user@neworg.example")]
    [InlineData("new.user@@neworg.example")]
    [InlineData("new.user@neworg.example.")]
    [InlineData("new.user@.example")]
    [InlineData("   ")]
    public void Refuses_addresses_that_are_not_email_shaped(string email)
    {
        var errors = UserAssignmentValidator.Validate(SenarUsersClientTests.Valid() with { Email = email });

        errors.Should().ContainSingle().Which.Field.Should().Be("Email");
    }

    [Theory]
    [InlineData("new.user@neworg.example")]
    [InlineData("first.last+tag@sub.domain.example")]
    [InlineData("a@b.co")]
    public void Accepts_email_shaped_addresses(string email)
    {
        UserAssignmentValidator.Validate(SenarUsersClientTests.Valid() with { Email = email }).Should().BeEmpty();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-4242)]
    public void Refuses_a_collection_id_that_is_not_positive(int collectionId)
    {
        var errors = UserAssignmentValidator.Validate(SenarUsersClientTests.Valid() with { CollectionId = collectionId });

        errors.Should().ContainSingle().Which.Should().Be(new TrainingApis.Core.ApiFieldError("CollectionId", $"must be a positive collection id (was {collectionId})."));
    }

    [Fact]
    public void Requires_first_name_last_name_and_organization()
    {
        var errors = UserAssignmentValidator.Validate(SenarUsersClientTests.Valid() with { FirstName = " ", LastName = null, Organization = "" });

        errors.Select(e => e.Field).Should().Equal("FirstName", "LastName", "Organization");
    }

    [Fact]
    public void ToString_masks_the_password()
    {
        var text = SenarUsersClientTests.Valid().ToString();

        text.Should().NotContain("Password8").And.Contain("Password = ***").And.Contain("new.user@neworg.example").And.Contain("42");
    }

    [Fact]
    public void The_exception_message_names_every_field()
    {
        var error = new UserAssignmentValidationException(
            [new("Email", "is required."), new("CollectionId", "must be a positive collection id (was 0).")]);

        error.Message.Should().Contain("2 problems").And.Contain("Email: is required.").And.Contain("CollectionId: must be a positive");
        error.ParamName.Should().Be("request");
    }
    public static TheoryData<string, string, string> DamagedText => new()
    {
        { "FirstName", "Zo\uFFFD", "U+FFFD" },
        { "LastName", "\uFEFFNuñez", "U+FEFF" },
        { "LastName", "Nu\nñez", "control characters" },
        { "Organization", "Log\uFFFDstica", "U+FFFD" },
        { "Email", "zo\uFFFD@example.com", "U+FFFD" },
    };

    [Theory]
    [MemberData(nameof(DamagedText))]
    public async Task Refuses_damaged_text_naming_the_field_before_sending(string field, string value, string expected)
    {
        // Fails on main: U+FFFD, U+FEFF and line breaks in names were sent to Senar as they were.
        var fake = new SenarFake();
        using var client = fake.CreateClient();
        var request = field switch
        {
            "FirstName" => SenarUsersClientTests.Valid() with { FirstName = value },
            "LastName" => SenarUsersClientTests.Valid() with { LastName = value },
            "Organization" => SenarUsersClientTests.Valid() with { Organization = value },
            _ => SenarUsersClientTests.Valid() with { Email = value },
        };

        var act = () => client.Users.AssignCollectionAsync(request);

        var problem = (await act.Should().ThrowAsync<UserAssignmentValidationException>()).Which.Errors.Should().ContainSingle().Subject;
        problem.Field.Should().Be(field);
        problem.Message.Should().Contain(expected);
        fake.Handler.Count.Should().Be(0);
    }

    [Fact]
    public async Task Sends_names_with_accents_and_emoji_as_they_are()
    {
        var fake = new SenarFake(api: _ => TrainingApis.Testing.FakeHttpHandler.JsonResponse(SeedExamples.UserAssignResponse));
        using var client = fake.CreateClient();

        var result = await client.Users.AssignCollectionAsync(SenarUsersClientTests.Valid() with { FirstName = "Zoë 😀", LastName = "Nuñez", Organization = "Logística" });

        result.Succeed.Should().BeTrue();
    }
}
