using System.Net;
using System.Text.Json;
using Senar.Client.Http;
using Senar.Client.Json;
using TrainingApis.Core;
using TrainingApis.Core.Http;

namespace Senar.Client.Users;

/// <summary>The <see cref="ISenarUsersClient"/> of a <see cref="SenarClient"/>.</summary>
internal sealed class SenarUsersClient(ApiConnection connection, Func<IEnumerable<string?>> secrets) : ISenarUsersClient
{
    public const string AssignPath = "integration/data/user_assign";
    public const string ListPath = "integration/data/users";

    private static readonly string[] ServerMessageNames = ["message", "error", "errors", "detail", "reason", "msg"];

    public async Task<UserAssignResult> AssignCollectionAsync(UserAssignment request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = UserAssignmentValidator.Validate(request);
        if (errors.Count > 0)
        {
            throw new UserAssignmentValidationException(errors, nameof(request));
        }

        var body = ApiConnection.JsonContent(request, SenarJsonContext.Default.UserAssignment);
        using var message = ApiConnection.CreateRequest(HttpMethod.Post, AssignPath, "Users.AssignCollection", body).WithSecrets(request.Password);
        var result = await connection.SendAsync(message, SenarJsonContext.Default.UserAssignResult, cancellationToken).ConfigureAwait(false);
        if (!result.Succeed)
        {
            throw Refused(result, request, message);
        }

        return result;
    }

    public Task<IReadOnlyList<SenarUser>> ListAsync(CancellationToken cancellationToken = default) =>
        SenarLists.ListAsync(connection, ListPath, "Users.List", SenarJsonContext.Default.ListSenarUser, cancellationToken);

    public IAsyncEnumerable<SenarUser> StreamAsync(CancellationToken cancellationToken = default) =>
        SenarLists.StreamAsync(connection, ListPath, "Users.Stream", SenarJsonContext.Default.SenarUser, cancellationToken);

    // A 200 with "succeed": false: the server's words become an ApiValidationException, like a 400.
    private ApiValidationException Refused(UserAssignResult result, UserAssignment request, HttpRequestMessage message)
    {
        var secretValues = secrets().Append(request.Password).ToArray();
        var words = ServerWords(result);
        // Masked whole, then cut: a cut first could leave half a secret that no mask recognises.
        var masked = words is null ? null : ApiErrorMapper.Shorten(SecretMasker.Mask(words, secretValues));
        var raw = SecretMasker.Mask(JsonSerializer.Serialize(result, SenarJsonContext.Default.UserAssignResult), secretValues);
        var details = new ApiErrorDetails
        {
            StatusCode = HttpStatusCode.OK,
            ResponseBody = ApiErrorMapper.Truncate(raw),
            Method = message.Method.Method,
            RequestUri = ApiErrorMapper.StripQuery(message.RequestUri),
        };
        var text = $"Senar did not assign collection {request.CollectionId} to {request.Email} (\"succeed\": false)"
            + (masked is null ? "." : $": {masked}");
        return new ApiValidationException(text, details, masked is null ? [] : [new ApiFieldError(null, masked)]);
    }

    private static string? ServerWords(UserAssignResult result)
    {
        if (!string.IsNullOrWhiteSpace(result.Message))
        {
            return result.Message;
        }

        if (result.AdditionalProperties is not { Count: > 0 } extra)
        {
            return null;
        }

        foreach (var name in ServerMessageNames)
        {
            foreach (var (key, value) in extra)
            {
                if (!string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                var text = value.ValueKind switch
                {
                    JsonValueKind.String => value.GetString(),
                    JsonValueKind.Null or JsonValueKind.Undefined => null,
                    _ => value.GetRawText(),
                };
                if (!string.IsNullOrWhiteSpace(text))
                {
                    return text;
                }
            }
        }

        return null;
    }
}
