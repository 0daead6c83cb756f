namespace TrainingApis.Core.Http;

internal static class SecureTransport
{
    // Checked on every request as well as at start-up: a request may carry an absolute address of its own.
    public static void ThrowIfInsecure(HttpRequestMessage request)
    {
        if (request.RequestUri is { IsAbsoluteUri: true } uri && BaseAddressRules.GetProblem(uri) is { } problem)
        {
            throw new InvalidOperationException($"Refusing to send credentials: the request address {problem}");
        }
    }
}
