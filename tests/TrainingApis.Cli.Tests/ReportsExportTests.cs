using CsvHelper;
using Symtrain.Client;
using TrainingApis.Core;

namespace TrainingApis.Cli.Tests;

public sealed class ReportsExportTests(CliSandboxFixture fixture) : IClassFixture<CliSandboxFixture>
{
    // Three windows of at most 180 days: 180 + 180 + 40.
    private static readonly DateRange Range = new(new DateOnly(2024, 1, 1), new DateOnly(2025, 2, 3));

    private static string[] Export(params string[] more) =>
        ["symtrain", "reports", "export", "--from", Range.StartText, "--to", Range.EndText, "--out", "out", "--sandbox", .. more];

    [Fact]
    public async Task An_out_folder_that_is_a_file_is_a_usage_error_before_any_request()
    {
        var run = new CliRun(fixture.Sandbox);
        await File.WriteAllTextAsync(run.PathOf("reports.csv"), "kept");

        var result = await run.RunAsync(["symtrain", "reports", "export", "--report", "users", "--from", "2025-01-01", "--to", "2025-01-10", "--out", "reports.csv", "--sandbox"]);

        result.ExitCode.Should().Be(2, result.ToString());
        result.Error.Should().Contain("'reports.csv' is a file");
        result.Transport.Requests.Should().BeEmpty();
        (await File.ReadAllTextAsync(run.PathOf("reports.csv"))).Should().Be("kept");
    }

    [Fact]
    public async Task Csv_files_hold_every_row_the_sdk_reads_with_the_union_of_the_fields_as_header()
    {
        var run = new CliRun(fixture.Sandbox);

        var result = await run.RunAsync(Export("--report", "syms-result", "--report", "users"));

        result.ExitCode.Should().Be(0, result.ToString());
        foreach (var (report, name) in new[] { (SymtrainReport.SymsResult, "syms-result"), (SymtrainReport.Users, "users") })
        {
            var (rows, fields) = await ReadWithSdkAsync(report);
            var (header, records) = ReadCsv(run.PathOf("out", name + ".csv"));
            records.Should().Be(rows, name);
            header.Should().Equal(fields, "the header is the union of the fields, in first-seen order");
        }

        Directory.GetFiles(run.PathOf("out"), "*.partial", SearchOption.AllDirectories).Should().BeEmpty();
        Directory.GetFiles(run.PathOf("out")).Select(Path.GetFileName).Should().BeEquivalentTo("syms-result.csv", "users.csv");
    }

    [Fact]
    public async Task Jsonl_files_carry_every_row_exactly_as_the_sdk_reads_it()
    {
        var run = new CliRun(fixture.Sandbox);

        var result = await run.RunAsync(Export("--report", "teams-result", "--format", "jsonl", "--json"));

        result.ExitCode.Should().Be(0, result.ToString());
        var expected = new List<string>();
        using (var client = fixture.Symtrain())
        {
            await foreach (var row in client.Reports.StreamReportAsync(SymtrainReport.TeamsResult, Range))
            {
                expected.Add(JsonSerializer.Serialize(row.Json));
            }
        }

        var lines = File.ReadAllLines(run.PathOf("out", "teams-result.jsonl"));
        lines.Select(l => JsonSerializer.Serialize(JsonDocument.Parse(l).RootElement)).Should().Equal(expected);
        using var summary = JsonDocument.Parse(result.Out);
        summary.RootElement.GetProperty("reports")[0].GetProperty("rows").GetInt64().Should().Be(expected.Count);
        summary.RootElement.GetProperty("reports")[0].GetProperty("windowsFetched").GetInt32().Should().Be(3);
    }

    [Fact]
    public async Task A_resumed_export_fetches_only_the_windows_it_does_not_have()
    {
        var run = new CliRun(fixture.Sandbox);
        var windows = Range.Split(180).ToList();
        using var cancel = new CancellationTokenSource();

        // Interrupt as the second window starts: the first is complete, the second is not.
        run.BeforeSend = request =>
        {
            if (request.StartDate == windows[1].StartText)
            {
                cancel.Cancel();
                cancel.Token.ThrowIfCancellationRequested();
            }
        };
        var first = await run.RunAsync(Export("--report", "syms-result"), cancel.Token);

        first.ExitCode.Should().Be(130, first.ToString());
        File.Exists(run.PathOf("out", "syms-result.csv")).Should().BeFalse("an interrupted export leaves no file that looks complete");
        Directory.GetFiles(run.PathOf("out"), "*.partial", SearchOption.AllDirectories).Should().BeEmpty();
        first.Transport.Requests.Count(r => r.StartDate == windows[0].StartText).Should().BeGreaterThan(0);

        run.BeforeSend = null;
        var again = await run.RunAsync(Export("--report", "syms-result"));
        again.ExitCode.Should().Be(2, "without --resume an unfinished export is not silently discarded: " + again);
        again.Transport.Requests.Should().BeEmpty();

        var resumed = await run.RunAsync(Export("--report", "syms-result", "--resume"));

        resumed.ExitCode.Should().Be(0, resumed.ToString());
        resumed.Transport.Requests.Count(r => r.StartDate == windows[0].StartText).Should().Be(0, "the first window was complete");
        resumed.Transport.Requests.Count(r => r.StartDate == windows[1].StartText).Should().BeGreaterThan(0);
        resumed.Transport.Requests.Count(r => r.StartDate == windows[2].StartText).Should().BeGreaterThan(0);
        var (rows, _) = await ReadWithSdkAsync(SymtrainReport.SymsResult);
        ReadCsv(run.PathOf("out", "syms-result.csv")).Rows.Should().Be(rows);

        var done = await run.RunAsync(Export("--report", "syms-result", "--resume"));
        done.ExitCode.Should().Be(0, done.ToString());
        done.Transport.Requests.Should().BeEmpty("a complete export needs no request");
    }

