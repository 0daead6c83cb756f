using Symtrain.Client.Access;
using Symtrain.Client.Reports;
using Symtrain.Client.Users;

namespace Symtrain.Client;

/// <summary>The Symtrain v2 API: reports, simulation access and user management.</summary>
public interface ISymtrainClient
{
    /// <summary>The seven reports, by date range.</summary>
    ISymtrainReportsClient Reports { get; }

    /// <summary>Deep links, completion data, the simulation library and assignments.</summary>
    ISymtrainAccessClient Access { get; }

    /// <summary>Access tokens, user creation and bulk import.</summary>
    ISymtrainUsersClient Users { get; }
}
