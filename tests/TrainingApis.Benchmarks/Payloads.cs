using System.Globalization;
using System.Text.Json;

namespace TrainingApis.Benchmarks;

/// <summary>Fixed response bodies, generated once per process, shaped as docs/wire-format.md describes.</summary>
internal static class Payloads
{
    public const int ActivityCount = 200_000;

    private static readonly Lazy<byte[]> s_activities = new(() => CreateActivities(ActivityCount));

    public static byte[] Activities => s_activities.Value;

    public static byte[] LoginResponse { get; } = """{"Token":"t"}"""u8.ToArray();

    /// <summary>A Symtrain report envelope (<c>page</c>, <c>pageSize</c>, <c>total</c>, <c>results</c>) holding one single page.</summary>
    public static byte[] CreateReport(int rows)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("page", 1);
            writer.WriteNumber("pageSize", Math.Max(rows, 1000));
            writer.WriteNumber("total", rows);
            writer.WriteStartArray("results");
            var start = new DateTime(2024, 1, 1, 8, 0, 0, DateTimeKind.Utc);
            for (var i = 0; i < rows; i++)
            {
                writer.WriteStartObject();
                writer.WriteString("userId", "u-" + (10_000 + i).ToString(CultureInfo.InvariantCulture));
                writer.WriteString("username", "user" + i.ToString(CultureInfo.InvariantCulture) + "@example.com");
                writer.WriteString("firstName", "First" + (i % 97).ToString(CultureInfo.InvariantCulture));
                writer.WriteString("lastName", "Last" + (i % 89).ToString(CultureInfo.InvariantCulture));
                writer.WriteString("teamName", "Team " + (i % 12).ToString(CultureInfo.InvariantCulture));
                writer.WriteString("simulationId", "sim-" + (i % 40).ToString(CultureInfo.InvariantCulture));
                writer.WriteString("simulationName", "Simulation " + (i % 40).ToString(CultureInfo.InvariantCulture));
                writer.WriteNumber("score", (i * 7) % 101);
                writer.WriteString("completedAt", start.AddMinutes(i * 13).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                writer.WriteNumber("attempts", 1 + (i % 3));
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>A bare array of Senar activities with the vendor's 26 fields.</summary>
    public static byte[] CreateActivities(int count)
    {
        using var buffer = new MemoryStream(count * 800);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            var start = new DateTime(2024, 1, 1, 6, 0, 0, DateTimeKind.Unspecified);
            for (var i = 0; i < count; i++)
            {
                var trainee = (i % 500).ToString(CultureInfo.InvariantCulture);
                var scenario = (i % 8) + 1;
                writer.WriteStartObject();
                writer.WriteNumber("id", 80_001 + i);
                writer.WriteNumber("collectionId", 300 + (i % 6));
                writer.WriteString("userId", "owner-1");
                writer.WriteString("traineeId", "trainee-" + trainee);
                writer.WriteString("firstName", "Trainee" + trainee);
                writer.WriteString("lastName", "Surname" + trainee);
                writer.WriteString("company", "Company " + (i % 20).ToString(CultureInfo.InvariantCulture));
                writer.WriteString("trainingDate", start.AddSeconds(i * 311.5).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture));
                writer.WriteString("scenarioId", "S" + scenario.ToString("00", CultureInfo.InvariantCulture));
                writer.WriteString("scenarioName", "Scenario " + scenario.ToString(CultureInfo.InvariantCulture));
                writer.WriteNumber("totalPoints", (i % 60) * 50);
                writer.WriteNumber("totalSec", 120 + (i % 1680));
                writer.WriteNumber("totalTries", 1 + (i % 3));
                writer.WriteNumber("simulatorId", 40 + (i % 5));
                writer.WriteNumber("tilts", i % 5 == 0 ? 1 : 0);
                writer.WriteNumber("totalMaxPoints", 3000);
                writer.WriteNumber("abandons", i % 7 == 0 ? 1 : 0);
                writer.WriteString("collectionTitle", "Collection " + (i % 6).ToString(CultureInfo.InvariantCulture));
                writer.WriteString("simulatorTitle", "Simulator " + (i % 5).ToString(CultureInfo.InvariantCulture));
                writer.WriteString("userFirstName", "Owen");
                writer.WriteString("userLastName", "Owner");
                writer.WriteString("userEmail", "owner@example.com");
                writer.WriteString("userCostCenter", "CC-100");
                writer.WriteString("userAccountName", "Example Account");
                writer.WriteString("traineeEmail", "trainee" + trainee + "@example.com");
                writer.WriteString("traineeProfile", "trainee");
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return buffer.ToArray();
    }
}
