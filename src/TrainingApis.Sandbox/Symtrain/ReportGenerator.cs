using System.Globalization;
using System.Text.Json;
using TrainingApis.Sandbox.Data;
using TrainingApis.Sandbox.Json;

namespace TrainingApis.Sandbox.Symtrain;

/// <summary>
/// The rows of the seven reports, computed per day from (seed, report, day, index): a row never changes, whichever page
/// or range asks for it, and nothing is held in memory. Data exists from the configured first day up to today.
/// </summary>
internal sealed class ReportGenerator
{
    public static readonly IReadOnlyList<string> ReportNames =
        ["syms-result", "user-results", "training-plan-result", "modules-results", "syms", "users", "teams-result"];

    private readonly int _seed;
    private readonly SymtrainSeed _data;
    private readonly DateOnly _firstDay;
    private readonly int[] _teamSizes;

    public ReportGenerator(int seed, SymtrainSeed data, DateOnly firstDay)
    {
        _seed = seed;
        _data = data;
        _firstDay = firstDay;
        _teamSizes = data.Teams.Select(team => data.Trainees.Count(t => t.TeamName == team.Name)).ToArray();
    }

    public static int IndexOf(string report)
    {
        for (var i = 0; i < ReportNames.Count; i++)
        {
            if (string.Equals(ReportNames[i], report, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>How many rows <paramref name="report"/> has on <paramref name="day"/>.</summary>
    public int Count(int report, DateOnly day, DateOnly today)
    {
        if (day < _firstDay || day > today)
        {
            return 0;
        }

        var random = SeededRandom.For(_seed, 100 + report, day.DayNumber);
        var weekend = day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
        var trainees = _data.Trainees.Count;
        return report switch
        {
            0 => weekend ? random.Next(0, 4) : random.Next(4, 15),
            1 => Math.Min(trainees, weekend ? random.Next(0, 3) : random.Next(3, 11)),
            2 => weekend ? random.Next(0, 2) : random.Next(1, 6),
            3 => weekend ? random.Next(0, 3) : random.Next(2, 9),
            4 => Math.Min(_data.Simulations.Count, weekend ? random.Next(0, 3) : random.Next(2, 9)),
            5 => Math.Min(trainees, weekend ? random.Next(0, 3) : random.Next(2, 7)),
            _ => weekend ? 0 : _data.Teams.Count,
        };
    }

    public long Total(int report, DateOnly start, DateOnly end, DateOnly today)
    {
        long total = 0;
        for (var day = start; day <= end; day = day.AddDays(1))
        {
            total += Count(report, day, today);
            if (day == end)
            {
                break; // The day after the range may not exist.
            }
        }

        return total;
    }

    /// <summary>Writes row <paramref name="index"/> of <paramref name="day"/> as one JSON object.</summary>
    public void WriteRow(Utf8JsonWriter writer, int report, DateOnly day, int index)
    {
        var random = SeededRandom.For(_seed, 1000 + report, day.DayNumber, index);
        var context = SandboxJsonContext.Relaxed;
        var dayStart = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var dayText = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        switch (report)
        {
            case 0:
            {
                var trainee = random.Pick(_data.Trainees);
                var simulation = random.Pick(_data.Simulations);
                var completionTime = random.Next(180, 1500);
                var completedAt = dayStart.AddSeconds(random.Next(8 * 3600, 19 * 3600));
                var score = random.Score(35, 100);
                var row = new SymsResultRow(
                    $"res-{day.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}-{index + 1:000}", trainee.Username, trainee.Username, trainee.FirstName, trainee.LastName,
                    trainee.TeamName, simulation.SimulationId, simulation.Name, random.Next(1, 5), score, random.Score(30, 100),
                    random.Score(40, 100), random.Score(20, 100), random.Score(50, 100), completionTime, score >= 70,
                    completedAt.AddSeconds(-completionTime), completedAt);
                JsonSerializer.Serialize(writer, row, context.SymsResultRow);
                break;
            }

            case 1:
            {
                var trainee = DistinctTrainee(report, day, index);
                var started = random.Next(1, 7);
                var row = new UserResultsRow(
                    trainee.Username, trainee.Username, trainee.Email, trainee.FirstName, trainee.LastName, trainee.TeamName, dayText,
                    started, random.Next(0, started + 1), random.Score(45, 98), random.Next(600, 9000),
                    dayStart.AddSeconds(random.Next(8 * 3600, 19 * 3600)));
                JsonSerializer.Serialize(writer, row, context.UserResultsRow);
                break;
            }

            case 2:
            {
                var trainee = random.Pick(_data.Trainees);
                var plan = random.Pick(_data.TrainingPlans);
                var total = plan.Modules.Count;
                var done = random.Next(1, total + 1);
                var updatedAt = dayStart.AddSeconds(random.Next(8 * 3600, 19 * 3600));
                var startedAt = updatedAt.AddDays(-random.Next(1, 30));
                var row = new TrainingPlanResultRow(
                    plan.TrainingPlanId, plan.Name, trainee.Username, trainee.Username, trainee.FirstName, trainee.LastName,
                    trainee.TeamName, done == total ? "COMPLETED" : "IN_PROGRESS", done * 100 / total, done, total,
                    random.Score(50, 99), startedAt, done == total ? updatedAt : null, updatedAt);
                JsonSerializer.Serialize(writer, row, context.TrainingPlanResultRow);
                break;
            }

            case 3:
            {
                var trainee = random.Pick(_data.Trainees);
                var (plan, module) = random.Pick(_data.Modules);
                var score = random.Score(40, 100);
                var row = new ModulesResultsRow(
                    module.ModuleId, module.Name, plan.TrainingPlanId, plan.Name, trainee.Username, trainee.Username,
                    trainee.FirstName, trainee.LastName, trainee.TeamName, module.Simulation.SimulationId, module.Simulation.Name,
                    random.Next(1, 4), score, score >= 70, dayStart.AddSeconds(random.Next(8 * 3600, 19 * 3600)));
                JsonSerializer.Serialize(writer, row, context.ModulesResultsRow);
                break;
            }

            case 4:
            {
                var offset = SeededRandom.For(_seed, 2000 + report, day.DayNumber).Next(_data.Simulations.Count);
                var simulation = _data.Simulations[(offset + index) % _data.Simulations.Count];
                var attempts = random.Next(1, 25);
                var completions = random.Next(0, attempts + 1);
                var row = new SymsRow(
                    simulation.SimulationId, simulation.Name, simulation.Tags, dayText, attempts, completions,
                    Math.Max(1, random.Next(1, attempts + 1)), random.Score(50, 95), random.Next(240, 1400));
                JsonSerializer.Serialize(writer, row, context.SymsRow);
                break;
            }

            case 5:
            {
                var trainee = DistinctTrainee(report, day, index);
                var assigned = random.Next(2, 20);
                var row = new UsersRow(
                    trainee.Username, trainee.Username, trainee.Email, trainee.FirstName, trainee.LastName, trainee.TeamName,
                    "trainee", trainee.Status, trainee.CreatedAt, dayStart.AddSeconds(random.Next(7 * 3600, 20 * 3600)),
                    assigned, random.Next(0, assigned + 1));
                JsonSerializer.Serialize(writer, row, context.UsersRow);
                break;
            }

            default:
            {
                var team = _data.Teams[index % _data.Teams.Count];
                var row = new TeamsResultRow(
                    team.TeamId, team.Name, dayText, random.Next(0, Math.Max(1, _teamSizes[index % _teamSizes.Length]) + 1), random.Next(0, 30),
                    random.Score(55, 95), random.Next(1800, 30000));
                JsonSerializer.Serialize(writer, row, context.TeamsResultRow);
                break;
            }
        }
    }

    private SymtrainTrainee DistinctTrainee(int report, DateOnly day, int index)
    {
        var offset = SeededRandom.For(_seed, 2000 + report, day.DayNumber).Next(_data.Trainees.Count);
        return _data.Trainees[(offset + index) % _data.Trainees.Count];
    }
}
