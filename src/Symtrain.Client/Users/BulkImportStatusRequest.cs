namespace Symtrain.Client.Users;

/// <summary>The body of <c>/v2/access-api/user/bulk-import/status</c>.</summary>
internal sealed record BulkImportStatusRequest(string OrganizationId, string TaskId);
