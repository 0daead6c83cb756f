using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using SenarWebhookReceiver;

namespace TrainingApis.Sandbox.Tests;

/// <summary>The webhook receiver sample: a secret path, a body limit, bounded logging, and 400s without stack traces.</summary>
public sealed class WebhookReceiverSampleTests
{
    private const string Activity = """{"id":81001,"scenarioId":"S03","scenarioName":"Night shift lift","traineeEmail":"a@example.com","totalPoints":1850,"totalMaxPoints":2000}""";

    private static readonly string Token = HookEndpoint.NewToken();

    private readonly FakeLogger<DeliveryLog> _logger = new();

    // Each record as "Level: message", the form the assertions read.
    private List<string> Lines => [.. _logger.Collector.GetSnapshot().Select(r => $"{r.Level}: {r.Message}")];

    private async Task<(DefaultHttpContext Context, string Answer, CountingStream Body)> PostAsync(string? token, byte[] body, bool sendLength = true, long? claimedLength = null)
    {
        var hook = new HookEndpoint(Token);
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.RouteValues["token"] = token;
        var stream = new CountingStream(body);
        context.Request.Body = stream;
        context.Request.ContentLength = claimedLength ?? (sendLength ? body.Length : null);
        context.Response.Body = new MemoryStream();

        await hook.HandleAsync(context, new DeliveryLog(_logger));

        return (context, Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray()), stream);
    }

    [Fact]
    public async Task A_delivery_to_the_secret_path_is_logged()
    {
        var (context, _, _) = await PostAsync(Token, Encoding.UTF8.GetBytes(Activity));

        context.Response.StatusCode.Should().Be(StatusCodes.Status200OK);
        Lines.Should().ContainSingle().Which.Should().Contain("Night shift lift");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("wrong")]
    public async Task A_post_without_the_token_is_not_found_and_its_body_is_not_read(string? token)
    {
        var (context, answer, body) = await PostAsync(token, Encoding.UTF8.GetBytes(Activity));
        var nearMiss = await PostAsync(Token[..^1] + (Token[^1] == 'A' ? 'B' : 'A'), Encoding.UTF8.GetBytes(Activity));

        context.Response.StatusCode.Should().Be(StatusCodes.Status404NotFound);
        nearMiss.Context.Response.StatusCode.Should().Be(StatusCodes.Status404NotFound);
        body.BytesRead.Should().Be(0);
        answer.Should().NotContain(Token);
        var tokenStart = Token[..8];
        Lines.Should().OnlyContain(line => line.Contains("unknown hook path") && !line.Contains(tokenStart));
    }

    [Fact]
    public async Task A_body_over_the_limit_is_a_413_before_it_is_read_when_its_length_is_sent()
    {
        // The 10 MiB post of the report, announced by its Content-Length (the body itself need not exist: it is never read).
        var (context, _, body) = await PostAsync(Token, Encoding.UTF8.GetBytes(Activity), claimedLength: 10 * 1024 * 1024);

        context.Response.StatusCode.Should().Be(StatusCodes.Status413PayloadTooLarge);
        body.BytesRead.Should().Be(0);
        Lines.Should().ContainSingle();
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_is_a_413_after_reading_no_more_than_the_limit()
    {
        var items = string.Join(",", Enumerable.Repeat(Activity, 2_000)); // About 280 KB, four times the limit.
        var (context, _, body) = await PostAsync(Token, Encoding.UTF8.GetBytes("[" + items + "]"), sendLength: false);

        context.Response.StatusCode.Should().Be(StatusCodes.Status413PayloadTooLarge);
        body.BytesRead.Should().BeLessThanOrEqualTo(HookEndpoint.MaxBodyBytes + 1);
        Lines.Should().ContainSingle("one refused delivery is one log line, not 76,000");
    }

    [Fact]
    public async Task A_large_delivery_within_the_limit_logs_a_bounded_number_of_lines()
    {
        var items = string.Join(",", Enumerable.Repeat(Activity, 300));
        var (context, _, _) = await PostAsync(Token, Encoding.UTF8.GetBytes("[" + items + "]"));

        context.Response.StatusCode.Should().Be(StatusCodes.Status200OK);
        Lines.Should().HaveCount(DeliveryLog.MaxItemsLogged + 1);
        Lines[^1].Should().Contain("290 more").And.Contain("300 items");
    }

    [Theory]
    [InlineData("{")]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("""{"unrelated":true}""")]
    [InlineData("\"\\uD800\"")]
    public async Task A_body_that_is_not_a_senar_payload_is_a_400_with_the_reason_and_no_stack_trace(string body)
    {
        var (context, answer, _) = await PostAsync(Token, Encoding.UTF8.GetBytes(body));

        context.Response.StatusCode.Should().Be(StatusCodes.Status400BadRequest);
        answer.Should().NotBeEmpty().And.NotContain("   at ").And.NotContain("Exception");
        Lines.Should().ContainSingle().Which.Should().StartWith("Warning");
    }

    [Fact]
    public void The_token_is_generated_unguessable_or_configured_long_enough_and_never_shown()
    {
        static ReceiverSettings Settings(string? token) => ReceiverSettings.From(
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Receiver:HookToken"] = token }).Build(), []);

        var generated = Settings(null);
        var again = Settings(null);
        var configured = Settings("abcdefghijklmnopqrstuvwxyz012345");

        generated.HookToken.Should().HaveLength(43).And.NotBe(again.HookToken);
        configured.HookToken.Should().Be("abcdefghijklmnopqrstuvwxyz012345");
        configured.ToString().Should().NotContain("abcdefghij");
        Settings("short").Problem.Should().Contain("at least 32");
        Settings("abcdefghijklmnopqrstuvwxyz01234/").Problem.Should().Contain("A-Z");
        new HookEndpoint(Token).Path.Should().Be("/hooks/senar/" + Token);
    }

    /// <summary>Serves <paramref name="content"/> in small reads and counts what was read.</summary>
    private sealed class CountingStream(byte[] content) : MemoryStream(content)
    {
        public long BytesRead { get; private set; }

        public override int Read(byte[] buffer, int offset, int count) => Counted(base.Read(buffer, offset, Math.Min(count, 4096)));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var chunk = new byte[Math.Min(buffer.Length, 4096)];
            var read = Read(chunk, 0, chunk.Length);
            chunk.AsSpan(0, read).CopyTo(buffer.Span);
            return ValueTask.FromResult(read);
        }

        private int Counted(int read)
        {
            BytesRead += read;
            return read;
        }
    }
}