    [Fact]
    public async Task Cancelling_mid_window_leaves_no_complete_looking_file()
    {
        var run = new CliRun(fixture.Sandbox);
        using var cancel = new CancellationTokenSource();
        var seen = 0;
        run.BeforeSend = _ =>
        {
            if (++seen == 2)
            {
                cancel.Cancel();
                cancel.Token.ThrowIfCancellationRequested();
            }
        };

        var result = await run.RunAsync(Export("--report", "syms-result", "--format", "jsonl"), cancel.Token);

        result.ExitCode.Should().Be(130, result.ToString());
        result.Error.Should().Contain("Cancelled");
        result.Transport.Requests.Should().HaveCount(2, "the second page of the first window was cut off");
        Directory.GetFiles(run.PathOf("out"), "*", SearchOption.AllDirectories)
            .Should().BeEmpty("the first window was not finished: nothing, not even a partial file, is left");
    }

    [Fact]
    public async Task An_existing_report_file_is_not_replaced_without_overwrite()
    {
        var run = new CliRun(fixture.Sandbox);
        Directory.CreateDirectory(run.PathOf("out"));
        await File.WriteAllTextAsync(run.PathOf("out", "syms.csv"), "keep me");

        var refused = await run.RunAsync(Export("--report", "syms"));
        refused.ExitCode.Should().Be(2);
        refused.Transport.Requests.Should().BeEmpty();
        (await File.ReadAllTextAsync(run.PathOf("out", "syms.csv"))).Should().Be("keep me");

        var replaced = await run.RunAsync(Export("--report", "syms", "--overwrite"));
        replaced.ExitCode.Should().Be(0, replaced.ToString());
        (await File.ReadAllTextAsync(run.PathOf("out", "syms.csv"))).Should().StartWith("simulationId", "the sandbox's syms report starts with its id");
    }

    [Theory]
    [InlineData("--from", "2024-02-30")]
    [InlineData("--report", "nope")]
    public async Task A_bad_value_is_a_usage_error_before_any_request(string option, string value)
    {
        var run = new CliRun(fixture.Sandbox);
        var args = Export("--report", "syms").ToList();
        var at = args.IndexOf(option);
        if (at >= 0)
        {
            args[at + 1] = value;
        }
        else
        {
            args.AddRange([option, value]);
        }

        var result = await run.RunAsync([.. args]);

        result.ExitCode.Should().Be(2);
        result.Error.Should().Contain(value);
    }

    [Fact]
    public async Task From_after_to_is_a_usage_error()
    {
        var result = await new CliRun(fixture.Sandbox).RunAsync(["symtrain", "reports", "export", "--report", "syms", "--from", "2025-01-02", "--to", "2025-01-01", "--out", "out", "--sandbox"]);

        result.ExitCode.Should().Be(2);
        result.Error.Should().Contain("after --to");
    }

    [Theory]
    [InlineData("all", "0001-01-01", "9999-12-31", "5000", "needs at least 142,030 requests (20,290 window(s) of 180 days x 7 report(s))")]
    [InlineData("syms", "1900-01-01", "2025-12-31", "200", "needs at least 256 requests")]
    [InlineData("all", "2016-01-01", "2025-12-31", "100", "needs at least 147 requests")]
    public async Task A_range_needing_more_requests_than_allowed_is_refused_before_any_request(string report, string from, string to, string maxRequests, string expected)
    {
        var run = new CliRun(fixture.Sandbox);

        var result = await run.RunAsync(["symtrain", "reports", "export", "--report", report, "--from", from, "--to", to, "--out", "out", "--sandbox", "--max-requests", maxRequests]);

        result.ExitCode.Should().Be(2, result.ToString());
        result.Error.Should().Contain(expected).And.Contain("--max-requests");
        result.Transport.Requests.Should().BeEmpty();
        Directory.Exists(run.PathOf("out")).Should().BeFalse("nothing is created for an export that is refused");
    }

    [Fact]
    public async Task The_default_request_bound_refuses_the_whole_calendar_and_allows_ten_years()
    {
        var run = new CliRun(fixture.Sandbox);

        var absurd = await run.RunAsync(["symtrain", "reports", "export", "--report", "all", "--from", "0001-01-01", "--to", "9999-12-31", "--out", "out", "--sandbox"]);
        var tenYears = await run.RunAsync(["symtrain", "reports", "export", "--report", "users", "--from", "2016-01-01", "--to", "2025-12-31", "--out", "out", "--sandbox"]);

        absurd.ExitCode.Should().Be(2, absurd.ToString());
        absurd.Error.Should().Contain("--max-requests 1,000");
        tenYears.ExitCode.Should().Be(0, tenYears.ToString());
    }

    private async Task<(long Rows, List<string> Fields)> ReadWithSdkAsync(SymtrainReport report)
    {
        using var client = fixture.Symtrain();
        long rows = 0;
        var fields = new List<string>();
        await foreach (var row in client.Reports.StreamReportAsync(report, Range))
        {
            rows++;
            fields.AddRange(row.FieldNames.Where(f => !fields.Contains(f)));
        }

        return (rows, fields);
    }

    private static (List<string> Header, long Rows) ReadCsv(string path)
    {
        using var reader = CsvReader.FromFile(path, new CsvReaderOptions { HasHeader = true, Separator = ',', DetectSeparatorHint = false });
        reader.ReadHeader();
        var header = reader.Headers.ToArray().ToList();
        long rows = 0;
        while (reader.Read())
        {
            reader.FieldCount.Should().Be(header.Count);
            rows++;
        }

        return (header, rows);
    }
}
