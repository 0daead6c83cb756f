using System.Threading.RateLimiting;
using TrainingApis.Core.RateLimiting;

namespace TrainingApis.Core.Tests;

internal static class LeaseExtensions
{
    /// <summary>Gives a <see cref="QuotaLease"/> back unused (the lease of a request that was never sent). In the root test namespace so every test sees it.</summary>
    public static void ReturnUnused(this RateLimitLease lease) => ((QuotaLease)lease).ReturnUnused();
}
