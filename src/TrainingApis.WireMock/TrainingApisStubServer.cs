using WireMock.Logging;
using WireMock.Server;
using WireMock.Settings;

namespace TrainingApis.WireMock;

/// <summary>
/// A WireMock.Net server, in process on a free loopback port, with every endpoint of the Symtrain v2 and Senar APIs
/// stubbed from the mapping files this package carries (WireMock.Net's JSON mapping format, listed in
/// <see cref="MappingFiles"/>). Point <c>SymtrainClientOptions.BaseAddress</c> at <see cref="SymtrainBaseAddress"/> and
/// <c>SenarClientOptions.BaseAddress</c> at <see cref="SenarBaseAddress"/>, call, and read what the server received
/// with <see cref="ReceivedRequests(string?)"/>.
/// </summary>
/// <remarks>
/// The file stubs are at priority 5, so a stub a test adds through <see cref="Server"/> (WireMock.Net's default
/// priority is 0) answers in their place. Both APIs share the one server: their paths do not overlap
/// (<c>/v2/…</c> for Symtrain, <c>/api/auth/login</c> and <c>/integration/data/…</c> for Senar). The stubs accept any
/// <c>Bearer</c> token and any JSON body with the fields an endpoint needs; each mapping's <c>Description</c> says whether
/// its response is the vendor's published example (<c>known</c>) or a shape this repository decided (<c>assumed</c>).
/// </remarks>
public sealed class TrainingApisStubServer : IDisposable
{
    /// <summary>The priority of every file stub (WireMock.Net picks the lowest number first; its default is 0).</summary>
    public const int FileStubPriority = 5;

    private const string ResourcePrefix = "TrainingApis.WireMock.Mappings.";

    private static readonly Lazy<IReadOnlyDictionary<string, string>> Mappings = new(ReadMappings);
    private static readonly Lazy<HashSet<Guid>> MappingGuids = new(() => [.. Mappings.Value.Values.Select(GuidOf)]);

    private TrainingApisStubServer(WireMockServer server)
    {
        Server = server;
        Url = server.Url ?? throw new InvalidOperationException("WireMock.Net started without a URL.");
        var address = new Uri(Url);
        SymtrainBaseAddress = address;
        SenarBaseAddress = address;
        AddFileStubs();
    }

    /// <summary>
    /// The names of the mapping files, relative to the package's <c>Mappings/</c> folder (for example
    /// <c>symtrain/report-users.json</c>), in ordinal order: one or more per endpoint of both APIs.
    /// </summary>
    public static IReadOnlyList<string> MappingFiles => [.. Mappings.Value.Keys];

    /// <summary>The underlying WireMock.Net server: add per-test stubs with <c>Server.Given(…)</c>, read its log, set scenario states.</summary>
    public WireMockServer Server { get; }

    /// <summary>The server's root URL, <c>http://127.0.0.1:{port}</c>.</summary>
    public string Url { get; }

    /// <summary>The base address for <c>SymtrainClientOptions.BaseAddress</c> (plain http is accepted for loopback hosts).</summary>
    public Uri SymtrainBaseAddress { get; }

    /// <summary>The base address for <c>SenarClientOptions.BaseAddress</c> (the same server as <see cref="SymtrainBaseAddress"/>).</summary>
    public Uri SenarBaseAddress { get; }

    /// <summary>Starts a stub server on a free port of 127.0.0.1, with WireMock.Net's logging off.</summary>
    /// <returns>The started server; dispose it to stop it.</returns>
    public static TrainingApisStubServer Start() => Start(new WireMockServerSettings());

    /// <summary>
    /// Starts a stub server with WireMock.Net settings of your own (for example middleware through
    /// <see cref="WireMockServerSettings.PreWireMockMiddlewareInit"/>, or a fixed port). Unless the settings say
    /// otherwise, it listens on a free port of 127.0.0.1 and WireMock.Net's logging is off.
    /// </summary>
    /// <param name="settings">The settings; <see cref="WireMockServerSettings.ReadStaticMappings"/> is left as given.</param>
    /// <returns>The started server; dispose it to stop it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="settings"/> is null.</exception>
    public static TrainingApisStubServer Start(WireMockServerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Urls is null && settings.Port is null)
        {
            settings.Urls = ["http://127.0.0.1:0"];
        }

        settings.Logger ??= new WireMockNullLogger();
        var server = WireMockServer.Start(settings);
        try
        {
            return new TrainingApisStubServer(server);
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Back to the state after <see cref="Start()"/>: the file stubs only (stubs added since are removed), every scenario
    /// at its start, the request log empty.
    /// </summary>
    public void Reset()
    {
        // The file stubs stay as they are (WireMock.Net compiles their regular expressions once); the others go.
        foreach (var mapping in Server.Mappings.Where(m => !MappingGuids.Value.Contains(m.Guid)).ToList())
        {
            Server.DeleteMapping(mapping.Guid);
        }

        if (Server.Mappings.Count(m => MappingGuids.Value.Contains(m.Guid)) != MappingGuids.Value.Count)
        {
            AddFileStubs();
        }

        Server.ResetScenarios();
        Server.ResetLogEntries();
    }

    /// <summary>
    /// The requests the server received since it started or was last <see cref="Reset"/>, oldest first, answered by a
    /// stub or not (an unmatched request is answered 404).
    /// </summary>
    /// <param name="path">When given, only the requests to this exact path (for example <c>/v2/report/users</c>).</param>
    /// <returns>The requests, each with its method, path, headers, body and the status it was answered with.</returns>
    public IReadOnlyList<ReceivedStubRequest> ReceivedRequests(string? path = null) =>
    [
        .. Server.LogEntries
            .Where(entry => entry.RequestMessage is not null)
            .Where(entry => path is null || string.Equals(entry.RequestMessage!.Path, path, StringComparison.Ordinal))
            .OrderBy(entry => entry.RequestMessage!.DateTime)
            .Select(ReceivedStubRequest.From),
    ];

    /// <summary>Stops the server.</summary>
    public void Dispose() => Server.Dispose();

    private void AddFileStubs()
    {
        foreach (var json in Mappings.Value.Values)
        {
            Server.WithMapping(json);
        }
    }

    private static Guid GuidOf(string mapping)
    {
        using var json = System.Text.Json.JsonDocument.Parse(mapping);
        return json.RootElement.GetProperty("Guid").GetGuid();
    }

    private static SortedDictionary<string, string> ReadMappings()
    {
        var assembly = typeof(TrainingApisStubServer).Assembly;
        var mappings = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            mappings[name[ResourcePrefix.Length..].Replace('\\', '/')] = reader.ReadToEnd();
        }

        return mappings.Count > 0 ? mappings : throw new InvalidOperationException($"{assembly.GetName().Name} carries no stub mappings.");
    }
}
