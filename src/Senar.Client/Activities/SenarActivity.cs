using System.Text.Json;
using System.Text.Json.Serialization;
using Senar.Client.Json;
using Senar.Client.Users;
using TrainingApis.Core.Json;

namespace Senar.Client.Activities;

/// <summary>
/// One activity: the data recorded when a trainee completes a scenario, as listed by
/// <c>GET /integration/data/activities</c>. Every field Senar documents has a property; others are kept in
/// <see cref="AdditionalProperties"/>.
/// </summary>
public sealed record SenarActivity
{
    /// <summary>The activity's id, e.g. <c>80119</c>.</summary>
    public int Id { get; init; }

    /// <summary>The collection the scenario belongs to; <see langword="null"/> when Senar sends <c>null</c>.</summary>
    public int? CollectionId { get; init; }

    /// <summary>The id (UUID string) of the account user the trainee belongs to.</summary>
    public string? UserId { get; init; }

    /// <summary>The id (UUID string) of the trainee who did the scenario.</summary>
    public string? TraineeId { get; init; }

    /// <summary>The trainee's first name.</summary>
    public string? FirstName { get; init; }

    /// <summary>The trainee's last name.</summary>
    public string? LastName { get; init; }

    /// <summary>The trainee's company.</summary>
    public string? Company { get; init; }

    /// <summary>
    /// When the training took place, as Senar sends it: without an offset, so <see cref="DateTimeKind.Unspecified"/>
    /// (a value with an offset is converted to UTC). Every ISO 8601 form is read, up to 9 fractional digits (see
    /// <see cref="TrainingApis.Core.Json.LenientDateTimeConverter"/>); <c>null</c> and <c>""</c> read as null.
    /// </summary>
    public DateTime? TrainingDate { get; init; }

    /// <summary>The scenario's id, a string such as <c>S01</c> (a number is read as its text).</summary>
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? ScenarioId { get; init; }

    /// <summary>The scenario's name.</summary>
    public string? ScenarioName { get; init; }

    /// <summary>Points scored; <see langword="null"/> when Senar sends <c>null</c> (as for an attempt without a score).</summary>
    public int? TotalPoints { get; init; }

    /// <summary>Time spent, in seconds; <see langword="null"/> when Senar sends <c>null</c>.</summary>
    public int? TotalSec { get; init; }

    /// <summary>Number of tries; <see langword="null"/> when Senar sends <c>null</c>.</summary>
    public int? TotalTries { get; init; }

    /// <summary>The simulator's id; <see langword="null"/> when Senar sends <c>null</c>.</summary>
    public int? SimulatorId { get; init; }

    /// <summary>Number of tilts; <see langword="null"/> when Senar sends <c>null</c>.</summary>
    public int? Tilts { get; init; }

    /// <summary>The most points the scenario allows; <see langword="null"/> when Senar sends <c>null</c>.</summary>
    public int? TotalMaxPoints { get; init; }

    /// <summary>Number of abandons; <see langword="null"/> when Senar sends <c>null</c>.</summary>
    public int? Abandons { get; init; }

    /// <summary>The collection's title.</summary>
    public string? CollectionTitle { get; init; }

    /// <summary>The simulator's title.</summary>
    public string? SimulatorTitle { get; init; }

    /// <summary>The account user's first name.</summary>
    public string? UserFirstName { get; init; }

    /// <summary>The account user's last name.</summary>
    public string? UserLastName { get; init; }

    /// <summary>The account user's email address.</summary>
    public string? UserEmail { get; init; }

    /// <summary>The account user's cost center.</summary>
    public string? UserCostCenter { get; init; }

    /// <summary>The account user's account name.</summary>
    public string? UserAccountName { get; init; }

    /// <summary>The trainee's email address; may be empty (<c>""</c>, kept as such) for trainees without one.</summary>
    public string? TraineeEmail { get; init; }

    /// <summary>The trainee's profile, e.g. <see cref="SenarUserProfile.Guest"/>; any value is kept.</summary>
    public SenarUserProfile? TraineeProfile { get; init; }

    /// <summary>Fields Senar sent that this version does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
