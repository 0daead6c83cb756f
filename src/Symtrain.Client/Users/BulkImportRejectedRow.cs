using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using TrainingApis.Core.Http;

namespace Symtrain.Client.Users;

/// <summary>A row the server refused during a bulk import, with its reasons.</summary>
public sealed record BulkImportRejectedRow
{
    private IReadOnlyList<string> _errors = [];

    /// <summary>The row number the server gave.</summary>
    public int? Row { get; init; }

    /// <summary>What the server found wrong with the row.</summary>
    public IReadOnlyList<string> Errors { get => _errors; init => _errors = value ?? []; }

    /// <summary>Fields this SDK does not know, kept as sent.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }

    // A record prints a list as its type name: the server's reasons are printed instead, at most 10, each cut at 500
    // characters, so that a logged result stays readable whatever the server sent.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append(CultureInfo.InvariantCulture, $"Row = {Row}, Errors = [").AppendJoin("; ", Errors.Take(10).Select(static e => ApiErrorMapper.Shorten(e ?? string.Empty)));
        builder.Append(Errors.Count > 10 ? $"; and {Errors.Count - 10} more]" : "]");
        return true;
    }
}
