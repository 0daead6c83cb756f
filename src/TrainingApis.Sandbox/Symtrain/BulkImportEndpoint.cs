using System.Text;
using Microsoft.Extensions.Primitives;
using TrainingApis.Sandbox.Http;
using TrainingApis.Sandbox.Json;

namespace TrainingApis.Sandbox.Symtrain;

/// <summary>
/// <c>/v2/access-api/user/bulk-import</c> (multipart: <c>organizationId</c> and a CSV <c>file</c>) and its
/// <c>/status</c>. Rows are numbered from 1, the header excluded.
/// </summary>
internal static class BulkImportEndpoint
{
    public const int MaxRecords = 750;

    /// <summary>The largest file accepted: 16 MiB, the SDK's default upload bound (Symtrain publishes none).</summary>
    public const int MaxFileBytes = 16 * 1024 * 1024;

    // Bytes that are not UTF-8 are refused, not replaced by U+FFFD: a sandbox that quietly stored "Zo\uFFFD" would
    // hide the very corruption a test should catch. A UTF-16 or UTF-32 byte order mark still selects its encoding.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static readonly string[] Columns = ["firstName", "lastName", "username", "email", "role", "teamName", "status", "action"];

    public static async Task UploadAsync(HttpContext context, SandboxRuntime runtime)
    {
        if (!context.Request.HasFormContentType)
        {
            await Reject(context, "body", "The request must be multipart/form-data with the parts organizationId and file (a CSV file).");
            return;
        }

        IFormCollection form;
        try
        {
            form = await context.Request.ReadFormAsync(context.RequestAborted);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or BadHttpRequestException)
        {
            await Reject(context, "body", "The multipart body could not be read: " + ex.Message);
            return;
        }

        var problems = new List<(string, string)>();
        var organizationId = form["organizationId"].ToString().Trim();
        if (organizationId.Length == 0)
        {
            problems.Add(("organizationId", "organizationId is required."));
        }

        string? csv = null;
        if (form.Files.GetFile("file") is { } file)
        {
            if (file.Length > MaxFileBytes)
            {
                await Responses.SymtrainErrorAsync(
                    context,
                    StatusCodes.Status413PayloadTooLarge,
                    $"The file is {file.Length} bytes; at most {MaxFileBytes} bytes are accepted. Split it and upload the parts in turn.",
                    [new SymtrainFieldError("file", $"file is larger than {MaxFileBytes} bytes.")]);
                return;
            }

            try
            {
                using var reader = new StreamReader(file.OpenReadStream(), StrictUtf8, detectEncodingFromByteOrderMarks: true);
                csv = await reader.ReadToEndAsync(context.RequestAborted);
            }
            catch (DecoderFallbackException)
            {
                problems.Add(("file", "file is not UTF-8 text: save it as \"CSV UTF-8 (Comma delimited)\" and upload it again."));
            }
        }
        else if (form.TryGetValue("file", out var text) && !StringValues.IsNullOrEmpty(text))
        {
            csv = text.ToString();
        }
        else
        {
            problems.Add(("file", "file is required: a CSV file with the header " + string.Join(',', Columns) + "."));
        }

        if (csv is not null && csv.Contains('\uFFFD', StringComparison.Ordinal))
        {
            problems.Add(("file", "file holds U+FFFD, the character a program writes for text it could not decode: the names in it were damaged before the upload."));
        }

        if (problems.Count > 0)
        {
            await Responses.SymtrainValidationAsync(context, problems);
            return;
        }

        if (!await SymtrainEndpoints.CheckOrganizationAsync(context, runtime, organizationId))
        {
            return;
        }

        var (records, error) = CsvReader.Parse(csv!);
        if (records is null)
        {
            await Reject(context, "file", "The file is not valid CSV: " + error);
            return;
        }

        if (records.Count == 0)
        {
            await Reject(context, "file", "The file is empty; it needs the header " + string.Join(',', Columns) + " and at least one record.");
            return;
        }

        var header = records[0].Select(h => h.Trim()).ToArray();
        var positions = Columns.ToDictionary(c => c, c => Array.FindIndex(header, h => string.Equals(h, c, StringComparison.OrdinalIgnoreCase)));
        var missing = Columns.Where(c => positions[c] < 0).ToArray();
        if (missing.Length > 0)
        {
            await Reject(
                context,
                "file",
                $"The CSV header lacks the column(s) {string.Join(", ", missing)}. Expected the header: {string.Join(',', Columns)}.");
            return;
        }

        var count = records.Count - 1;
        if (count == 0)
        {
            await Reject(context, "file", "The file has a header but no records.");
            return;
        }

        if (count > MaxRecords)
        {
            await Reject(context, "file", $"The file has {count} records; at most {MaxRecords} are allowed per file. Split it and upload the parts in turn.");
            return;
        }

        var valid = new List<BulkImportRow>();
        var errors = new List<BulkImportRowError>();
        var firstRowOf = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 1; i < records.Count; i++)
        {
            var record = records[i];
            string Field(string column) => positions[column] < record.Length ? record[positions[column]].Trim() : string.Empty;
            var (row, rowErrors) = Validate(i, Field, header.Length, record.Length);
            if (row is not null)
            {
                if (firstRowOf.TryGetValue(row.Username, out var first))
                {
                    rowErrors.Add($"username {row.Username} also appears on row {first}");
                }
                else
                {
                    firstRowOf[row.Username] = i;
                }
            }

            if (rowErrors.Count > 0)
            {
                errors.Add(new BulkImportRowError(i, rowErrors));
            }
            else
            {
                valid.Add(row!);
            }
        }

