
namespace TrainingApis.Samples.Tests;

/// <summary>What the samples do as programs: writes to a real service only when asked, plain redirected output, next steps.</summary>
public sealed class SampleProgramsTests
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task The_quickstart_on_the_sandbox_says_what_the_sandbox_is_and_what_to_do_next()
    {
        var (exitCode, output) = await RunAsync("samples/Quickstart", null, "--sandbox");

        exitCode.Should().Be(0, output);
        output.Should().Contain("The sandbox (TrainingApis.Sandbox) is a local emulator of both APIs")
            .And.Contain("Next:")
            .And.Contain("SYMTRAIN_API_KEY")
            .And.Contain("dotnet run --project src/TrainingApis.Sandbox")
            .And.Contain("eng/pack-local.sh");
        output.IndexOf("Done:", StringComparison.Ordinal).Should().BeLessThan(output.IndexOf("Next:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bulk_import_with_real_credentials_and_no_file_uploads_nothing_and_asks_for_one()
    {
        var (exitCode, output) = await RunAsync("samples/BulkImport", RealService(LoopbackPort.Refusing()));

        exitCode.Should().Be(2, output);
        output.Should().Contain("name the CSV file to upload to the real service").And.NotContain("Uploading");
    }

    [Fact]
    public async Task Bulk_import_with_real_credentials_and_no_terminal_to_confirm_on_uploads_nothing_without_allow_writes()
    {
        var file = Path.Combine(Repository.Root, "samples", "BulkImport", "users.csv");

        var (exitCode, output) = await RunAsync("samples/BulkImport", RealService(LoopbackPort.Refusing()), file);

        exitCode.Should().Be(2, output);
        output.Should().Contain("Not uploaded: 6 users").And.Contain("Pass --allow-writes").And.NotContain("Uploading");
    }

    [Fact]
    public async Task Bulk_import_with_real_credentials_and_allow_writes_uploads_without_asking()
    {
        var port = LoopbackPort.Refusing();
        var file = Path.Combine(Repository.Root, "samples", "BulkImport", "users.csv");

        var (exitCode, output) = await RunAsync("samples/BulkImport", RealService(port), file, "--allow-writes");

        output.Should().Contain($"Uploading to Symtrain at http://127.0.0.1:{port}/").And.NotContain("Not uploaded");
        exitCode.Should().Be(1, "nothing listens there, so the upload itself fails; output:\n{0}", output);
    }

    [Fact]
    public async Task Bulk_import_output_redirected_to_a_file_has_no_colour_codes_and_reports_the_problems_with_the_sdk_reader()
    {
        var file = Path.Combine(Repository.Root, "samples", "BulkImport", "users-with-errors.csv");

        var (exitCode, output) = await RunAsync("samples/BulkImport", null, file);

        exitCode.Should().Be(2, output);
        output.Should().NotContain("\u001b[", "redirected output is plain text");
        output.Should().Contain("users-with-errors.csv: 11 problem(s), nothing was uploaded")
            .And.Contain("must be 'trainee', the only role supported (was 'admin')");
    }

    [Fact]
    public async Task Reports_export_output_redirected_has_no_colour_codes_and_each_file_name_on_one_line()
    {
        var folder = Path.Combine(Path.GetTempPath(), "trainingapis-reports-export-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (exitCode, output) = await RunAsync("samples/ReportsExport", null, "--from", "2025-01-01", "--to", "2025-01-10", "--out", folder);

            exitCode.Should().Be(0, output);
            output.Should().NotContain("\u001b[");
            foreach (var report in new[] { "syms-result", "user-results", "teams-result" })
            {
                output.Should().Contain(Path.Combine(folder, report + ".csv"), "the path is never wrapped mid-word");
            }
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static Dictionary<string, string?> RealService(int port) => new()
    {
        ["SYMTRAIN_API_KEY"] = "fake-key-for-the-test",
        ["SYMTRAIN_BASE_ADDRESS"] = $"http://127.0.0.1:{port}/",
        ["SYMTRAIN_ORGANIZATION_ID"] = "org-of-the-test",
    };

    private static async Task<(int ExitCode, string Output)> RunAsync(string project, IReadOnlyDictionary<string, string?>? environment, params string[] arguments)
    {
        using var program = ChildProgram.Start(project, environment, arguments);
        (await program.WaitForExitAsync(RunLimit)).Should().BeTrue("{0} ends; output:\n{1}", project, program.Output);
        return (program.ExitCode, program.Output);
    }
}
