using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Senar.Client.Activities;
using Senar.Client.Json;
using Senar.Client.Users;

namespace Senar.Client.Webhooks;

/// <summary>
/// A webhook delivery from Senar, read by a receiver: one user or activity object, or an array of them.
/// </summary>
/// <remarks>
/// Senar publishes no payload format; the SDK assumes the objects of the users and activities lists. Which of the two a
/// delivery holds is told by its fields: an object with an activity field (<c>scenarioId</c>, <c>trainingDate</c>,
/// <c>simulatorId</c>, <c>traineeId</c>, …) is an activity; otherwise one with a user field (<c>creationDate</c>,
/// <c>profile</c>, <c>language</c>, <c>countryName</c>) is a user. Anything else throws
/// <see cref="SenarWebhookPayloadException"/>.
/// </remarks>
public sealed class SenarWebhookPayload
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    private static readonly string[] ActivityFields =
        ["scenarioId", "trainingDate", "simulatorId", "traineeId", "scenarioName", "totalPoints", "totalMaxPoints", "simulatorTitle", "collectionTitle", "traineeEmail"];

    private static readonly string[] UserFields = ["creationDate", "profile", "language", "countryName"];

    private SenarWebhookPayload(SenarWebhookPayloadKind kind, bool isArray, IReadOnlyList<SenarUser> users, IReadOnlyList<SenarActivity> activities)
    {
        Kind = kind;
        IsArray = isArray;
        Users = users;
        Activities = activities;
    }

    /// <summary>Whether the delivery holds users, activities, or nothing (an empty array).</summary>
    public SenarWebhookPayloadKind Kind { get; }

    /// <summary>Whether the delivery was a JSON array (false: a single object).</summary>
    public bool IsArray { get; }

    /// <summary>The users delivered; empty unless <see cref="Kind"/> is <see cref="SenarWebhookPayloadKind.Users"/>.</summary>
    public IReadOnlyList<SenarUser> Users { get; }

    /// <summary>The activities delivered; empty unless <see cref="Kind"/> is <see cref="SenarWebhookPayloadKind.Activities"/>.</summary>
    public IReadOnlyList<SenarActivity> Activities { get; }

    /// <summary>How many objects the delivery held.</summary>
    public int Count => Users.Count + Activities.Count;

    /// <summary>Reads a delivery from its JSON text.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="SenarWebhookPayloadException">The text is not a Senar payload.</exception>
    public static SenarWebhookPayload Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            // A body decoded with its UTF-8 byte order mark keeps it as U+FEFF, which the parser calls invalid JSON.
            document = JsonDocument.Parse(json.AsMemory(json.StartsWith('\uFEFF') ? 1 : 0), DocumentOptions);
        }
        catch (JsonException ex)
        {
            // The text's first characters as UTF-8 show a second byte order mark.
            throw NotJson(ex, System.Text.Encoding.UTF8.GetBytes(json[..Math.Min(json.Length, 4)]));
        }

        return FromDocument(document);
    }

    /// <summary>Reads a delivery from its UTF-8 bytes (a leading byte order mark is ignored).</summary>
    /// <exception cref="SenarWebhookPayloadException">The bytes are not a Senar payload.</exception>
    public static SenarWebhookPayload Parse(ReadOnlySpan<byte> utf8Json) => ParseUtf8(utf8Json.ToArray());

    /// <summary>Reads a delivery from a UTF-8 stream (a request body), to its end. The stream is not disposed.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="utf8Json"/> is null.</exception>
    /// <exception cref="SenarWebhookPayloadException">The stream is not a Senar payload.</exception>
    public static SenarWebhookPayload Parse(Stream utf8Json)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        using var body = new MemoryStream();
        utf8Json.CopyTo(body);
        return ParseUtf8(body.GetBuffer().AsMemory(0, (int)body.Length));
    }

    /// <summary>Reads a delivery from a UTF-8 stream (a request body), to its end, asynchronously. The stream is not disposed.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="utf8Json"/> is null.</exception>
    /// <exception cref="SenarWebhookPayloadException">The stream is not a Senar payload.</exception>
    public static async Task<SenarWebhookPayload> ParseAsync(Stream utf8Json, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        using var body = new MemoryStream();
        await utf8Json.CopyToAsync(body, cancellationToken).ConfigureAwait(false);
        return ParseUtf8(body.GetBuffer().AsMemory(0, (int)body.Length));
    }

    /// <summary>Reads a delivery from its JSON text; false (and null) instead of an exception when it is not a Senar payload.</summary>
    public static bool TryParse(string? json, [NotNullWhen(true)] out SenarWebhookPayload? payload)
    {
        payload = null;
        if (json is null)
        {
            return false;
        }

        try
        {
            payload = Parse(json);
            return true;
        }
        catch (SenarWebhookPayloadException)
        {
            return false;
        }
    }

    private static SenarWebhookPayload FromRoot(JsonElement root)
    {
        switch (root.ValueKind)
        {
            case JsonValueKind.Object:
                return Classify(root, null) == SenarWebhookPayloadKind.Activities
                    ? new(SenarWebhookPayloadKind.Activities, false, [], [ReadActivity(root, null)])
                    : new(SenarWebhookPayloadKind.Users, false, [ReadUser(root, null)], []);

            case JsonValueKind.Array:
                var kind = SenarWebhookPayloadKind.Empty;
                var index = 0;
                foreach (var item in root.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.Object)
                    {
                        throw new SenarWebhookPayloadException($"Item {index} of the webhook payload is a JSON {Describe(item.ValueKind)}, not an object.");
                    }

                    var itemKind = Classify(item, index);
                    if (kind != SenarWebhookPayloadKind.Empty && itemKind != kind)
                    {
                        throw new SenarWebhookPayloadException(
                            $"The webhook payload mixes users and activities: item {index} is {One(itemKind)}, the items before it are {Describe(kind)}.");
                    }

                    kind = itemKind;
                    index++;
                }

                return kind switch
                {
                    SenarWebhookPayloadKind.Activities => new(kind, true, [], root.EnumerateArray().Select((item, i) => ReadActivity(item, i)).ToArray()),
                    SenarWebhookPayloadKind.Users => new(kind, true, root.EnumerateArray().Select((item, i) => ReadUser(item, i)).ToArray(), []),
                    _ => new(SenarWebhookPayloadKind.Empty, true, [], []),
                };

            default:
                throw new SenarWebhookPayloadException($"The webhook payload is a JSON {Describe(root.ValueKind)}; expected a user or activity object, or an array of them.");
        }
    }

    private static SenarWebhookPayloadKind Classify(JsonElement item, int? index)
    {
        if (HasAny(item, ActivityFields))
        {
            return SenarWebhookPayloadKind.Activities;
        }

        if (HasAny(item, UserFields))
        {
            return SenarWebhookPayloadKind.Users;
        }

        throw new SenarWebhookPayloadException(
            $"{Subject(index)} is neither a Senar user (creationDate, profile, …) nor a Senar activity (scenarioId, trainingDate, …).");
    }

    private static bool HasAny(JsonElement item, string[] names)
    {
        foreach (var property in item.EnumerateObject())
        {
            foreach (var name in names)
            {
                if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static SenarActivity ReadActivity(JsonElement item, int? index) =>
        Read(item, index, "activity", static element => element.Deserialize(SenarJsonContext.Default.SenarActivity));

    private static SenarUser ReadUser(JsonElement item, int? index) =>
        Read(item, index, "user", static element => element.Deserialize(SenarJsonContext.Default.SenarUser));

    private static T Read<T>(JsonElement item, int? index, string what, Func<JsonElement, T?> read)
        where T : class
    {
        try
        {
            return read(item) ?? throw new SenarWebhookPayloadException($"{Subject(index)} is null.");
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or OverflowException && ex is not SenarWebhookPayloadException)
        {
            throw new SenarWebhookPayloadException($"{Subject(index)} looks like a Senar {what} but cannot be read: {TrainingApis.Core.Json.JsonReadFailure.Describe(ex)}.", ex);
        }
    }

    private static string Subject(int? index) => index is { } i ? $"Item {i} of the webhook payload" : "The webhook payload";

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private static string Describe(SenarWebhookPayloadKind kind) => kind == SenarWebhookPayloadKind.Activities ? "activities" : "users";

    private static string One(SenarWebhookPayloadKind kind) => kind == SenarWebhookPayloadKind.Activities ? "an activity" : "a user";

    // JsonDocument accepts some invalid UTF-8 inside strings and fails only when they are read as text: that is a bad
    // payload too, not an InvalidOperationException for the receiver.
    private static SenarWebhookPayload FromDocument(JsonDocument document)
    {
        using (document)
        {
            try
            {
                return FromRoot(document.RootElement);
            }
            catch (InvalidOperationException ex)
            {
                throw new SenarWebhookPayloadException("The webhook payload is not valid UTF-8 JSON text.", ex);
            }
        }
    }

    // The bytes are read in place (a whole body, kept while the document lives); a leading byte order mark is skipped.
    private static SenarWebhookPayload ParseUtf8(ReadOnlyMemory<byte> utf8Json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json[(utf8Json.Span.StartsWith("\uFEFF"u8) ? 3 : 0)..], DocumentOptions);
        }
        catch (JsonException ex)
        {
            throw NotJson(ex, utf8Json.Span);
        }

        return FromDocument(document);
    }

    // A second byte order mark, or a UTF-16 or UTF-32 one, is named: "line 1, byte 1" alone does not say what to fix.
    private static SenarWebhookPayloadException NotJson(JsonException ex, ReadOnlySpan<byte> start)
    {
        var where = ex.LineNumber is { } line ? $" (line {line + 1}, byte {ex.BytePositionInLine + 1})" : string.Empty;
        var why = TrainingApis.Core.Json.JsonReadFailure.DescribeStart(start) is { } cause ? $": it {cause}" : string.Empty;
        return new SenarWebhookPayloadException($"The webhook payload is not valid JSON{where}{why}.", ex);
    }
}
