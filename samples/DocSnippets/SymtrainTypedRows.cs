using System.Text.Json;
using System.Text.Json.Serialization;

namespace DocSnippets;

// docs/symtrain.md: reading report rows into your own type.
#region symtrain-typed-row-types
public sealed record UserResult(string Username, double? Score, DateTime? CompletedAt);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(UserResult))]
internal sealed partial class MyJsonContext : JsonSerializerContext;
#endregion
