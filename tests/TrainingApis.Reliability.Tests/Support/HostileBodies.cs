using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace TrainingApis.Reliability.Tests.Support;

/// <summary>A generated response: body, status, content type and an optional Retry-After header, with the kind that made it.</summary>
internal sealed record HostileResponse(string Kind, byte[] Body, int Status, string? ContentType, string? RetryAfter);

/// <summary>
/// Generates hostile response bodies from a valid one, from a seeded <see cref="Random"/>: truncated JSON, wrong types,
/// nulls, huge numbers, deep nesting, invalid UTF-8, bodies over the size cap, random bytes, HTML, empty bodies and more.
/// </summary>
internal sealed class HostileBodies(Random random, int oversizeBytes)
{
    private static readonly string[] Kinds =
    [
        "valid", "truncated", "wrong-types", "nulls", "huge-numbers", "deep-nesting", "invalid-utf8", "oversize",
        "random-bytes", "html", "empty", "wrong-root", "byte-flips", "garbage-tail", "error-status",
    ];

    private static readonly int[] ErrorStatuses = [400, 401, 403, 404, 408, 409, 422, 429, 500, 502, 503, 504, 418, 302, 204];

    private static readonly string?[] RetryAfters = [null, "-1", "0", "1", "99999999999999999999", "abc", "Thu, 01 Jan 1970 00:00:00 GMT", "Fri, 31 Dec 9999 23:59:59 GMT", "1.5", " "];

    private static readonly string?[] ContentTypes =
    [
        "application/json", "application/json; charset=utf-8", "text/html", null, "application/json; charset=utf-16",
        "application/json; charset=not-a-charset", "text/plain; charset=\"\"",
    ];

    public static IReadOnlyList<string> AllKinds => Kinds;

    public HostileResponse Next(string template)
    {
        var kind = Kinds[random.Next(Kinds.Length)];
        var status = 200;
        string? retryAfter = null;
        var body = kind switch
        {
            "valid" => Utf8(template),
            "truncated" => Truncate(Utf8(template)),
            "wrong-types" => Utf8(Mutate(template, WrongType)),
            "nulls" => Utf8(Mutate(template, _ => null)),
            "huge-numbers" => Utf8(Mutate(template, _ => Huge())),
            "deep-nesting" => DeepNesting(template),
            "invalid-utf8" => InvalidUtf8(Utf8(template)),
            "oversize" => Oversize(template),
            "random-bytes" => RandomBytes(random.Next(0, 2048)),
            "html" => Utf8("<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>"),
            "empty" => Utf8(random.Next(3) switch { 0 => string.Empty, 1 => "   \r\n\t ", _ => "\uFEFF" }),
            "wrong-root" => Utf8(WrongRoot()),
            "byte-flips" => FlipBytes(Utf8(template)),
            "garbage-tail" => Utf8(template + random.Next(4) switch { 0 => "}{", 1 => " trailing", 2 => "]", _ => "\0" }),
            _ => ErrorBody(),
        };

        if (kind == "error-status")
        {
            status = ErrorStatuses[random.Next(ErrorStatuses.Length)];
            retryAfter = RetryAfters[random.Next(RetryAfters.Length)];
        }
        else if (random.Next(10) == 0)
        {
            // Some hostile bodies come with an error status too.
            status = ErrorStatuses[random.Next(ErrorStatuses.Length)];
        }

        var contentType = random.Next(4) == 0 ? ContentTypes[random.Next(ContentTypes.Length)] : "application/json";
        return new HostileResponse(kind, body, status, contentType, retryAfter);
    }

    /// <summary>A body larger than <paramref name="bytes"/>: the template padded with a long string (objects) or repeated (arrays).</summary>
    public static byte[] Pad(string template, int bytes)
    {
        var node = JsonNode.Parse(template);
        if (node is JsonArray array && array.Count > 0)
        {
            var item = array[0]!.ToJsonString();
            var text = new StringBuilder("[");
            while (text.Length < bytes)
            {
                text.Append(item).Append(',');
            }

            text.Append(item).Append(']');
            return Utf8(text.ToString());
        }

        if (node is JsonObject obj)
        {
            obj["padding"] = new string('x', bytes);
            return Utf8(obj.ToJsonString());
        }

        return Utf8(template + new string(' ', bytes));
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private byte[] Truncate(byte[] body) => body.Length == 0 ? body : body[..random.Next(body.Length)];

    private string Mutate(string template, Func<JsonNode?, JsonNode?> replace)
    {
        var root = JsonNode.Parse(template);
        var targets = new List<(JsonNode Parent, object Key)>();
        Collect(root, targets);
        if (targets.Count == 0)
        {
            return template;
        }

        // Replace one value, several, or every one.
        var count = random.Next(3) switch { 0 => 1, 1 => random.Next(1, targets.Count + 1), _ => targets.Count };
        foreach (var (parent, key) in targets.OrderBy(_ => random.Next()).Take(count))
        {
            if (parent is JsonObject obj && key is string name)
            {
                obj[name] = replace(obj[name]);
            }
            else if (parent is JsonArray arr && key is int index)
            {
                arr[index] = replace(arr[index]);
            }
        }

        return root?.ToJsonString() ?? "null";
    }

    private static void Collect(JsonNode? node, List<(JsonNode, object)> targets)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj.ToList())
                {
                    targets.Add((obj, name));
                    Collect(value, targets);
                }

