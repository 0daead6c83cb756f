using System.Globalization;

namespace TrainingApis.Sandbox.Symtrain;

/// <summary>
/// <c>POST /v2/report/{report}</c>: <c>{"startDate", "endDate", "page"?, "pageSize"?}</c> → <c>{"page", "pageSize",
/// "total", "results": [...]}</c>, 1-based pages of at most <see cref="MaxPageSize"/> rows, streamed.
/// </summary>
internal static class ReportEndpoint
{
    public const int DefaultPageSize = 1000;
    public const int MaxPageSize = 5000;

    public static async Task HandleAsync(HttpContext context, SandboxRuntime runtime)
    {
        var name = context.Request.RouteValues["report"] as string ?? string.Empty;
        var report = ReportGenerator.IndexOf(name);
        if (report < 0)
        {
            await Http.Responses.SymtrainErrorAsync(
                context,
                StatusCodes.Status404NotFound,
                $"Report '{name}' does not exist. Reports: {string.Join(", ", ReportGenerator.ReportNames)}.");
            return;
        }

        using var request = await SymtrainEndpoints.ReadAsync(context);
        if (request is null)
        {
            return;
        }

        var start = request.Date("startDate");
        var end = request.Date("endDate");
        var page = request.Int("page", required: false, 1, int.MaxValue) ?? 1;
        var pageSize = request.Int("pageSize", required: false, 1, MaxPageSize) ?? DefaultPageSize;
        var maxDays = runtime.Options.MaxReportRangeDays;
        if (start is { } s && end is { } e)
        {
            if (s > e)
            {
                request.AddProblem("endDate", $"startDate ({Format(s)}) must not be after endDate ({Format(e)}).");
            }
            else if (e.DayNumber - s.DayNumber + 1 > maxDays)
            {
                request.AddProblem(
                    "endDate",
                    $"The range {Format(s)} to {Format(e)} spans {e.DayNumber - s.DayNumber + 1} days; at most {maxDays} days (3 months) are allowed.");
            }
        }

        if (await SymtrainEndpoints.RejectIfInvalidAsync(context, request))
        {
            return;
        }

        var today = DateOnly.FromDateTime(runtime.Time.GetUtcNow().UtcDateTime);
        var generator = runtime.Reports;
        var total = generator.Total(report, start!.Value, end!.Value, today);
        var skip = (long)(page - 1) * pageSize;

        await using var stream = new Http.JsonStreamWriter(context);
        var writer = stream.Writer;
        writer.WriteStartObject();
        writer.WriteNumber("page", page);
        writer.WriteNumber("pageSize", pageSize);
        writer.WriteNumber("total", total);
        writer.WriteStartArray("results");
        var written = 0;
        long position = 0;
        var day = start.Value;
        while (written < pageSize)
        {
            var count = generator.Count(report, day, today);
            if (position + count > skip)
            {
                var first = (int)Math.Max(0, skip - position);
                for (var index = first; index < count && written < pageSize; index++)
                {
                    generator.WriteRow(writer, report, day, index);
                    written++;
                    await stream.FlushIfNeededAsync();
                }
            }

            position += count;

            // Stop on the last day before stepping past it: the day after the range may not exist.
            if (day >= end.Value)
            {
                break;
            }

            day = day.AddDays(1);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await stream.CompleteAsync();
    }

    private static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
