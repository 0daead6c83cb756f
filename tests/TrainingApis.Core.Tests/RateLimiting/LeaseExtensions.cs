using System.Threading.RateLimiting;
using TrainingApis.Core.RateLimiting;

namespace TrainingApis.Core.Tests.RateLimiting;

internal static class LeaseExtensions
{
    /// <summary>Gives a <see cref="QuotaLease"/> back unused (the lease of a request that was never sent).</summary>
    public static void ReturnUnused(this RateLimitLease lease) => ((QuotaLease)lease).ReturnUnused();
}
