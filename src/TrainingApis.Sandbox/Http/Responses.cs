using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using TrainingApis.Sandbox.Json;
using TrainingApis.Sandbox.Senar;
using TrainingApis.Sandbox.Symtrain;

namespace TrainingApis.Sandbox.Http;

/// <summary>Writes JSON responses and the error bodies of each API (docs/wire-format.md).</summary>
internal static class Responses
{
    public const string JsonContentType = "application/json; charset=utf-8";

    public static async Task JsonAsync<T>(HttpContext context, T value, JsonTypeInfo<T> typeInfo, int statusCode = StatusCodes.Status200OK)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = JsonContentType;
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
    }

    public static Task SymtrainErrorAsync(HttpContext context, int statusCode, string message, IReadOnlyList<SymtrainFieldError>? errors = null) =>
        JsonAsync(context, new SymtrainError(message, errors), SandboxJsonContext.Relaxed.SymtrainError, statusCode);

    /// <summary>400 naming every problem: <c>{"message", "errors": [{"field", "message"}]}</c>.</summary>
    public static Task SymtrainValidationAsync(HttpContext context, IEnumerable<(string Field, string Message)> problems)
    {
        var errors = problems.Select(p => new SymtrainFieldError(p.Field, p.Message)).ToArray();
        var message = "The request is invalid: " + string.Join(" ", errors.Select(e => e.Message));
        return SymtrainErrorAsync(context, StatusCodes.Status400BadRequest, message, errors);
    }

    /// <summary><c>{"message"}</c>: Senar's errors, the control endpoints' and the sandbox's own (404, 500).</summary>
    public static Task MessageAsync(HttpContext context, int statusCode, string message) =>
        JsonAsync(context, new SenarMessage(message), SandboxJsonContext.Relaxed.SenarMessage, statusCode);

    /// <summary>Reads a JSON body for an endpoint whose errors are <c>{"message"}</c>, answering 400 itself when it is not an object.</summary>
    public static async Task<JsonRequest?> ReadMessageRequestAsync(HttpContext context)
    {
        var (request, error) = await JsonRequest.ReadAsync(context);
        if (request is null)
        {
            await MessageAsync(context, StatusCodes.Status400BadRequest, error!);
        }

        return request;
    }

    /// <summary>Answers 400 <c>{"message"}</c> naming every problem of <paramref name="request"/>; true when it did.</summary>
    public static async Task<bool> RejectIfInvalidAsync(HttpContext context, JsonRequest request)
    {
        if (!request.HasProblems)
        {
            return false;
        }

        await MessageAsync(context, StatusCodes.Status400BadRequest, string.Join(" ", request.Problems.Select(p => p.Message)));
        return true;
    }
}
