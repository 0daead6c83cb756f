using System.Text.Json;
using System.Text.Json.Serialization;
using TrainingApis.Core.Json;

namespace Symtrain.Client.Access;

/// <summary>
/// One attempt at a simulation: started, interrupted or completed. It is completed exactly when both
/// <see cref="CompletedAt"/> and <see cref="CompletionTime"/> are set (<see cref="IsCompleted"/>); the scores of an
/// incomplete attempt are null.
/// </summary>
public sealed record SimulationExecution
{
    /// <summary>The attempt's id, when the server gives one.</summary>
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? ExecutionId { get; init; }

    /// <summary>The simulation's id.</summary>
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? SimulationId { get; init; }

    /// <summary>When the attempt started.</summary>
    public DateTime? StartedAt { get; init; }

    /// <summary>When the attempt was completed; null while it is not.</summary>
    public DateTime? CompletedAt { get; init; }

    /// <summary>How long the attempt took, in seconds; null while it is not completed.</summary>
    public double? CompletionTime { get; init; }

    /// <summary><see cref="CompletionTime"/> as a <see cref="TimeSpan"/>.</summary>
    [JsonIgnore]
    public TimeSpan? CompletionDuration =>
        CompletionTime is { } seconds && double.IsFinite(seconds) && Math.Abs(seconds) < TimeSpan.MaxValue.TotalSeconds
            ? TimeSpan.FromSeconds(seconds)
            : null;

    /// <summary>Whether the attempt was completed: both <see cref="CompletedAt"/> and <see cref="CompletionTime"/> are set.</summary>
    [JsonIgnore]
    public bool IsCompleted => CompletedAt is not null && CompletionTime is not null;

    /// <summary>The overall score.</summary>
    public double? SymScore { get; init; }

    /// <summary>The accuracy score.</summary>
    public double? AccuracyScore { get; init; }

    /// <summary>The keyword score.</summary>
    public double? KeywordScore { get; init; }

    /// <summary>The click score.</summary>
    public double? ClickScore { get; init; }

    /// <summary>The sentiment scores as sent (their shape is not published); null when absent.</summary>
    public JsonElement? SentimentScores { get; init; }

    /// <summary>Fields this SDK does not know, kept as sent.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
