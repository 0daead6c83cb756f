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

if (args is not ["--scaling", ..])
{
    Console.Error.WriteLine("usage: TrainingApis.Redis.Scaling --scaling [instances=3] [calls=1000] [limit=100] [window-ms=1000] | worker …");
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
using var garnet = new GarnetServer(["--bind", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--lua", "--lua-transaction-mode", "--memory", "64m", "--index", "16m"]);
garnet.Start();
await using var sandbox = await TrainingSandbox.StartAsync(new TrainingSandboxOptions
{
    SymtrainApiKey = "scaling-" + Guid.NewGuid().ToString("N"),
    SymtrainQuotaLimit = limit,
    SymtrainQuotaWindow = window,
});

var result = await ScalingRun.RunAsync($"127.0.0.1:{port}", sandbox.BaseAddress, sandbox.SymtrainApiKey, sandbox.OrganizationId, sandbox.TraineeUsername, instances, calls, limit, window, TimeSpan.FromMinutes(30));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
    instances (OS processes): {instances} (pids {string.Join(", ", result.ProcessIds)})
    calls: {result.Sends.Count} ({calls} per instance), limit {limit} per {window.TotalMilliseconds:0} ms
    max sent in any window span: {result.MaxInAnySpan()}
    429 from the sandbox: {result.TooManyRequests}
    sending time: {result.SendingTime.TotalSeconds:0.00} s (minimum {(Math.Ceiling(result.Sends.Count / (double)limit) - 1) * window.TotalSeconds:0.00} s), whole run {result.Elapsed.TotalSeconds:0.00} s
    utilisation: {result.Utilisation(limit):0.000}
    """));
return result.MaxInAnySpan() <= limit && result.TooManyRequests == 0 ? 0 : 1;

