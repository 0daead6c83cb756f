using Bogus;

namespace TrainingApis.Sandbox.Data;

internal sealed record SymtrainTeam(string TeamId, string Name);

internal sealed record SymtrainTrainee(
    int Index,
    string Username,
    string Email,
    string FirstName,
    string LastName,
    string TeamName,
    string Status,
    DateTime CreatedAt);

internal sealed record SymtrainSimulation(
    int Index,
    string SimulationId,
    string Name,
    string Description,
    IReadOnlyList<string> Tags,
    int DurationMinutes);

internal sealed record SymtrainModule(string ModuleId, string Name, SymtrainSimulation Simulation);

internal sealed record SymtrainTrainingPlan(string TrainingPlanId, string Name, IReadOnlyList<SymtrainModule> Modules);

/// <summary>The organization, teams, trainees, simulations and training plans of the Symtrain side, made once with Bogus.</summary>
internal sealed class SymtrainSeed
{
    private static readonly string[] TeamNames =
        ["Sales Team", "Support Tier 1", "Support Tier 2", "Retention", "Billing Desk", "Onboarding Squad"];

    private static readonly (string Topic, string Tag, string[] Scenarios)[] Topics =
    [
        ("Billing", "billing", ["Late Fee Waiver", "Double Charge Refund", "Payment Plan Setup", "Invoice Explanation", "Autopay Failure"]),
        ("Technical Support", "technical-support", ["Router Reset", "Password Reset", "Slow Connection", "App Crash Triage", "Device Activation"]),
        ("Retention", "retention", ["Cancellation Save", "Competitor Offer", "Downgrade Request", "Service Outage Credit"]),
        ("Sales", "sales", ["Upsell Premium Plan", "New Line Order", "Bundle Offer", "Renewal Quote"]),
        ("Onboarding", "onboarding", ["Account Setup", "First Bill Walkthrough", "Welcome Call", "Feature Tour"]),
        ("Collections", "collections", ["Past Due Reminder", "Promise to Pay", "Hardship Arrangement"]),
        ("Compliance", "compliance", ["Identity Verification", "Call Recording Disclosure", "Data Privacy Request"]),
        ("Claims", "claims", ["First Notice of Loss", "Claim Status Update", "Denied Claim Appeal"]),
        ("Account Security", "security", ["Suspicious Login", "Two-Factor Setup", "Fraud Report"]),
        ("Shipping", "shipping", ["Lost Package", "Address Change", "Damaged Item Return"]),
    ];

    private static readonly string[] Personas =
        ["Frustrated Customer", "Confused Caller", "Busy Professional", "Elderly Customer", "Loyal Customer", "Escalation"];

    private static readonly string[] Levels = ["beginner", "intermediate", "advanced"];

    private static readonly string[] Channels = ["voice", "chat"];

    private static readonly string[] PlanNames =
    [
        "New Hire Onboarding", "Billing Mastery", "Retention Essentials", "Technical Support Foundations",
        "Compliance Refresher", "Sales Excellence",
    ];

    private SymtrainSeed(
        string organizationId,
        string organizationName,
        IReadOnlyList<SymtrainTeam> teams,
        IReadOnlyList<SymtrainTrainee> trainees,
        IReadOnlyList<SymtrainSimulation> simulations,
        IReadOnlyList<SymtrainTrainingPlan> trainingPlans)
    {
        OrganizationId = organizationId;
        OrganizationName = organizationName;
        Teams = teams;
        Trainees = trainees;
        Simulations = simulations;
        TrainingPlans = trainingPlans;
        SimulationsById = simulations.ToDictionary(s => s.SimulationId, StringComparer.OrdinalIgnoreCase);
        Modules = trainingPlans.SelectMany(p => p.Modules.Select(m => (p, m))).ToArray();
    }

    public string OrganizationId { get; }

    public string OrganizationName { get; }

    public IReadOnlyList<SymtrainTeam> Teams { get; }

    public IReadOnlyList<SymtrainTrainee> Trainees { get; }

