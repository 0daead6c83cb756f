using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Garnet;
using TrainingApis.Redis.Scaling;
using TrainingApis.Sandbox;

if (args is ["worker", ..])
{
    return await Worker.RunAsync(args);
}

// --redis host:port: a server of one's own (a redis-server started by hand) instead of Garnet in process.
// --dump file: every send as "<sent ticks> <answered ticks> <status>", sorted, for a closer look.
var dumpAt = Array.IndexOf(args, "--dump");
var dump = dumpAt >= 0 && dumpAt + 1 < args.Length ? args[dumpAt + 1] : null;
args = dump is null ? args : [.. args[..dumpAt], .. args[(dumpAt + 2)..]];
var redisAt = Array.IndexOf(args, "--redis");
var external = redisAt >= 0 && redisAt + 1 < args.Length ? args[redisAt + 1] : null;
args = external is null ? args : [.. args[..redisAt], .. args[(redisAt + 2)..]];
if (args is not ["--scaling", ..])
{
    Console.Error.WriteLine("usage: TrainingApis.Redis.Scaling --scaling [instances=3] [calls=1000] [limit=100] [window-ms=1000] [--redis host:port] | worker …");
    return 2;
}

int Arg(int index, int fallback) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;
var (instances, calls, limit) = (Arg(1, 3), Arg(2, 1000), Arg(3, 100));
var window = TimeSpan.FromMilliseconds(Arg(4, 1000));

// Garnet in process, Lua scripts atomic (transaction mode), and the sandbox holding the same limit per window.
var probe = new TcpListener(IPAddress.Loopback, 0);
probe.Start();
var port = ((IPEndPoint)probe.LocalEndpoint).Port;
probe.Stop();
using var garnet = external is null
    ? new GarnetServer(["--bind", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--lua", "--lua-transaction-mode", "--memory", "64m", "--index", "16m"])
    : null;
garnet?.Start();
await using var sandbox = await TrainingSandbox.StartAsync(new TrainingSandboxOptions
{
    SymtrainApiKey = "scaling-" + Guid.NewGuid().ToString("N"),
    SymtrainQuotaLimit = limit,
    SymtrainQuotaWindow = window,
});

var result = await ScalingRun.RunAsync(external ?? $"127.0.0.1:{port}", sandbox.BaseAddress, sandbox.SymtrainApiKey, sandbox.OrganizationId, sandbox.TraineeUsername, instances, calls, limit, window, TimeSpan.FromMinutes(30));
if (dump is not null)
{
    await File.WriteAllLinesAsync(dump, result.Sends.OrderBy(s => s.SentAt).Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.SentAt.Ticks} {s.AnsweredAt.Ticks} {s.Status}")));
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
    server: {(external is null ? "Garnet in process" : external)}
    instances (OS processes): {instances} (pids {string.Join(", ", result.ProcessIds)})
    calls: {result.Sends.Count} ({calls} per instance), limit {limit} per {window.TotalMilliseconds:0} ms
    max sent in any window span: {result.MaxInAnySpan()}
    429 from the sandbox: {result.TooManyRequests}
    sending time: {result.SendingTime.TotalSeconds:0.00} s (minimum {(Math.Ceiling(result.Sends.Count / (double)limit) - 1) * window.TotalSeconds:0.00} s), whole run {result.Elapsed.TotalSeconds:0.00} s
    utilisation: {result.Utilisation(limit):0.000}
    mean request time (send to answer): {result.MeanRequestTime.TotalMilliseconds:0.0} ms; mean overhead per window: {result.MeanOverheadPerWindow(limit).TotalMilliseconds:0.0} ms
    utilisation counting the request time (minimum {(Math.Ceiling(result.Sends.Count / (double)limit) - 1) * (window + result.MeanRequestTime).TotalSeconds:0.00} s): {result.UtilisationCountingRequestTime(limit):0.000}
    """));
return result.MaxInAnySpan() <= limit && result.TooManyRequests == 0 ? 0 : 1;

