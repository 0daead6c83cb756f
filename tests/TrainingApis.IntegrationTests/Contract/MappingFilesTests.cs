using System.Text.Json;
using TrainingApis.IntegrationTests.Infrastructure;
using TrainingApis.WireMock;
using WireMock.Admin.Mappings;

namespace TrainingApis.IntegrationTests.Contract;

/// <summary>
/// The stub files of the TrainingApis.WireMock package: every one loads, is a fallback (priority 5) and says whether its
/// shape is known or assumed.
/// </summary>
[Collection(WireMockCollection.Name)]
public sealed class MappingFilesTests(WireMockFixture fixture) : WireMockTest(fixture)
{
    [Fact]
    public void Every_mapping_file_is_loaded_with_a_name_a_fallback_priority_and_its_source()
    {
        var mappings = Server.Mappings;

        mappings.Should().HaveCount(TrainingApisStubServer.MappingFiles.Count, "one loaded mapping per file");
        mappings.Should().HaveCountGreaterThanOrEqualTo(21, "one stub per endpoint of both APIs");
        foreach (var mapping in mappings)
        {
            mapping.Title.Should().NotBeNullOrWhiteSpace();
            mapping.Priority.Should().Be(TrainingApisStubServer.FileStubPriority, $"{mapping.Title} is a fallback that per-test stubs (priority 1) override");
            mapping.Description.Should().MatchRegex("^(known|assumed)", $"{mapping.Title} says where its shape comes from");
        }
    }

    [Fact]
    public void The_mapping_files_are_wiremock_net_json_with_a_stable_guid()
    {
        TrainingApisStubServer.MappingFiles.Should().OnlyContain(name => name.StartsWith("symtrain/", StringComparison.Ordinal) || name.StartsWith("senar/", StringComparison.Ordinal));
        var before = Server.Mappings.Select(m => m.Guid).ToList();
        before.Should().OnlyHaveUniqueItems().And.NotContainNulls();
        Server.Add(Stub.For(RequestPattern.Get("/extra")).Returns(200));

        Server.Reset();

        Server.Mappings.Select(m => m.Guid).Should().BeEquivalentTo(before, "a reset drops per-test stubs and loads the same files again");
    }

    [Theory]
    [InlineData("POST", "/v2/report/syms-result")]
    [InlineData("POST", "/v2/report/user-results")]
    [InlineData("POST", "/v2/report/training-plan-result")]
    [InlineData("POST", "/v2/report/modules-results")]
    [InlineData("POST", "/v2/report/syms")]
    [InlineData("POST", "/v2/report/users")]
    [InlineData("POST", "/v2/report/teams-result")]
    [InlineData("POST", "/v2/access-api/simulation/deep-links")]
    [InlineData("POST", "/v2/access-api/simulation/completion-data")]
    [InlineData("POST", "/v2/access-api/simulation/library")]
    [InlineData("POST", "/v2/access-api/simulation/assignment")]
    [InlineData("POST", "/v2/access-api/user/token")]
    [InlineData("POST", "/v2/access-api/user/create")]
    [InlineData("POST", "/v2/access-api/user/bulk-import")]
    [InlineData("POST", "/v2/access-api/user/bulk-import/status")]
    [InlineData("POST", "/api/auth/login")]
    [InlineData("POST", "/integration/data/user_assign")]
    [InlineData("GET", "/integration/data/users")]
    [InlineData("GET", "/integration/data/activities")]
    [InlineData("POST", "/integration/data/webhook_register")]
    public void Every_endpoint_has_a_file_stub(string method, string path)
    {
        Server.Mappings.Should().Contain(m => m.Request.Methods!.Contains(method) && PathOf(m) == path);
    }

    [Fact]
    public void Stubs_sharing_an_endpoint_are_told_apart_by_their_body_matchers_and_use_only_minimal_matchers()
    {
        // The files load with WireMock.Net.Minimal alone (no MimePart, GraphQL or ProtoBuf package needed), and the
        // stubs of one endpoint (assign and unassign) differ by a body matcher, never by priority alone.
        string[] minimal = ["ExactMatcher", "RegexMatcher", "JsonPathMatcher", "JsonPartialMatcher"];
        var mappings = Server.Mappings;

        foreach (var mapping in mappings)
        {
            var matchers = (mapping.Request.Headers ?? []).SelectMany(h => h.Matchers ?? [])
                .Concat(mapping.Request.Body is { } body ? [.. body.Matchers ?? [], .. body.Matcher is null ? Array.Empty<MatcherModel>() : [body.Matcher]] : []);
            matchers.Select(m => m.Name).Should().OnlyContain(name => minimal.Contains(name), mapping.Title);
        }

        var shared = mappings.GroupBy(m => (Method: m.Request.Methods!.Single(), Path: PathOf(m))).Where(g => g.Count() > 1).ToList();
        shared.Should().ContainSingle().Which.Key.Path.Should().Be("/v2/access-api/simulation/assignment");
        foreach (var group in shared)
        {
            var bodies = group.Select(m => m.Request.Body?.Matcher is { } matcher ? JsonSerializer.Serialize(matcher.Pattern?.ToString()) : null).ToList();
            bodies.Should().NotContainNulls($"{group.Key} has several stubs").And.OnlyHaveUniqueItems();
        }
    }

    private static string? PathOf(MappingModel mapping) => mapping.Request.Path switch
    {
        string path => path,
        PathModel model => model.Matchers?.FirstOrDefault()?.Pattern?.ToString(),
        _ => null,
    };
}
