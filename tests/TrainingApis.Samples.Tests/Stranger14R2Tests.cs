using System.Text;

namespace TrainingApis.Samples.Tests;

/// <summary>
/// Issue 14, a second stranger after the morning's fixes: the BulkImport sample, which now reads with the SDK's reader,
/// given a file whose lines fit the 16 MiB bound but whose upload, written as the SDK sends it, does not.
/// </summary>
public sealed class Stranger14R2Tests
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Bulk_import_refuses_before_uploading_a_file_that_grows_past_16_MiB_as_sent_with_no_stack_trace()
    {
        // Fails on main: --dry-run said "750 rows, all valid", and the upload ended in an unhandled
        // BulkImportValidationException with its stack trace.
        const string Header = "firstName,lastName,username,email,role,teamName,status,action";
        const int Limit = 16 * 1024 * 1024;
        var fixedPart = "U000,,u000@r2.example,u000@r2.example,trainee,,ACTIVE,Add\n".Length;
        var name = ((Limit - Header.Length - 1 - 300) / 750) - fixedPart;
        var text = new StringBuilder(Header + "\n");
        for (var i = 0; i < 750; i++)
        {
            text.Append(FormattableString.Invariant($"U{i:000},{new string('L', name)},u{i:000}@r2.example,u{i:000}@r2.example,trainee,,ACTIVE,Add\n"));
        }

        var folder = Directory.CreateTempSubdirectory("trainingapis-r2-").FullName;
        try
        {
            var file = Path.Combine(folder, "lf-users.csv");
            await File.WriteAllTextAsync(file, text.ToString());
            new FileInfo(file).Length.Should().BeLessThan(Limit);

            var dryRun = await RunAsync(file, "--dry-run");
            var upload = await RunAsync(file);

            foreach (var (exitCode, output) in new[] { dryRun, upload })
            {
                exitCode.Should().Be(2, output);
                output.Should().Contain("Rows 1 to 750").And.Contain("bytes").And.NotContain("all valid")
                    .And.NotContain("Unhandled exception").And.NotContain("   at ");
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(params string[] arguments)
    {
        using var program = ChildProgram.Start("samples/BulkImport", null, arguments);
        (await program.WaitForExitAsync(RunLimit)).Should().BeTrue("the sample ends; output:\n{0}", program.Output);
        return (program.ExitCode, program.Output);
    }
}
