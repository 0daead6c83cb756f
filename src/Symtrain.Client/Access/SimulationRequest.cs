namespace Symtrain.Client.Access;

/// <summary>The body naming a user and a simulation (deep link, completion data).</summary>
internal sealed record SimulationRequest(string OrganizationId, string UserId, string SimulationId);