        var taskId = valid.Count > 0 ? runtime.Symtrain.StartImport(runtime.Symtrain.Seed.OrganizationId, valid).TaskId : null;
        await Responses.JsonAsync(context, new BulkImportResponse(taskId, valid.Count, errors.Count, errors), SandboxJsonContext.Relaxed.BulkImportResponse);
    }

    /// <summary><c>{organizationId, taskId}</c> → <c>{"taskId", "status", "createdAt", "updatedAt", "processedCount", "totalCount", "errorMessage"?}</c>.</summary>
    public static async Task StatusAsync(HttpContext context, SandboxRuntime runtime)
    {
        using var request = await SymtrainEndpoints.ReadAsync(context);
        if (request is null)
        {
            return;
        }

        var organizationId = request.String("organizationId", required: true);
        var taskId = request.String("taskId", required: true);
        if (await SymtrainEndpoints.RejectIfInvalidAsync(context, request)
            || !await SymtrainEndpoints.CheckOrganizationAsync(context, runtime, organizationId!))
        {
            return;
        }

        var status = runtime.Symtrain.ImportStatus(organizationId!, taskId!);
        if (status is null)
        {
            await Responses.SymtrainErrorAsync(context, StatusCodes.Status404NotFound, $"Task '{taskId}' was not found in organization '{organizationId}'.");
            return;
        }

        await Responses.JsonAsync(context, status, SandboxJsonContext.Relaxed.BulkImportStatusResponse);
    }

    private static (BulkImportRow? Row, List<string> Errors) Validate(int row, Func<string, string> field, int headerLength, int length)
    {
        var errors = new List<string>();
        if (length > headerLength)
        {
            errors.Add($"the row has {length} fields but the header has {headerLength}");
        }

        string Required(string column)
        {
            var value = field(column);
            if (value.Length == 0)
            {
                errors.Add($"{column} is required");
            }

            return value;
        }

        var firstName = Required("firstName");
        var lastName = Required("lastName");
        var username = Required("username");
        var email = Required("email");
        var role = Required("role");
        var teamName = field("teamName");
        var status = Required("status");
        var action = Required("action");
        if (email.Length > 0 && !UserEndpoints.IsEmail(email))
        {
            errors.Add("email is not a valid email address");
        }

        if (email.Length > 0 && username.Length > 0 && !string.Equals(email, username, StringComparison.Ordinal))
        {
            errors.Add("email must match username");
        }

        if (role.Length > 0 && role != "trainee")
        {
            errors.Add($"role must be trainee (was '{role}')");
        }

        if (status.Length > 0 && status is not ("ACTIVE" or "INACTIVE"))
        {
            errors.Add($"status must be ACTIVE or INACTIVE (was '{status}')");
        }

        if (action.Length > 0 && action is not ("Add" or "Update"))
        {
            errors.Add($"action must be Add or Update (was '{action}')");
        }

        var candidate = username.Length > 0
            ? new BulkImportRow(row, firstName, lastName, username, email, teamName.Length == 0 ? null : teamName, status, action)
            : null;
        return (candidate, errors);
    }

    private static Task Reject(HttpContext context, string field, string message) =>
        Responses.SymtrainErrorAsync(context, StatusCodes.Status400BadRequest, message, [new SymtrainFieldError(field, message)]);
}
