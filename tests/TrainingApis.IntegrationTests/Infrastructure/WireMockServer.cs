using System.Diagnostics;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace TrainingApis.IntegrationTests.Infrastructure;

/// <summary>
/// The WireMock standalone server (Java), started on a free loopback port with the stubs of Mappings/ and stopped when
/// disposed. On Linux and macOS it runs under a watchdog shell that kills it when this process's end of its standard
/// input closes, so a crashed or killed test run leaves no java process behind.
/// </summary>
public sealed partial class WireMockServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly HttpClient _admin;

    private WireMockServer(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        _admin = new HttpClient { BaseAddress = new Uri(baseAddress, "/__admin/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseAddress { get; }

    public static async Task<WireMockServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var jar = typeof(WireMockServer).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "WireMockJar").Value!;
        if (!File.Exists(jar))
        {
            throw new InvalidOperationException($"The WireMock jar is missing ({Path.GetFileName(jar)}); build the test project to restore it with npm ci.");
        }

        var root = Path.Combine(AppContext.BaseDirectory, "wiremock");
        var javaArgs = new[] { "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar, "--port", "0", "--bind-address", "127.0.0.1", "--root-dir", root, "--disable-banner" };
        var start = OperatingSystem.IsWindows()
            ? new ProcessStartInfo("java")
            : new ProcessStartInfo("/bin/sh");
        if (OperatingSystem.IsWindows())
        {
            foreach (var arg in javaArgs)
            {
                start.ArgumentList.Add(arg);
            }
        }
        else
        {
            // Watchdog: java runs in the background; when our end of stdin closes (dispose, crash, kill), cat returns and java is killed.
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("java \"$@\" </dev/null & pid=$!; trap 'kill $pid 2>/dev/null' EXIT; cat >/dev/null; kill $pid 2>/dev/null; wait $pid");
            start.ArgumentList.Add("wiremock");
            foreach (var arg in javaArgs)
            {
                start.ArgumentList.Add(arg);
            }
        }

        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;

        var process = Process.Start(start) ?? throw new InvalidOperationException("java could not be started.");
        var port = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                port.TrySetException(new InvalidOperationException($"WireMock exited before reporting its port (Java 17 or later must be on the PATH; see docs/testing.md). Output: {output}"));
                return;
            }

            lock (output)
            {
                output.AppendLine(e.Data);
            }

            var match = PortLine().Match(e.Data);
            if (match.Success)
            {
                port.TrySetResult(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (output)
                {
                    output.AppendLine(e.Data);
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            var chosen = await port.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
            var server = new WireMockServer(process, new Uri($"http://127.0.0.1:{chosen}"));
            await server.WaitUntilReadyAsync(cancellationToken);
            await server.CheckFileMappingsAsync(root);
            return server;
        }
        catch
        {
            Kill(process);
            throw;
        }
    }

    /// <summary>The number of mapping files under Mappings/ that this server loaded at start.</summary>
    public int FileMappingCount { get; private set; }

    /// <summary>Restores the file mappings, resets scenarios and clears the request journal.</summary>
    public async Task ResetAsync()
    {
        using (var mappings = await _admin.PostAsync("mappings/reset", null))
        {
            mappings.EnsureSuccessStatusCode();
        }

        using (var scenarios = await _admin.PostAsync("scenarios/reset", null))
        {
            scenarios.EnsureSuccessStatusCode();
        }

        using var journal = await _admin.DeleteAsync("requests");
        journal.EnsureSuccessStatusCode();
    }

    /// <summary>The stub mappings the server holds now (file stubs and per-test stubs).</summary>
    public async Task<IReadOnlyList<JsonElement>> GetMappingsAsync()
    {
        var json = await _admin.GetFromJsonAsync<JsonElement>("mappings");
        return [.. json.GetProperty("mappings").EnumerateArray().Select(m => m.Clone())];
    }

    /// <summary>Adds a per-test stub (priority 1 unless set otherwise, so it wins over the file stubs).</summary>
    public Task StubAsync(Stub stub)
    {
        ArgumentNullException.ThrowIfNull(stub);
        return StubAsync(stub.ToJson());
    }

    /// <summary>Counts the received requests matching <paramref name="pattern"/>.</summary>
    public Task<int> CountAsync(RequestPattern pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        return CountAsync(pattern.ToJson());
    }

    /// <summary>The current state of a scenario ("Started" until a stub moves it).</summary>
    public async Task<string?> GetScenarioStateAsync(string scenario)
    {
        var json = await _admin.GetFromJsonAsync<JsonElement>("scenarios");
        return json.GetProperty("scenarios").EnumerateArray()
            .Where(s => s.GetProperty("name").GetString() == scenario)
            .Select(s => s.GetProperty("state").GetString())
            .FirstOrDefault();
    }

    /// <summary>Moves a scenario to <paramref name="state"/>: the test plays the server's side of an event (a token expiring).</summary>
    public async Task SetScenarioStateAsync(string scenario, string state)
    {
        using var content = new StringContent(new JsonObject { ["state"] = state }.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        using var response = await _admin.PutAsync($"scenarios/{Uri.EscapeDataString(scenario)}/state", content);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"WireMock refused to set scenario '{scenario}' to '{state}' ({(int)response.StatusCode}): {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>Adds a stub mapping (WireMock JSON) for the current test.</summary>
    public async Task StubAsync(JsonNode mapping)
    {
        using var content = new StringContent(mapping.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        using var response = await _admin.PostAsync("mappings", content);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"WireMock refused the mapping ({(int)response.StatusCode}): {body}");
        }
    }

    /// <summary>The requests WireMock received, oldest first.</summary>
    public async Task<IReadOnlyList<ReceivedRequest>> GetRequestsAsync(string? urlPath = null)
    {
        var json = await _admin.GetFromJsonAsync<JsonElement>("requests");
        // The journal lists the newest first; reversing keeps the arrival order of requests logged in the same millisecond.
        return [.. json.GetProperty("requests").EnumerateArray()
            .Select(r => ReceivedRequest.From(r.GetProperty("request")) with
            {
                ResponseStatus = r.TryGetProperty("response", out var response) && response.TryGetProperty("status", out var status) ? status.GetInt32() : 0,
            })
            .Where(r => urlPath is null || r.Path == urlPath)
            .Reverse()
            .OrderBy(r => r.LoggedDate)];
    }

    /// <summary>Counts the received requests matching a WireMock request pattern (e.g. with equalToJson).</summary>
    public async Task<int> CountAsync(JsonNode requestPattern)
    {
        using var content = new StringContent(requestPattern.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        using var response = await _admin.PostAsync("requests/count", content);
        response.EnsureSuccessStatusCode();
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        return json.GetProperty("count").GetInt32();
    }

    /// <summary>Requests that matched no stub: a contract drift shows here first.</summary>
    public async Task<IReadOnlyList<ReceivedRequest>> GetUnmatchedAsync()
    {
        var json = await _admin.GetFromJsonAsync<JsonElement>("requests/unmatched");
        return json.GetProperty("requests").EnumerateArray().Select(ReceivedRequest.From).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        _admin.Dispose();
        Kill(_process);
        await Task.CompletedTask;
    }

    private static void Kill(Process process)
    {
        try
        {
            process.StandardInput.Close(); // The watchdog kills java.
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException)
        {
        }

        try
        {
            if (!process.WaitForExit(5000))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        process.Dispose();
    }

    // A build that copied the stubs elsewhere would leave WireMock answering 404 to everything: fail at start instead.
    private async Task CheckFileMappingsAsync(string root)
    {
        var files = Directory.Exists(Path.Combine(root, "mappings"))
            ? Directory.GetFiles(Path.Combine(root, "mappings"), "*.json", SearchOption.AllDirectories).Length
            : 0;
        var loaded = (await GetMappingsAsync()).Count;
        if (files == 0 || loaded != files)
        {
            throw new InvalidOperationException($"WireMock loaded {loaded} mappings from {files} files under its root's mappings/ folder; check the Mappings/ copy in the test project.");
        }

        FileMappingCount = files;
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < 300; i++)
        {
            try
            {
                using var response = await _admin.GetAsync("health", cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100, cancellationToken); // Polling a starting process, not waiting out a window.
        }

        throw new TimeoutException("WireMock did not answer its admin API within 30 seconds.");
    }

    [GeneratedRegex(@"^port:\s+(\d+)")]
    private static partial Regex PortLine();
}
