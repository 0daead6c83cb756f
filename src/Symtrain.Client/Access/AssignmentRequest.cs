namespace Symtrain.Client.Access;

/// <summary>The body of <c>/v2/access-api/simulation/assignment</c>.</summary>
internal sealed record AssignmentRequest(string OrganizationId, string UserId, string SimulationId, bool Assign);
