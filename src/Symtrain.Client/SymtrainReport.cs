namespace Symtrain.Client;

/// <summary>The seven Symtrain v2 reports, each served by <c>POST /v2/report/{name}</c>.</summary>
public enum SymtrainReport
{
    /// <summary>Sym results: <c>/v2/report/syms-result</c>.</summary>
    SymsResult,

    /// <summary>User results: <c>/v2/report/user-results</c>.</summary>
    UserResults,

    /// <summary>Training plan results: <c>/v2/report/training-plan-result</c>.</summary>
    TrainingPlanResult,

    /// <summary>Module results: <c>/v2/report/modules-results</c>.</summary>
    ModulesResults,

    /// <summary>Syms: <c>/v2/report/syms</c>.</summary>
    Syms,

    /// <summary>Users: <c>/v2/report/users</c>.</summary>
    Users,

    /// <summary>Team results: <c>/v2/report/teams-result</c>.</summary>
    TeamsResult,
}
