namespace TrainingApis.Sandbox.Data;

/// <summary>Hashes that are the same on every run, process and framework (unlike <see cref="string.GetHashCode()"/>).</summary>
internal static class StableHash
{
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public static ulong Combine(int seed, long a, long b = 0, long c = 0)
    {
        var h = Mix((ulong)(uint)seed + 0x9E3779B97F4A7C15UL);
        h = Mix(h ^ (ulong)a);
        h = Mix((h + 0x632BE59BD9B4E019UL) ^ (ulong)b);
        return Mix((h + 0x85157AF5UL) ^ (ulong)c);
    }

    /// <summary>FNV-1a over the characters of <paramref name="value"/>.</summary>
    public static long Of(string value)
    {
        var h = 14695981039346656037UL;
        foreach (var ch in value)
        {
            h ^= ch;
            h *= 1099511628211UL;
        }

        return (long)h;
    }
}
