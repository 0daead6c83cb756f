using System.Net;
using Senar.Client;
using Senar.Client.Users;
using Symtrain.Client;
using TrainingApis.Core;
using TrainingApis.Core.RateLimiting;
using TrainingApis.Reliability.Tests.Support;
using TrainingApis.Testing;

namespace TrainingApis.Reliability.Tests;

/// <summary>
/// 1,000 operations cancelled at seeded random points — before the start, in the request, in the retry backoff, in the
/// quota wait, in the token refresh, in a bulk import poll wait, mid-stream — in fake time. Every one ends with
/// <see cref="OperationCanceledException"/>; afterwards every quota permit is back, no timer is armed and no request is
/// still running.
/// </summary>
public sealed class CancellationTests(ITestOutputHelper output)
{
    private const int Seed = 8_2026;
    private const int Operations = 1_000;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);
    private static readonly RateLimitOptions Quota = new() { PermitLimit = 3, Window = Window, QueueLimit = 10 };
    private static readonly DateRange Day = new(new DateOnly(2024, 1, 1), new DateOnly(2024, 1, 1));

    private enum Point
    {
        BeforeStart,
        InRequest,
        InBackoff,
        InQuotaWait,
        InTokenRefresh,
        InPollWait,
        MidStream,
    }

    [Fact]
    public async Task Every_cancelled_operation_ends_cancelled_and_leaves_nothing_behind()
    {
        var random = new Random(Seed);
        var points = Enum.GetValues<Point>();
        var counts = points.ToDictionary(p => p, _ => 0);
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < Operations; i++)
        {
            var point = points[random.Next(points.Length)];
            counts[point]++;
            var scenario = new Scenario(random);
            try
            {
                await scenario.RunAsync(point);
            }
            catch (Exception ex)
            {
                throw new InvalidOperationException($"Operation {i} cancelled {point} ({scenario.Operation}) did not end cleanly.", ex);
            }
        }

        stopwatch.Stop();
        output.WriteLine(
            $"FIGURE cancellation: {Operations} operations (seed {Seed}) cancelled {string.Join(", ", counts.Select(c => $"{c.Key} {c.Value}"))}: " +
            $"{Operations} x OperationCanceledException, 0 permits missing, 0 timers armed, 0 requests running after; {stopwatch.Elapsed.TotalSeconds:0.0} s");
        counts.Values.Should().OnlyContain(c => c > 50);
    }

    /// <summary>One operation on a fresh fake clock (so one fresh quota limiter and token cache), cancelled at one point.</summary>
    private sealed class Scenario
    {
        private readonly Random _random;
        private readonly FakeTimeProvider _time = FakeTime.Create();
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly CancellationTokenSource _cts = new();
        private int _running;

        public Scenario(Random random)
        {
            _random = random;
            Handler = new FakeHttpHandler(RespondAsync);
        }

        public string Operation { get; private set; } = "(none)";

        private FakeHttpHandler Handler { get; }

        private Func<RecordedRequest, int, CancellationToken, Task<HttpResponseMessage>> Respond { get; set; } = (_, _, _) => Task.FromResult(FakeHttpHandler.JsonResponse("{}"));

        public async Task RunAsync(Point point)
        {
            if (point == Point.InTokenRefresh)
            {
                await RunSenarAsync();
                return;
            }

            using var client = new SymtrainClient(
                new SymtrainClientOptions
                {
                    ApiKey = "cancel-key",
                    RateLimit = Quota,
                    Timeout = Timeout.InfiniteTimeSpan,
                    AttemptTimeout = Timeout.InfiniteTimeSpan,
                    Retry = new RetryOptions { MaxRetries = 3, BaseDelay = TimeSpan.FromSeconds(1) },
                },
                Handler,
                _time);
            var limiter = QuotaLimiterRegistry.For(_time).GetOrCreate("symtrain", "cancel-key", Quota);
            var held = new List<System.Threading.RateLimiting.RateLimitLease>();
            Func<CancellationToken, Task> operation = Pick(client);
            Func<Task> reached;
            switch (point)
            {
                case Point.BeforeStart:
                    _cts.Cancel();
                    reached = () => Task.CompletedTask;
                    break;
                case Point.InRequest:
                    Respond = Hang;
                    reached = async () =>
                    {
                        await _entered.Task;
                        limiter.InFlightCount.Should().Be(1, "the hanging request holds a permit");
                    };
                    break;
                case Point.InBackoff:
                    // A 429 is retried for every request, the non-idempotent bulk import included; a 503 only for the others.
                    Respond = (_, n, ct) => n == 0 ? Task.FromResult(TooManyRequests()) : Hang(null!, n, ct);
                    reached = () => Until(() => Handler.Count == 1 && _time.ActiveTimerCount == 1);
                    break;
                case Point.InQuotaWait:
                    for (var i = 0; i < Quota.PermitLimit; i++)
                    {
                        held.Add(await limiter.AcquireAsync());
                    }

                    reached = () => Until(() => limiter.QueuedCount == 1);
                    break;
                case Point.InPollWait:
                    Respond = (_, _, _) => Task.FromResult(FakeHttpHandler.JsonResponse("""{"taskId":"t1","status":"STARTED"}"""));
                    operation = ct => client.Users.WaitForBulkImportAsync("org", "t1", ct);
                    Operation = "Users.WaitForBulkImport";
                    reached = () => Until(() => Handler.Count == 1 && _time.ActiveTimerCount == 1);
                    break;
                default:
                    var rows = _random.Next(1, 40);
                    Respond = (_, _, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
                    {
                        Content = new StreamContent(new BlockingJsonStream("[" + string.Join(",", Enumerable.Repeat("""{"userId":"u1","score":1}""", rows)))),
                    });
                    var cancelAfter = _random.Next(1, rows + 1);
                    Operation = $"Reports.StreamReport (cancelled after row {cancelAfter} of {rows})";
                    operation = async ct =>
                    {
                        var read = 0;
                        await foreach (var _ in client.Reports.StreamReportAsync(SymtrainReport.Users, Day, ct))
                        {
                            if (++read == cancelAfter)
                            {
                                await _cts.CancelAsync();
                            }
                        }
                    };
                    reached = () => Task.CompletedTask;
                    break;
            }

            var task = operation(_cts.Token);
            await reached().WaitAsync(TimeSpan.FromSeconds(30));
            await _cts.CancelAsync();
            await FluentActions.Awaiting(() => task).Should().ThrowAsync<OperationCanceledException>();
            held.ForEach(lease => lease.Dispose());

            await Until(() => Volatile.Read(ref _running) == 0 && limiter.InFlightCount == 0);
            _time.Advance(Window);
            ShouldBeFull(limiter);
        }

        private async Task RunSenarAsync()
        {
            using var client = new SenarClient(
                new SenarClientOptions
                {
                    Username = "cancel@senar.example",
                    Password = "Passw0rd",
                    RateLimit = Quota,
                    Timeout = TimeSpan.FromMinutes(1),
                    AttemptTimeout = Timeout.InfiniteTimeSpan,
                    Retry = new RetryOptions { MaxRetries = 0 },
                },
                Handler,
                _time);
            var limiter = QuotaLimiterRegistry.For(_time).GetOrCreate("senar", "https://studio.senar.io/\u001fcancel@senar.example", Quota);
            Respond = Hang; // The login hangs.
            Func<CancellationToken, Task>[] operations =
            [
                ct => client.Auth.LoginAsync(ct),
                ct => client.Users.ListAsync(ct),
                ct => client.Activities.ListAsync(ct),
                ct => client.Users.AssignCollectionAsync(new UserAssignment { Email = "a@b.example", FirstName = "A", LastName = "B", Password = "Passw0rd", Organization = "O", CollectionId = 1 }, ct),
            ];
            var pick = _random.Next(operations.Length);
            Operation = $"Senar operation {pick} waiting for the login";
            var task = operations[pick](_cts.Token);
            await _entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
            limiter.InFlightCount.Should().Be(1, "the login holds a permit");
            await _cts.CancelAsync();
            await FluentActions.Awaiting(() => task).Should().ThrowAsync<OperationCanceledException>();

            // The shared login is not the caller's to cancel (other callers may wait for it): it ends at its own timeout.
            // Its unwinding (the handler, then the permit's release) runs on the thread pool: wait for the permit to be back.
            _time.Advance(TimeSpan.FromMinutes(1));
            await Until(() => Volatile.Read(ref _running) == 0 && limiter.InFlightCount == 0);
            _time.Advance(Window);
            ShouldBeFull(limiter);
        }

        private Func<CancellationToken, Task> Pick(SymtrainClient client)
        {
            Func<CancellationToken, Task>[] operations =
            [
                ct => client.Users.CreateAccessTokenAsync("org", "u1", ct),
                ct => client.Access.GetCompletionDataAsync("org", "u1", "sim-1", ct),
                ct => client.Reports.GetUsersAsync(Day, ct),
                ct => client.Access.UnassignSimulationAsync("org", "u1", "sim-1", ct),
                ct => client.Users.BulkImportAsync("org", [new() { FirstName = "A", LastName = "B", Email = "a@b.example" }], ct),
            ];
            var pick = _random.Next(operations.Length);
            Operation = $"Symtrain operation {pick}";
            return operations[pick];
        }

        private HttpResponseMessage TooManyRequests()
        {
            var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(_random.Next(1, 30)));
            return response;
        }

        private void ShouldBeFull(QuotaLimiter limiter)
        {
            limiter.AvailablePermits.Should().Be(limiter.PermitLimit);
            limiter.InFlightCount.Should().Be(0);
            limiter.QueuedCount.Should().Be(0);
            _time.ActiveTimerCount.Should().Be(0, "no timer (backoff, quota, poll, timeout) is left armed");
        }

        private async Task<HttpResponseMessage> RespondAsync(HttpRequestMessage request, RecordedRequest recorded, int n, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _running);
            try
            {
                return await Respond(recorded, n, cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _running);
            }
        }

        private async Task<HttpResponseMessage> Hang(RecordedRequest recorded, int n, CancellationToken cancellationToken)
        {
            _entered.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("Unreachable.");
        }

        /// <summary>Lets other threads make progress until <paramref name="condition"/> holds (never waits out fake time).</summary>
        private static async Task Until(Func<bool> condition)
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!condition())
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException("The condition never held.");
                }

                await Task.Delay(1);
            }
        }
    }
}
