using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Senar.Client.Tests.TestSupport;
using TrainingApis.Core;

namespace Senar.Client.Tests.Json;

/// <summary>
/// Every Senar list (a bare JSON array), listed or streamed, refuses the same bad rows the same way: an
/// <see cref="ApiException"/> naming the row, never a null in the list or a value read from bytes that are not UTF-8.
/// </summary>
public sealed class ListRowFailureTests
{
    public static TheoryData<string> Lists => [.. Calls.Keys];

    private static readonly Dictionary<string, Func<SenarClient, Task<int>>> Calls = new()
    {
        ["Users.ListAsync"] = async c => (await c.Users.ListAsync()).Count,
        ["Users.StreamAsync"] = async c => (await c.Users.StreamAsync().ToListAsync()).Count,
        ["Activities.ListAsync"] = async c => (await c.Activities.ListAsync()).Count,
        ["Activities.StreamAsync"] = async c => (await c.Activities.StreamAsync().ToListAsync()).Count,
    };

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task A_null_row_is_refused_naming_its_row(string list)
    {
        var message = await FailAsync(list, "[{}, {}, null, {}]"u8.ToArray());

        message.Should().ContainEquivalentOf("row 3").And.Contain("null");
    }

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task A_row_of_another_JSON_type_is_refused_naming_its_row(string list)
    {
        var message = await FailAsync(list, "[{}, 42, {}]"u8.ToArray());

        message.Should().ContainEquivalentOf("row 2");
    }

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task A_root_that_is_not_an_array_is_refused(string list)
    {
        foreach (var body in new[] { "\"rows\"", "42", "null", "true" })
        {
            var message = await FailAsync(list, Encoding.UTF8.GetBytes(body));

            message.Should().Contain("list of", "the answer {0} is not a list", body);
        }
    }

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task A_truncated_body_is_refused_wherever_it_is_cut(string list)
    {
        var whole = Encoding.UTF8.GetBytes("""[{"id": 1}, {"id": 2, "extra": [1, {"a": "]"}]}]""");
        for (var length = 1; length < whole.Length; length++)
        {
            var message = await FailAsync(list, whole[..length]);

            message.Should().Contain("list of", "the body was cut after {0} bytes", length);
        }
    }

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task Text_that_is_not_UTF8_is_refused_even_in_a_field_the_model_does_not_read(string list)
    {
        byte[] body = [.. "[{}, {\"unknownField\": \""u8, 0xC3, 0x28, .. "\"}, {}]"u8];

        var message = await FailAsync(list, body);

        message.Should().Contain("UTF-8");
        if (list.EndsWith("StreamAsync", StringComparison.Ordinal))
        {
            message.Should().ContainEquivalentOf("row 2", "a stream names the row; a buffered list is checked whole, before any row is read");
        }
    }

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task Every_row_of_a_long_list_is_read_once_across_the_reader_buffers(string list)
    {
        const int rows = 5_000;
        var body = Encoding.UTF8.GetBytes("[" + string.Join(",", Enumerable.Range(1, rows).Select(i => $$"""{"n": {{i}}, "pad": "{{new string('x', i % 50)}}"}""")) + "]");
        using var client = new SenarFake(api: _ => Json(body)).CreateClient();

        (await Calls[list](client)).Should().Be(rows);
    }

    private static async Task<string> FailAsync(string list, byte[] body)
    {
        using var client = new SenarFake(api: _ => Json(body)).CreateClient();

        var act = () => Calls[list](client);

        return (await act.Should().ThrowAsync<ApiException>()).Which.Message;
    }

    private static HttpResponseMessage Json(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
    }
}
