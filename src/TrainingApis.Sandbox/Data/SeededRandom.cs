namespace TrainingApis.Sandbox.Data;

/// <summary>
/// A small SplitMix64 generator. Seeded from stable hashes of (seed, kind, day, index), it makes any row of any list
/// reproducible on its own, so large lists are generated lazily and never held in memory.
/// </summary>
internal struct SeededRandom
{
    private ulong _state;

    public SeededRandom(ulong seed)
    {
        _state = seed;
    }

    public static SeededRandom For(int seed, long a, long b = 0, long c = 0) => new(StableHash.Combine(seed, a, b, c));

    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return StableHash.Mix(_state);
    }

    /// <summary>A value in [0, <paramref name="maxExclusive"/>).</summary>
    public int Next(int maxExclusive) => maxExclusive <= 0 ? 0 : (int)(NextUInt64() % (ulong)maxExclusive);

    /// <summary>A value in [<paramref name="min"/>, <paramref name="maxExclusive"/>).</summary>
    public int Next(int min, int maxExclusive) => min + Next(maxExclusive - min);

    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public bool Chance(double probability) => NextDouble() < probability;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>A score rounded to one decimal in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public double Score(double min, double max) => Math.Round(min + (NextDouble() * (max - min)), 1);
}
