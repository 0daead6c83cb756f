namespace Senar.Client.Auth;

/// <summary>The body of <c>POST /api/auth/login</c>. Holds the password: never logged; <see cref="ToString"/> masks it.</summary>
internal sealed record LoginRequest(string Username, string Password)
{
    public override string ToString() => $"LoginRequest {{ Username = {Username}, Password = *** }}";
}
