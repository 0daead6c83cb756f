using Microsoft.Extensions.Options;
using Senar.Client;
using Symtrain.Client;
using Symtrain.Client.Users;
using TrainingApis.Core;

namespace DocSnippets;

/// <summary>The code of docs/errors.md, compiled.</summary>
internal static class Errors
{
    public static async Task HandleAsync(ISymtrainClient symtrain, CancellationToken cancellationToken)
    {
        #region errors-handling
        try
        {
            var executions = await symtrain.Access.GetCompletionDataAsync("org-1", "jane@example.com", "sim-42", cancellationToken);
            Console.WriteLine($"{executions.Count} attempts");
        }
        catch (ApiNotFoundException ex)
        {
            Console.WriteLine($"Not found: {ex.Message}");
        }
        catch (ApiValidationException ex)
        {
            foreach (var error in ex.Errors)
            {
                Console.WriteLine($"{error.Field}: {error.Message}");
            }
        }
        catch (ApiRateLimitException ex)
        {
            Console.WriteLine($"Quota exhausted ({(ex.IsLocal ? "client-side" : "server")}); retry in {ex.RetryAfter}");
        }
        catch (ApiException ex) when (ex.IsTransient)
        {
            Console.WriteLine($"Temporary failure after retries: {ex.StatusCode} (request id {ex.RequestId})");
        }
        catch (TimeoutException ex)
        {
            Console.WriteLine(ex.Message);   // the operation, the host, the time it took, the setting that ended it
        }
        #endregion

        #region errors-arguments
        try
        {
            await symtrain.Users.BulkImportAsync("org-1",
            [
                new BulkImportRow { FirstName = "Jane", LastName = "Doe", Email = "jane@example.com" },
                new BulkImportRow { FirstName = "", LastName = "Roe", Email = "not-an-email", Role = "admin" },
            ]);
        }
        catch (BulkImportValidationException ex)
        {
            foreach (var error in ex.Errors)
            {
                Console.WriteLine(error);   // row 2, firstName: is required. / row 2, email: is not an email address. / row 2, role: …
            }
        }

        try
        {
            await symtrain.Reports.GetUsersAsync(new DateRange(new DateOnly(2024, 1, 1), new DateOnly(2024, 12, 31)));
        }
        catch (ArgumentException ex)
        {
            Console.WriteLine(ex.Message);   // The range 2024-01-01/2024-12-31 covers 366 days; Symtrain accepts at most 180 … Use StreamReportAsync …
        }
        #endregion
    }

    public static async Task CancelAsync(ISenarClient senar)
    {
        #region errors-timeouts-and-cancellation
        using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await foreach (var activity in senar.Activities.StreamAsync(cancellation.Token))
            {
                Console.WriteLine(activity.Id);
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            Console.WriteLine("Stopped after 30 s, as asked.");
        }
        catch (TimeoutException)
        {
            Console.WriteLine("The client's own Timeout or AttemptTimeout ran out.");
        }
        #endregion
    }

    public static async Task ReloadedOptionsAsync(ISymtrainClient symtrain, CancellationToken cancellationToken)
    {
        #region errors-reloaded-options
        try
        {
            var users = await symtrain.Reports.GetUsersAsync(DateRange.FromDays(new DateOnly(2024, 1, 1), 30), cancellationToken);
        }
        catch (OptionsValidationException ex)
        {
            // "Symtrain client 'americas': SymtrainClientOptions.Timeout must be positive (was 00:00:00)."
            Console.WriteLine($"Configuration of '{ex.OptionsName}' is invalid: {string.Join(" ", ex.Failures)}");
        }
        catch (ApiException ex)
        {
            Console.WriteLine($"The call failed: {ex.Message}");
        }
        #endregion
    }
}
