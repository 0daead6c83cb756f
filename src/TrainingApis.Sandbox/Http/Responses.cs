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

    public static Task SenarErrorAsync(HttpContext context, int statusCode, string message) =>
        JsonAsync(context, new SenarMessage(message), SandboxJsonContext.Relaxed.SenarMessage, statusCode);
}
