using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using TrainingApis.Core.Json;

namespace Symtrain.Client.Users;

/// <summary>
/// The server's answer to one uploaded file: the task that imports the valid rows (absent when none was valid), the
/// counts, and the rows it refused.
/// </summary>
public sealed record BulkImportResult
{
    private IReadOnlyList<BulkImportRejectedRow> _errors = [];

    /// <summary>The import task, for <c>GetBulkImportStatusAsync</c>; null when no row was valid.</summary>
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? TaskId { get; init; }

    /// <summary>Rows the server accepted; <see langword="null"/> when it sent none or <c>null</c>.</summary>
    public int? ValidUsersCount { get; init; }

    /// <summary>Rows the server refused; <see langword="null"/> when it sent none or <c>null</c>.</summary>
    public int? InvalidUsersCount { get; init; }

    /// <summary>The refused rows and why.</summary>
    public IReadOnlyList<BulkImportRejectedRow> Errors { get => _errors; init => _errors = value ?? []; }

    /// <summary>Whether a task was started (at least one row was valid).</summary>
    [JsonIgnore]
    public bool HasTask => !string.IsNullOrEmpty(TaskId);

    /// <summary>Fields this SDK does not know, kept as sent.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }

    // A record prints a list as its type name: the refused rows are printed instead, at most 10.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append(CultureInfo.InvariantCulture, $"TaskId = {TaskId}, ValidUsersCount = {ValidUsersCount}, InvalidUsersCount = {InvalidUsersCount}, ");
        builder.Append("Errors = [").AppendJoin(", ", Errors.Take(10));
        builder.Append(Errors.Count > 10 ? $", and {Errors.Count - 10} more]" : "]").Append(CultureInfo.InvariantCulture, $", HasTask = {HasTask}");
        return true;
    }
}
