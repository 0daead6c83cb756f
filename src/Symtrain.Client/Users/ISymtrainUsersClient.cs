using TrainingApis.Core;

namespace Symtrain.Client.Users;

/// <summary>
/// User management (<c>POST /v2/access-api/user/…</c>): access tokens for deep links, trainee creation and CSV bulk
/// import. Arguments are checked before anything is sent.
/// </summary>
public interface ISymtrainUsersClient
{
    /// <summary>
    /// A short-lived token (one hour) with which a user opens deep links without signing in (<c>user/token</c>). When the
    /// server gives no expiry, <see cref="UserAccessToken.ExpiresAt"/> is the time of the request plus one hour.
    /// </summary>
    /// <param name="organizationId">The organization's id.</param>
    /// <param name="userId">The user's username.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ArgumentException">An identifier is empty or holds control characters.</exception>
    /// <exception cref="ApiException">The call failed or the answer held no token.</exception>
    Task<UserAccessToken> CreateAccessTokenAsync(string organizationId, string userId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Returns <paramref name="deepLink"/> with the token in the query parameter named by
    /// <see cref="SymtrainClientOptions.DeepLinkTokenParameter"/> (<c>token</c>): added, or replacing an existing one. The
    /// rest of the query and the fragment are kept; the value is percent-encoded. No request is sent.
    /// </summary>
    /// <param name="deepLink">An absolute link.</param>
    /// <param name="token">The token to add.</param>
    /// <exception cref="ArgumentException">The link is relative or the token is empty.</exception>
    Uri WithAccessToken(Uri deepLink, UserAccessToken token);

    /// <summary>Creates a trainee, or returns the existing user with that username (<c>user/create</c>).</summary>
    /// <param name="request">The user; <c>username</c> must equal <c>email</c> exactly.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ArgumentException">The request is incomplete or invalid; every problem is named.</exception>
    /// <exception cref="ApiException">The call failed.</exception>
    Task<SymtrainUser> CreateUserAsync(CreateUserRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Uploads up to 750 users as one CSV file (<c>user/bulk-import</c>, <c>multipart/form-data</c>). Every row is
    /// validated first (see <see cref="BulkImportCsv"/>); all problems are reported at once, before anything is uploaded.
    /// The upload is never retried blindly (only when the server provably did not process it).
    /// </summary>
    /// <param name="organizationId">The organization's id.</param>
    /// <param name="rows">At most <see cref="BulkImportCsv.MaxRowsPerFile"/> users; use <see cref="BulkImportInBatchesAsync"/> for more.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="BulkImportValidationException">Rows are invalid, or there are none or too many; every problem is named.</exception>
    /// <exception cref="ApiException">The call failed.</exception>
    Task<BulkImportResult> BulkImportAsync(string organizationId, IEnumerable<BulkImportRow> rows, CancellationToken cancellationToken = default);

    /// <summary>
    /// Uploads any number of users as consecutive files of at most 750 rows, one after the other, and yields each file's
    /// result as it arrives. Every row is validated when this method is called, before the first upload; row numbers in
    /// errors count across the whole set. Row <c>n</c> goes into file <c>(n - 1) / 750</c>.
    /// </summary>
    /// <param name="organizationId">The organization's id.</param>
    /// <param name="rows">The users.</param>
    /// <param name="cancellationToken">Stops between uploads.</param>
    /// <exception cref="BulkImportValidationException">Rows are invalid, or there are none; every problem is named.</exception>
    IAsyncEnumerable<BulkImportResult> BulkImportInBatchesAsync(string organizationId, IEnumerable<BulkImportRow> rows, CancellationToken cancellationToken = default);

    /// <summary>
    /// Uploads a CSV file of users after validating it like <see cref="BulkImportAsync"/>, header included (the eight
    /// columns, in any order, names matched ignoring case). The file is read (at most
    /// <see cref="SymtrainClientOptions.BulkImportMaxFileBytes"/>), validated, and uploaded re-written in the documented
    /// column order, as UTF-8 with commas, with formula-like values neutralised; wholly empty rows are skipped. The stream
    /// is not closed. <see cref="BulkImportCsv.ReadAsync"/> applies the same rules without uploading.
    /// </summary>
    /// <param name="organizationId">The organization's id.</param>
    /// <param name="csv">
    /// UTF-8 text (a UTF-8, UTF-16 or UTF-32 byte order mark is honoured) with a header line, separated by commas or by
    /// the separator a first line <c>sep=X</c> declares, as Excel writes it.
    /// </param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="BulkImportValidationException">
    /// The file is not UTF-8, uses another separator without a <c>sep=</c> line, exceeds a bound, or its header or rows
    /// are invalid; every problem is named with its row and line.
    /// </exception>
    /// <exception cref="ApiException">The call failed.</exception>
    Task<BulkImportResult> BulkImportCsvAsync(string organizationId, Stream csv, CancellationToken cancellationToken = default);

    /// <summary>Where a bulk import task stands (<c>user/bulk-import/status</c>).</summary>
    /// <param name="organizationId">The organization's id.</param>
    /// <param name="taskId">The task id of <see cref="BulkImportResult.TaskId"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ArgumentException">An identifier is empty or holds control characters.</exception>
    /// <exception cref="ApiException">The call failed.</exception>
    Task<BulkImportStatus> GetBulkImportStatusAsync(string organizationId, string taskId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Polls a bulk import task until it is <see cref="BulkImportState.Completed"/> or <see cref="BulkImportState.Failed"/>
    /// and returns that status (a failed task is returned, not thrown). Polls wait
    /// <see cref="SymtrainClientOptions.BulkImportPollInterval"/>, doubling up to
    /// <see cref="SymtrainClientOptions.BulkImportMaxPollInterval"/>; each poll goes through the client's quota.
    /// </summary>
    /// <param name="organizationId">The organization's id.</param>
    /// <param name="taskId">The task id of <see cref="BulkImportResult.TaskId"/>.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <exception cref="ArgumentException">An identifier is empty or holds control characters.</exception>
    /// <exception cref="TimeoutException">The task did not finish within <see cref="SymtrainClientOptions.BulkImportWaitTimeout"/>.</exception>
    /// <exception cref="ApiException">A poll failed.</exception>
    Task<BulkImportStatus> WaitForBulkImportAsync(string organizationId, string taskId, CancellationToken cancellationToken = default);
}
