using System.Text.Json;
using TrainingApis.Core.Tests.TestSupport;

namespace TrainingApis.Core.Tests.Json;

public sealed class FlexibleStringConverterTests
{
    [Theory]
    [InlineData("{\"code\":\"abc\"}", "abc")]
    [InlineData("{\"code\":42}", "42")]
    [InlineData("{\"code\":-3.50}", "-3.50")]
    [InlineData("{\"code\":1e3}", "1e3")]
    [InlineData("{\"code\":12345678901234567890123}", "12345678901234567890123")]
    [InlineData("{\"code\":true}", "true")]
    [InlineData("{\"code\":false}", "false")]
    [InlineData("{\"code\":null}", null)]
    [InlineData("{\"code\":\"\"}", "")]
    public void A_string_or_a_scalar_is_read_as_its_text(string json, string? expected)
    {
        JsonSerializer.Deserialize(json, TestJsonContext.Default.TestTimes)!.Code.Should().Be(expected);
    }

    [Theory]
    [InlineData("{\"code\":{}}")]
    [InlineData("{\"code\":[1]}")]
    public void An_object_or_array_is_a_JsonException(string json)
    {
        var act = () => JsonSerializer.Deserialize(json, TestJsonContext.Default.TestTimes);

        act.Should().Throw<JsonException>();
    }

    [Fact]
    public async Task A_number_split_across_reads_is_read_whole()
    {
        var json = "{\"code\":" + new string('7', 40) + "}";
        using var stream = new ChunkedStream(System.Text.Encoding.UTF8.GetBytes(json), [1, 2, 3]);

        var value = await JsonSerializer.DeserializeAsync(stream, TestJsonContext.Default.TestTimes);

        value!.Code.Should().Be(new string('7', 40));
    }

    [Fact]
    public void Values_are_written_as_strings()
    {
        JsonSerializer.Serialize(new TestTimes { Code = "42" }, TestJsonContext.Default.TestTimes).Should().Contain("\"code\":\"42\"");
    }
}
