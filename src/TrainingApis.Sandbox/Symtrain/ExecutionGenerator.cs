using TrainingApis.Sandbox.Data;

namespace TrainingApis.Sandbox.Symtrain;

/// <summary>
/// The execution attempts of a seeded trainee on a simulation, computed from (seed, trainee, simulation). Some pairs have
/// none; the featured pair always has three, the second of them incomplete.
/// </summary>
internal static class ExecutionGenerator
{
    private static readonly DateTime Epoch = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static IReadOnlyList<ExecutionItem> For(int seed, SymtrainTrainee trainee, SymtrainSimulation simulation)
    {
        var random = SeededRandom.For(seed, 501, trainee.Index, simulation.Index);
        var featured = trainee.Index == 0 && simulation.Index == 0;
        var count = featured ? 3 : random.Chance(0.4) ? random.Next(1, 5) : 0;
        var items = new List<ExecutionItem>(count);
        var startedAt = Epoch.AddDays(random.Next(0, 540)).AddSeconds(random.Next(8 * 3600, 17 * 3600));
        for (var k = 0; k < count; k++)
        {
            var incomplete = featured ? k == 1 : random.Chance(0.25);
            var id = $"exe-{simulation.SimulationId}-{trainee.Index + 1:0000}-{k + 1}";
            if (incomplete)
            {
                items.Add(new ExecutionItem(id, simulation.SimulationId, trainee.Username, startedAt, null, null, null, null, null, null, null));
            }
            else
            {
                var seconds = random.Next(180, 1500);
                var positive = random.Score(0.3, 0.8);
                var negative = Math.Round(random.NextDouble() * (1 - positive) * 0.5, 2);
                var sentiment = new SentimentScores(positive, Math.Round(1 - positive - negative, 2), negative);
                items.Add(new ExecutionItem(
                    id, simulation.SimulationId, trainee.Username, startedAt, startedAt.AddSeconds(seconds), seconds,
                    random.Score(30, 100), random.Score(40, 100), random.Score(20, 100), random.Score(50, 100), sentiment));
            }

            startedAt = startedAt.AddDays(random.Next(1, 20)).AddSeconds(random.Next(0, 3600));
        }

        return items;
    }
}
