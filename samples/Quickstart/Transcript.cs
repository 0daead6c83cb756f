using System.Globalization;
using System.Text.Json;
using Symtrain.Client.Reports;
using TrainingApis.Core;

namespace Quickstart;

/// <summary>Prints the walk-through: one line per call, counts and first rows, never a secret.</summary>
internal sealed class Transcript(TextWriter output)
{
    private const int NameWidth = 36;

    public int Succeeded { get; private set; }

    public int Failed { get; private set; }

    public int Skipped { get; private set; }

    public void Line(string text = "") => output.WriteLine(text);

    public void Section(string title)
    {
        output.WriteLine();
        output.WriteLine(title);
    }

    /// <summary>
    /// Runs one call and prints <c>ok</c> with what it returned, or <c>FAIL</c> with why. False when it failed.
    /// </summary>
    /// <exception cref="NetworkFailure">The call reached no service (after printing its FAIL line): the tour stops.</exception>
    public async Task<bool> StepAsync(string name, Func<Task<string>> call)
    {
        try
        {
            var result = await call();
            Succeeded++;
            Print("ok", name, result);
            return true;
        }
        catch (Exception ex) when (ex is ApiException or TimeoutException or HttpRequestException or ArgumentException or FormatException)
        {
            Failed++;
            Print("FAIL", name, Describe(ex));
            if (NetworkFailure.Is(ex))
            {
                throw new NetworkFailure(ex);
            }

            return false;
        }
    }

    public void Skip(string name, string reason)
    {
        Skipped++;
        Print("skip", name, reason);
    }

    public static string Describe(Exception ex) => ex switch
    {
        ApiRateLimitException limit => $"{limit.GetType().Name}: {limit.Message} (retry after {limit.RetryAfter?.TotalSeconds ?? 0:0} s)",
        ApiException api when api.StatusCode is { } status => $"{api.GetType().Name} ({(int)status}): {api.Message}",
        _ => $"{ex.GetType().Name}: {ex.Message}",
    };

    /// <summary>Up to two telling fields of a report row, e.g. <c>username=jane@…, simulationName=…, score=87.5</c>.</summary>
    public static string Summarize(ReportRow row)
    {
        string[] preferred = ["username", "teamName", "simulationName", "trainingPlanName", "moduleName", "score", "averageScore", "status", "date"];
        var names = preferred.Where(row.Contains).Take(2).ToList();
        if (names.Count == 0)
        {
            names = row.FieldNames.Take(2).ToList();
        }

        return string.Join(", ", names.Select(name => $"{name}={Value(row, name)}"));
    }

    public static string Clip(string? text, int length = 48) =>
        text is null ? "(none)" : text.Length <= length ? text : string.Concat(text.AsSpan(0, length - 1), "…");

    /// <summary>A link with query values shortened and the value of <paramref name="secretParameter"/> masked (a user access token is a secret).</summary>
    public static string Link(Uri? link, string secretParameter = "token")
    {
        if (link is null)
        {
            return "(none)";
        }

        var query = link.Query.TrimStart('?');
        if (query.Length == 0)
        {
            return link.ToString();
        }

        var parts = query.Split('&').Select(part =>
            part.Split('=', 2) is [var name, var value]
                ? name + "=" + (string.Equals(name, secretParameter, StringComparison.OrdinalIgnoreCase) ? "***" : Clip(value, 16))
                : part);
        return link.GetLeftPart(UriPartial.Path) + "?" + string.Join("&", parts);
    }

    public static string Count(long count, string noun) =>
        string.Create(CultureInfo.InvariantCulture, $"{count:N0} {(count == 1 ? noun : noun.EndsWith('y') ? noun[..^1] + "ies" : noun + "s")}");

    private static string Value(ReportRow row, string name) =>
        row.TryGetValue(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => Clip(value.GetString(), 26),
                JsonValueKind.Null => "null",
                _ => Clip(value.GetRawText(), 26),
            }
            : "(none)";

    private void Print(string outcome, string name, string detail) =>
        output.WriteLine($"  {outcome,-4}  {name.PadRight(NameWidth)} {detail}");
}
