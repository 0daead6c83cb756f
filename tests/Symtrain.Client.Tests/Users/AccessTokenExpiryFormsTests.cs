using Symtrain.Client.Users;

namespace Symtrain.Client.Tests.Users;

/// <summary>Hostile and unusual <c>expiresAt</c> forms of the user-token answer: every date form, and numbers out of range.</summary>
public sealed class AccessTokenExpiryFormsTests
{
    [Theory]
    [InlineData("\"2026-01-01T10:00:00.123456789Z\"", 2026, 1, 1, 10, 0, 0, 1234567)]
    [InlineData("\"2026-01-01T15:30+05:30\"", 2026, 1, 1, 10, 0, 0, 0)]
    [InlineData("\"2026-01-01T10:00Z\"", 2026, 1, 1, 10, 0, 0, 0)]
    [InlineData("1767261600", 2026, 1, 1, 10, 0, 0, 0)]
    [InlineData("1767261600000", 2026, 1, 1, 10, 0, 0, 0)]
    public async Task ExpiresAt_in_every_date_form_is_read(string expiresAt, int year, int month, int day, int hour, int minute, int second, int ticks)
    {
        using var harness = Harness.Json($$"""{"token":"tok-1","expiresAt":{{expiresAt}}}""");

        var token = await harness.Client.Users.CreateAccessTokenAsync("org-1", "jane");

        token.ExpiresAt.Should().Be(new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.Zero).AddTicks(ticks));
    }

    [Theory]
    [InlineData("null")]
    [InlineData("\"\"")]
    [InlineData("99999999999999999")]      // milliseconds past year 9999
    [InlineData("\"99999999999999999\"")]
    [InlineData("9223372036854775807")]    // long.MaxValue
    public async Task An_expiry_that_is_null_or_out_of_range_falls_back_to_one_hour(string expiresAt)
    {
        using var harness = Harness.Json($$"""{"token":"tok-1","expiresAt":{{expiresAt}}}""");
        var issued = harness.Time.GetUtcNow();

        var token = await harness.Client.Users.CreateAccessTokenAsync("org-1", "jane");

        token.ExpiresAt.Should().Be(issued.AddHours(1));
    }
}
