using TrainingApis.Sandbox.Data;

namespace TrainingApis.Sandbox.Senar;

/// <summary>
/// The seeded activities, computed one by one from (seed, index): 200,000 of them cost no memory. They are spread in
/// order over two years from 2024-01-01.
/// </summary>
internal sealed class ActivityGenerator
{
    public const long FirstId = 80_001;

    private static readonly DateTime Epoch = new(2024, 1, 1, 6, 0, 0, DateTimeKind.Unspecified);
    private static readonly int[] MaxPoints = [2000, 2500, 3000, 3400, 4000];

    private readonly int _seed;
    private readonly SenarSeed _data;
    private readonly double _ticksPerActivity;

    public ActivityGenerator(int seed, SenarSeed data, int count)
    {
        _seed = seed;
        _data = data;
        Count = count;
        _ticksPerActivity = count == 0 ? 0 : TimeSpan.FromDays(730).Ticks / (double)count;
    }

    public int Count { get; }

    public SenarActivity Create(int index)
    {
        var random = SeededRandom.For(_seed, 7001, index);
        var collection = random.Pick(_data.Collections);
        var simulator = random.Pick(collection.Simulators);
        var scenario = random.Next(simulator.Scenarios.Count);
        var trainee = random.Pick(_data.Trainees);
        var owner = _data.Owner;
        var maxPoints = random.Pick(MaxPoints);
        var trainingDate = Epoch.AddTicks((long)(index * _ticksPerActivity) + random.Next(0, 3_600_000) * 10L);
        var traineeEmail = random.Chance(0.1) ? string.Empty : trainee.Email;
        return new SenarActivity(
            FirstId + index,
            collection.CollectionId,
            owner.Id,
            trainee.Id,
            trainee.FirstName,
            trainee.LastName,
            random.Pick(_data.Companies),
            SenarSeed.Format(trainingDate, SenarSeed.DateTimeFormat6),
            $"S{scenario + 1:00}",
            simulator.Scenarios[scenario],
            random.Next(0, (maxPoints / 50) + 1) * 50,
            random.Next(120, 1800),
            random.Next(1, 4),
            simulator.SimulatorId,
            random.Chance(0.8) ? 0 : random.Next(1, 4),
            maxPoints,
            random.Chance(0.85) ? 0 : 1,
            collection.Title,
            simulator.Title,
            owner.FirstName,
            owner.LastName,
            owner.Email,
            _data.OwnerCostCenter,
            owner.AccountName,
            traineeEmail,
            trainee.Profile);
    }
}
