using System.Text.Json;
using System.Text.Json.Serialization;
using TrainingApis.Core.Json;

namespace Symtrain.Client.Users;

/// <summary>The state of a bulk import task. A status this SDK does not know reads as <see cref="BulkImportState.Unknown"/>, its text kept in <see cref="RawStatus"/>.</summary>
public sealed record BulkImportStatus
{
    /// <summary>The task's id.</summary>
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? TaskId { get; init; }

    /// <summary>The status exactly as the server sent it, e.g. <c>STARTED</c>.</summary>
    [JsonPropertyName("status")]
    public string? RawStatus { get; init; }

    /// <summary>The status; <see cref="BulkImportState.Unknown"/> for a value not listed.</summary>
    [JsonIgnore]
    public BulkImportState Status => RawStatus?.Trim().ToUpperInvariant() switch
    {
        "SCHEDULED" => BulkImportState.Scheduled,
        "STARTED" => BulkImportState.Started,
        "COMPLETED" => BulkImportState.Completed,
        "FAILED" => BulkImportState.Failed,
        _ => BulkImportState.Unknown,
    };

    /// <summary>Whether the task has finished: <see cref="BulkImportState.Completed"/> or <see cref="BulkImportState.Failed"/>.</summary>
    [JsonIgnore]
    public bool IsFinished => Status is BulkImportState.Completed or BulkImportState.Failed;

    /// <summary>When the task was created, when the server says.</summary>
    public DateTime? CreatedAt { get; init; }

    /// <summary>When the task last changed, when the server says.</summary>
    public DateTime? UpdatedAt { get; init; }

    /// <summary>Rows processed so far, when the server says.</summary>
    public long? ProcessedCount { get; init; }

    /// <summary>Why the task failed, when the server says.</summary>
    public string? ErrorMessage { get; init; }

    /// <summary>Fields this SDK does not know, kept as sent.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
