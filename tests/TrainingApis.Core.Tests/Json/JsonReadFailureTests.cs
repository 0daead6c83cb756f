using System.Text;
using System.Text.Json;
using TrainingApis.Core.Json;
using TrainingApis.Core.Tests.TestSupport;

namespace TrainingApis.Core.Tests.Json;

public sealed class JsonReadFailureTests
{
    [Theory]
    [InlineData("""[{"id":1},{"id":null}]""", "row 2: a type mismatch at $[1].id: expected a number, found null")]
    [InlineData("""[{"id":1},{"id":2},{"id":"x"}]""", "row 3: a type mismatch at $[2].id: Either the JSON value is not in a supported format, or is out of bounds for an Int32.")]
    [InlineData("""[{"id":{}}]""", "row 1: a type mismatch at $[0].id: expected a number, found an object")]
    [InlineData("""[{"id":1,"name":5}]""", "row 1: a type mismatch at $[0].name: expected a string, found a number")]
    [InlineData("""[{"id":99999999999}]""", "row 1: a type mismatch at $[0].id: ")]
    public void A_type_mismatch_in_a_buffered_list_names_the_row_the_path_and_the_types(string json, string expected)
    {
        var act = () => JsonSerializer.Deserialize(json, TestJsonContext.Default.ListTestRow);

        JsonReadFailure.Describe(act.Should().Throw<JsonException>().Which).Should().StartWith(expected);
    }

    [Theory]
    [InlineData("""[{"id":1},{"id":tru}]""", "row 2: invalid JSON at line 1, byte 20 (in $[1].id)")]
    [InlineData("{\"id\":1,\n\"name\":}", "invalid JSON at line 2, byte 8 (in $.name)")]
    [InlineData("{", "invalid JSON at line 1, byte 2")]
    public void Bad_syntax_is_invalid_JSON_with_its_line_and_byte(string json, string expected)
    {
        var list = () => JsonSerializer.Deserialize(json, TestJsonContext.Default.ListTestRow);
        var one = () => JsonSerializer.Deserialize(json, TestJsonContext.Default.TestRow);

        var exception = json.StartsWith('[') ? list.Should().Throw<JsonException>().Which : one.Should().Throw<JsonException>().Which;

        JsonReadFailure.Describe(exception).Should().Be(expected, "the reader's words quote the body and are left out");
    }

    [Fact]
    public async Task A_streamed_row_names_its_row_number_and_its_own_path()
    {
        var bytes = Encoding.UTF8.GetBytes("""[{"id":1},{"id":2},{"id":3},{"id":null}]""");
        var rows = new List<TestRow>();

        // Reads of 10 bytes: the rows of earlier reads are handed over before the failure (docs/wire-format.md).
        var act = async () =>
        {
            await foreach (var row in JsonRowReader.ReadAsync(new ChunkedStream(bytes, [10]), TestJsonContext.Default.TestRow))
            {
                rows.Add(row);
            }
        };

        var exception = (await act.Should().ThrowAsync<JsonException>()).Which;
        JsonReadFailure.Describe(exception).Should().Be("row 4: a type mismatch at $.id: expected a number, found null");
        rows.Should().HaveCount(3, "the rows before the bad one are kept");
    }

    [Fact]
    public void Other_failures_keep_their_type_and_message()
    {
        JsonReadFailure.Describe(new InvalidOperationException("Cannot read invalid UTF-16 JSON text."))
            .Should().Be("InvalidOperationException: Cannot read invalid UTF-16 JSON text.");
        JsonReadFailure.Describe(new JsonException("The row is null.")).Should().Be("The row is null.");
    }

    [Theory]
    [InlineData(typeof(int), "Int32")]
    [InlineData(typeof(int?), "Int32")]
    [InlineData(typeof(List<TestRow>), "list of TestRow")]
    [InlineData(typeof(TestRow[]), "list of TestRow")]
    [InlineData(typeof(IReadOnlyList<string>), "list of String")]
    [InlineData(typeof(Dictionary<string, int>), "Dictionary<String, Int32>")]
    public void Type_names_read_as_a_reader_would_say_them(Type type, string expected)
    {
        JsonReadFailure.Name(type).Should().Be(expected);
    }
}