                break;
            case JsonArray arr:
                for (var i = 0; i < arr.Count; i++)
                {
                    targets.Add((arr, i));
                    Collect(arr[i], targets);
                }

                break;
        }
    }

    private JsonNode? WrongType(JsonNode? current) => (current?.GetValueKind(), random.Next(6)) switch
    {
        (_, 0) => JsonValue.Create(random.Next(-5, 5) * 1.5),
        (_, 1) => JsonValue.Create("not-what-you-expected"),
        (_, 2) => JsonValue.Create(random.Next(2) == 0),
        (_, 3) => new JsonArray(JsonValue.Create(1), JsonValue.Create("x"), null),
        (_, 4) => new JsonObject { ["unexpected"] = new JsonObject { ["nested"] = 1 } },
        _ => null,
    };

    private JsonNode Huge() => random.Next(6) switch
    {
        0 => JsonNode.Parse("1e400")!,
        1 => JsonNode.Parse("-1e400")!,
        2 => JsonNode.Parse("123456789012345678901234567890123456789012345678901234567890")!,
        3 => JsonNode.Parse("-9223372036854775809")!,
        4 => JsonNode.Parse("1.7976931348623157e309")!,
        _ => JsonValue.Create(new string('9', 5000)),
    };

    private byte[] DeepNesting(string template)
    {
        var depth = random.Next(2) == 0 ? 70 : 5000;
        var open = random.Next(2) == 0 ? "[" : "{\"a\":";
        var close = open == "[" ? "]" : "}";
        var nested = string.Concat(Enumerable.Repeat(open, depth)) + "1" + string.Concat(Enumerable.Repeat(close, depth));
        if (random.Next(2) == 0)
        {
            return Utf8(nested);
        }

        // Nested inside an otherwise valid body.
        return Utf8(Mutate(template, _ => null).Replace("null", nested, StringComparison.Ordinal));
    }

    private byte[] InvalidUtf8(byte[] body)
    {
        var bytes = body.ToList();
        byte[][] bad = [[0xC3, 0x28], [0xFF], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xC0, 0xAF]];
        var quote = bytes.IndexOf((byte)'"');
        var at = quote >= 0 ? quote + 1 : random.Next(bytes.Count + 1);
        bytes.InsertRange(Math.Min(at, bytes.Count), bad[random.Next(bad.Length)]);
        return [.. bytes];
    }

    private byte[] Oversize(string template) => Pad(template, oversizeBytes + random.Next(1, 4096));

    private byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private string WrongRoot() => random.Next(9) switch
    {
        0 => "\"a string\"",
        1 => "42",
        2 => "null",
        3 => "true",
        4 => "[]",
        5 => "{}",
        6 => "[null, null]",
        7 => "NaN",
        _ => "{\"a\":1,\"a\":2}",
    };

    private byte[] FlipBytes(byte[] body)
    {
        var copy = (byte[])body.Clone();
        for (var i = 0; i < 1 + random.Next(5) && copy.Length > 0; i++)
        {
            copy[random.Next(copy.Length)] = (byte)random.Next(256);
        }

        return copy;
    }

    private byte[] ErrorBody() => random.Next(5) switch
    {
        0 => Utf8("{\"message\":\"boom\",\"errors\":[{\"field\":\"startDate\",\"message\":\"bad\"}]}"),
        1 => Utf8("{\"message\":null,\"errors\":\"not-a-list\"}"),
        2 => Utf8("{\"errors\":[null,1,\"x\",{\"field\":5}]}"),
        3 => RandomBytes(random.Next(0, 512)),
        _ => Utf8(string.Create(CultureInfo.InvariantCulture, $"{{\"message\":\"{new string('m', 100_000)}\"}}")),
    };
}
