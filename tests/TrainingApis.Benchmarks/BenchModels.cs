using System.Text.Json.Serialization;

namespace TrainingApis.Benchmarks;

/// <summary>A typed report row, read by the SDK (typed call), the floor and RestSharp alike.</summary>
public sealed class BenchRow
{
    public string? UserId { get; set; }

    public string? Username { get; set; }

    public string? FirstName { get; set; }

    public string? LastName { get; set; }

    public string? TeamName { get; set; }

    public string? SimulationId { get; set; }

    public string? SimulationName { get; set; }

    public double Score { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    public int Attempts { get; set; }
}

/// <summary>The report envelope, for the floor and RestSharp (the SDK reads envelopes itself).</summary>
public sealed class BenchEnvelope
{
    public long Page { get; set; }

    public long PageSize { get; set; }

    public long Total { get; set; }

    public List<BenchRow>? Results { get; set; }
}

/// <summary>The report request body, as the floor writes it.</summary>
public sealed record BenchReportRequest(string StartDate, string EndDate);

/// <summary>A Senar activity as a hand-written client would declare it (the 26 vendor fields).</summary>
public sealed class BenchActivity
{
    public int Id { get; set; }

    public int CollectionId { get; set; }

    public string? UserId { get; set; }

    public string? TraineeId { get; set; }

    public string? FirstName { get; set; }

    public string? LastName { get; set; }

    public string? Company { get; set; }

    public DateTime? TrainingDate { get; set; }

    public string? ScenarioId { get; set; }

    public string? ScenarioName { get; set; }

    public int TotalPoints { get; set; }

    public int TotalSec { get; set; }

    public int TotalTries { get; set; }

    public int SimulatorId { get; set; }

    public int Tilts { get; set; }

    public int TotalMaxPoints { get; set; }

    public int Abandons { get; set; }

    public string? CollectionTitle { get; set; }

    public string? SimulatorTitle { get; set; }

    public string? UserFirstName { get; set; }

    public string? UserLastName { get; set; }

    public string? UserEmail { get; set; }

    public string? UserCostCenter { get; set; }

    public string? UserAccountName { get; set; }

    public string? TraineeEmail { get; set; }

    public string? TraineeProfile { get; set; }
}

/// <summary>Source-generated JSON metadata for the floor and for the SDK typed call.</summary>
[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(BenchRow))]
[JsonSerializable(typeof(System.Text.Json.JsonElement))]
[JsonSerializable(typeof(BenchEnvelope))]
[JsonSerializable(typeof(BenchReportRequest))]
[JsonSerializable(typeof(List<BenchActivity>))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;
