using System.Text.Json;
using TrainingApis.IntegrationTests.Infrastructure;

namespace TrainingApis.IntegrationTests.Contract;

/// <summary>The stub files users may copy: every one loads, is a fallback (priority 5) and says whether its shape is known or assumed.</summary>
[Collection(WireMockCollection.Name)]
public sealed class MappingFilesTests(WireMockFixture fixture) : WireMockTest(fixture)
{
    [Fact]
    public async Task Every_mapping_file_is_loaded_with_a_name_a_fallback_priority_and_its_source()
    {
        var mappings = await Server.GetMappingsAsync();

        mappings.Should().HaveCount(Server.FileMappingCount);
        mappings.Should().HaveCountGreaterThanOrEqualTo(21, "one stub per endpoint of both APIs");
        foreach (var mapping in mappings)
        {
            var name = mapping.GetProperty("name").GetString();
            mapping.GetProperty("priority").GetInt32().Should().Be(5, $"{name} is a fallback that per-test stubs (priority 1) override");
            var source = mapping.GetProperty("metadata").GetProperty("source").GetString();
            source.Should().MatchRegex("^(known|assumed)", $"{name} says where its shape comes from");
        }
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
    public async Task Every_endpoint_has_a_file_stub(string method, string path)
    {
        var mappings = await Server.GetMappingsAsync();

        mappings.Should().Contain(m => Matches(m.GetProperty("request"), method, path));
    }

    [Fact]
    public async Task Stubs_sharing_an_endpoint_are_told_apart_by_patterns_that_wire_mock_net_imports_too()
    {
        // WireMock.Net's importer of WireMock.org mappings keeps url/urlPath, method, headers (equalTo, matches), the
        // FIRST body pattern (equalTo, matches, equalToJson) and the response; it drops priority, matchesJsonPath and
        // 'contains' (read as a wildcard). Stubs of one endpoint must differ by something it keeps.
        var mappings = await Server.GetMappingsAsync();

        foreach (var mapping in mappings)
        {
            var request = mapping.GetProperty("request");
            if (request.TryGetProperty("headers", out var headers))
            {
                foreach (var header in headers.EnumerateObject())
                {
                    header.Value.EnumerateObject().Select(m => m.Name).Should().OnlyContain(
                        name => name == "equalTo" || name == "matches", $"{mapping.GetProperty("name")} header {header.Name}");
                }
            }
        }

        var shared = mappings.GroupBy(m => (Method: m.GetProperty("request").GetProperty("method").GetString(), Path: m.GetProperty("request").GetProperty("urlPath").GetString()))
            .Where(g => g.Count() > 1);
        foreach (var group in shared)
        {
            var firstPatterns = group.Select(m => m.GetProperty("request").TryGetProperty("bodyPatterns", out var patterns)
                ? patterns.EnumerateArray().First().EnumerateObject().First()
                : default).ToList();
            firstPatterns.Should().OnlyContain(p => p.Name == "equalTo" || p.Name == "matches" || p.Name == "equalToJson", $"{group.Key} has several stubs");
            firstPatterns.Select(p => p.Value.ToString()).Should().OnlyHaveUniqueItems();
        }
    }

    private static bool Matches(JsonElement request, string method, string path) =>
        request.GetProperty("method").GetString() == method
        && request.TryGetProperty("urlPath", out var urlPath) && urlPath.GetString() == path;
}
