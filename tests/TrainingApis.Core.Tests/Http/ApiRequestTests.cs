using TrainingApis.Core.Http;

namespace TrainingApis.Core.Tests.Http;

public sealed class ApiRequestTests
{
    [Fact]
    public void Markers_are_off_until_set()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://api.test/v1/x");

        request.IsNonIdempotent().Should().BeFalse();
        request.IsStreaming().Should().BeFalse();
        request.MarkNonIdempotent().MarkStreaming().Should().BeSameAs(request);
        request.IsNonIdempotent().Should().BeTrue();
        request.IsStreaming().Should().BeTrue();
    }

    [Fact]
    public void The_operation_defaults_to_the_path()
    {
        using var absolute = new HttpRequestMessage(HttpMethod.Get, "https://api.test/v1/x?token=abc");
        using var relative = new HttpRequestMessage(HttpMethod.Get, new Uri("v1/y?token=abc", UriKind.Relative));
        using var none = new HttpRequestMessage();

        absolute.GetOperation().Should().Be("/v1/x");
        absolute.WithOperation("Things.Get").GetOperation().Should().Be("Things.Get");
        relative.GetSafePath().Should().Be("v1/y");
        absolute.GetSafePath().Should().Be("/v1/x");
        none.GetSafePath().Should().BeEmpty();
        none.GetOperation().Should().Be("unknown");
    }
}
