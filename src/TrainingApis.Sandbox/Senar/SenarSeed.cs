using System.Globalization;
using Bogus;
using TrainingApis.Sandbox.Data;

namespace TrainingApis.Sandbox.Senar;

internal sealed record SenarSimulator(int SimulatorId, string Title, IReadOnlyList<string> Scenarios);

internal sealed record SenarCollection(int CollectionId, string Title, IReadOnlyList<SenarSimulator> Simulators);

/// <summary>The account that logs in (the collections' owner), its collections and users, made once with Bogus.</summary>
internal sealed class SenarSeed
{
    public const string DateTimeFormat7 = "yyyy-MM-dd'T'HH:mm:ss.fffffff";
    public const string DateTimeFormat6 = "yyyy-MM-dd'T'HH:mm:ss.ffffff";

    private static readonly (string Title, (string Simulator, string[] Scenarios)[] Simulators)[] CollectionData =
    [
        ("Rigging", [
            ("Lifting Hardware and Sling Inspection", ["Pre-use inspection", "Damaged sling", "Hook latch check", "Shackle selection"]),
            ("Load Rigging Basics", ["Center of gravity", "Tag line use", "Hitch selection"]),
        ]),
        ("Forklift Operations", [
            ("Counterbalance Forklift", ["Pre-shift check", "Ramp driving", "Stacking pallets", "Pedestrian zone"]),
            ("Reach Truck", ["High racking", "Narrow aisle", "Battery change"]),
        ]),
        ("Confined Space Entry", [
            ("Tank Entry", ["Gas testing", "Permit review", "Rescue plan"]),
        ]),
        ("Working at Height", [
            ("Scaffold Inspection", ["Base plates", "Guardrails", "Tagging"]),
            ("Harness and Lanyard", ["Fitting the harness", "Anchor points", "Fall clearance"]),
        ]),
        ("Fire Safety", [
            ("Extinguisher Use", ["Class A fire", "Electrical fire", "Kitchen fire"]),
        ]),
    ];

    private static readonly string[] Languages = ["en", "en", "en", "fr", "es", "de"];

    private static readonly string[] Countries = ["USA", "Canada", "France", "United Kingdom", "Germany", "Spain"];

    private static readonly string[] CostCenters = ["East", "West", "North", "South", "Central"];

    private SenarSeed(SenarUser owner, string costCenter, string userDomain, IReadOnlyList<SenarCollection> collections, IReadOnlyList<SenarUser> users, IReadOnlyList<string> companies)
    {
        Owner = owner;
        UserDomain = userDomain;
        OwnerCostCenter = costCenter;
        Collections = collections;
        Users = users;
        Trainees = users.Where(u => u.Profile != "Instructor").ToArray();
        Companies = companies;
    }

    public SenarUser Owner { get; }

    public string OwnerCostCenter { get; }

    /// <summary>The email domain of the account's users.</summary>
    public string UserDomain { get; }

    public IReadOnlyList<SenarCollection> Collections { get; }

    /// <summary>Every seeded user, the owner first.</summary>
    public IReadOnlyList<SenarUser> Users { get; }

    public IReadOnlyList<SenarUser> Trainees { get; }

    public IReadOnlyList<string> Companies { get; }

    public static SenarSeed Create(int seed, string ownerEmail, int userCount)
    {
        var faker = new Faker("en") { Random = new Randomizer(unchecked(seed * 31) + 7) };
        var accountName = faker.Company.CompanyName(0).Split(' ')[0].ToUpperInvariant();
        var domain = $"{SymtrainSeed.Slug(accountName)}.example";
        var costCenter = faker.PickRandom(CostCenters);
        var owner = new SenarUser(
            NewGuid(faker), faker.Name.FirstName(), faker.Name.LastName(), ownerEmail, "en", accountName, "USA",
            Format(new DateTime(2021, 3, 1).AddSeconds(faker.Random.Int(0, 86_400 * 30)).AddTicks(faker.Random.Int(0, 9_999_999)), DateTimeFormat7),
            "Instructor");

        var simulatorId = 18;
        var collections = CollectionData
            .Select((c, i) => new SenarCollection(
                41 + i,
                c.Title,
                c.Simulators.Select(s => new SenarSimulator(simulatorId++, s.Simulator, s.Scenarios)).ToArray()))
            .ToArray();

        var users = new List<SenarUser> { owner };
        var emails = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ownerEmail };
        var createdBase = new DateTime(2023, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);
        for (var i = 1; i < userCount; i++)
        {
            var first = faker.Name.FirstName();
            var last = faker.Name.LastName();
            var email = $"{SymtrainSeed.Slug(first)}.{SymtrainSeed.Slug(last)}@{domain}";
            for (var n = 2; !emails.Add(email); n++)
            {
                email = $"{SymtrainSeed.Slug(first)}.{SymtrainSeed.Slug(last)}{n}@{domain}";
            }

            var roll = faker.Random.Int(0, 9);
            var profile = roll == 0 ? "Instructor" : roll <= 2 ? "Guest" : "Trainee";
            var created = createdBase.AddDays(faker.Random.Int(0, 700)).AddSeconds(faker.Random.Int(0, 86_399)).AddTicks(faker.Random.Int(0, 9_999_999));
            users.Add(new SenarUser(
                NewGuid(faker), first, last, email, faker.PickRandom(Languages), accountName, faker.PickRandom(Countries),
                Format(created, DateTimeFormat7), profile));
        }

        var companies = Enumerable.Range(0, 8).Select(_ => faker.Company.CompanyName(0).Split(' ')[0]).ToArray();
        return new SenarSeed(owner, costCenter, domain, collections, users, companies);
    }

    public static string Format(DateTime value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>A version-4 GUID drawn from <paramref name="faker"/>'s seeded random, so it is reproducible.</summary>
    public static string NewGuid(Faker faker)
    {
        var bytes = faker.Random.Bytes(16);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // version 4
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(bytes).ToString("D");
    }

}