    public IReadOnlyList<SymtrainSimulation> Simulations { get; }

    public IReadOnlyDictionary<string, SymtrainSimulation> SimulationsById { get; }

    public IReadOnlyList<SymtrainTrainingPlan> TrainingPlans { get; }

    public IReadOnlyList<(SymtrainTrainingPlan Plan, SymtrainModule Module)> Modules { get; }

    /// <summary>The trainee and simulation the sandbox advertises: at least one complete and one incomplete execution.</summary>
    public SymtrainTrainee FeaturedTrainee => Trainees[0];

    public SymtrainSimulation FeaturedSimulation => Simulations[0];

    public static SymtrainSeed Create(int seed, string organizationId, int traineeCount, int simulationCount)
    {
        var faker = new Faker("en") { Random = new Randomizer(seed) };
        var companyWord = faker.Name.LastName();
        var organizationName = $"{companyWord} {faker.PickRandom("Telecom", "Insurance", "Energy", "Bank", "Retail")}";
        var domain = $"{Slug(companyWord)}-training.example";

        var teams = TeamNames.Select((name, i) => new SymtrainTeam($"team-{i + 1:00}", name)).ToArray();

        var usernames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var trainees = new SymtrainTrainee[traineeCount];
        var createdBase = new DateTime(2022, 6, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < traineeCount; i++)
        {
            var first = faker.Name.FirstName();
            var last = faker.Name.LastName();
            var username = $"{Slug(first)}.{Slug(last)}@{domain}";
            for (var n = 2; !usernames.Add(username); n++)
            {
                username = $"{Slug(first)}.{Slug(last)}{n}@{domain}";
            }

            var status = i > 0 && faker.Random.Int(0, 9) == 0 ? "INACTIVE" : "ACTIVE";
            var created = createdBase.AddDays(faker.Random.Int(0, 500)).AddSeconds(faker.Random.Int(8 * 3600, 18 * 3600));
            trainees[i] = new SymtrainTrainee(i, username, username, first, last, teams[i % teams.Length].Name, status, created);
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var simulations = new SymtrainSimulation[simulationCount];
        for (var i = 0; i < simulationCount; i++)
        {
            var topic = Topics[i % Topics.Length];
            string scenario, persona, name;
            var attempt = 0;
            do
            {
                scenario = faker.PickRandom(topic.Scenarios);
                persona = faker.PickRandom(Personas);
                name = attempt++ < 20 ? $"{topic.Topic}: {scenario} ({persona})" : $"{topic.Topic}: {scenario} ({persona} {attempt})";
            }
            while (!names.Add(name));

            var tags = new List<string> { topic.Tag, faker.PickRandom(Levels), faker.PickRandom(Channels) };
            if (faker.Random.Bool(0.3f))
            {
                tags.Add("de-escalation");
            }

            var product = faker.Commerce.ProductName();
            var description = $"Practice {scenario.ToLowerInvariant()} with a {persona.ToLowerInvariant()} calling about their {product}.";
            simulations[i] = new SymtrainSimulation(i, $"sim-{1001 + i}", name, description, tags, faker.Random.Int(5, 25));
        }

        var plans = new SymtrainTrainingPlan[PlanNames.Length];
        for (var p = 0; p < PlanNames.Length; p++)
        {
            var count = faker.Random.Int(3, 5);
            var modules = new SymtrainModule[count];
            for (var m = 0; m < count; m++)
            {
                var simulation = simulations[faker.Random.Int(0, simulationCount - 1)];
                var label = simulation.Name.Split(" (")[0];
                modules[m] = new SymtrainModule($"mod-{p + 1}{m + 1:00}", $"Module {m + 1}: {label}", simulation);
            }

            plans[p] = new SymtrainTrainingPlan($"plan-{p + 1:00}", PlanNames[p], modules);
        }

        return new SymtrainSeed(organizationId, organizationName, teams, trainees, simulations, plans);
    }

    internal static string Slug(string value)
    {
        var chars = value.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).ToArray();
        return chars.Length == 0 ? "user" : new string(chars);
    }
}
