using System.Security.Cryptography;
using TrainingApis.Sandbox.Control;
using TrainingApis.Sandbox.Data;

namespace TrainingApis.Sandbox.Symtrain;

internal sealed record SymtrainUserRecord(
    string Username,
    string Email,
    string? FirstName,
    string? LastName,
    string? TeamName,
    string Status,
    DateTime CreatedAt,
    SymtrainTrainee? Seeded);

/// <summary>The mutable side of Symtrain: users, assignments, user tokens and bulk imports. Thread-safe.</summary>
internal sealed class SymtrainState
{
    public static readonly TimeSpan UserTokenLifetime = TimeSpan.FromHours(1);

    private readonly object _gate = new();
    private readonly Dictionary<string, SymtrainUserRecord> _users = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<(string User, string Simulation), DateTimeOffset> _assignments = [];
    private readonly Dictionary<string, (string User, DateTimeOffset ExpiresAt)> _tokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BulkImportTask> _imports = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly TimeSpan _queueDelay;
    private readonly TimeSpan _processingTime;

    public SymtrainState(SymtrainSeed seed, TimeProvider time, TimeSpan queueDelay, TimeSpan processingTime)
    {
        Seed = seed;
        _time = time;
        _queueDelay = queueDelay;
        _processingTime = processingTime;
        foreach (var trainee in seed.Trainees)
        {
            _users[trainee.Username] = new SymtrainUserRecord(
                trainee.Username, trainee.Email, trainee.FirstName, trainee.LastName, trainee.TeamName, trainee.Status, trainee.CreatedAt, trainee);
        }
    }

    public SymtrainSeed Seed { get; }

    public DateTimeOffset Now => _time.GetUtcNow();

    public SymtrainUserRecord? FindUser(string username)
    {
        lock (_gate)
        {
            SettleImports();
            return _users.GetValueOrDefault(username);
        }
    }

    /// <summary>Creates a trainee, or returns the existing one with <c>Created</c> false.</summary>
    public (SymtrainUserRecord User, bool Created) CreateOrGet(string username, string email, string? firstName, string? lastName)
    {
        lock (_gate)
        {
            SettleImports();
            if (_users.TryGetValue(username, out var existing))
            {
                return (existing, false);
            }

            var user = new SymtrainUserRecord(username, email, firstName, lastName, null, "ACTIVE", Now.UtcDateTime, null);
            _users[username] = user;
            return (user, true);
        }
    }

    public void Assign(string username, string simulationId, bool assign)
    {
        lock (_gate)
        {
            var key = (username.ToLowerInvariant(), simulationId.ToLowerInvariant());
            if (assign)
            {
                _assignments.TryAdd(key, Now);
            }
            else
            {
                _assignments.Remove(key);
            }
        }
    }

    public IReadOnlyList<AssignmentInfo> Assignments()
    {
        lock (_gate)
        {
            return _assignments
                .OrderBy(a => a.Value)
                .Select(a => new AssignmentInfo(
                    Seed.OrganizationId,
                    _users.TryGetValue(a.Key.User, out var user) ? user.Username : a.Key.User,
                    Seed.SimulationsById.TryGetValue(a.Key.Simulation, out var simulation) ? simulation.SimulationId : a.Key.Simulation,
                    a.Value.UtcDateTime))
                .ToArray();
        }
    }

    public (string Token, DateTimeOffset ExpiresAt) IssueToken(string username)
    {
        var token = "st_" + Base64Url(RandomNumberGenerator.GetBytes(24));
        var expiresAt = Now + UserTokenLifetime;
        lock (_gate)
        {
            if (_tokens.Count > 10_000)
            {
                var now = Now;
                foreach (var expired in _tokens.Where(t => t.Value.ExpiresAt <= now).Select(t => t.Key).ToArray())
                {
                    _tokens.Remove(expired);
                }
            }

            _tokens[token] = (username, expiresAt);
        }

        return (token, expiresAt);
    }

    /// <summary>True when <paramref name="token"/> was issued for <paramref name="username"/> and has not expired.</summary>
    public bool IsTokenValid(string token, string username)
    {
        lock (_gate)
        {
            return _tokens.TryGetValue(token, out var entry)
                && string.Equals(entry.User, username, StringComparison.OrdinalIgnoreCase)
                && Now < entry.ExpiresAt;
        }
    }

    public BulkImportTask StartImport(string organizationId, IReadOnlyList<BulkImportRow> rows)
    {
        var task = new BulkImportTask(Guid.NewGuid().ToString("N"), organizationId, Now, rows);
        lock (_gate)
        {
            _imports[task.TaskId] = task;
        }

        return task;
    }

    public BulkImportStatusResponse? ImportStatus(string organizationId, string taskId)
    {
        lock (_gate)
        {
            SettleImports();
            return _imports.TryGetValue(taskId, out var task) && string.Equals(task.OrganizationId, organizationId, StringComparison.OrdinalIgnoreCase)
                ? task.StatusAt(Now, _queueDelay, _processingTime)
                : null;
        }
    }

    /// <summary>Adds the users of every import that has completed by now (once). Called under the lock.</summary>
    private void SettleImports()
    {
        var now = Now;
        foreach (var task in _imports.Values)
        {
            if (task.Applied || task.FailingIndex is not null || now < task.CreatedAt + _queueDelay + _processingTime)
            {
                continue;
            }

            task.Applied = true;
            foreach (var row in task.Rows)
            {
                var created = _users.TryGetValue(row.Username, out var existing) ? existing.CreatedAt : (task.CreatedAt + _queueDelay + _processingTime).UtcDateTime;
                _users[row.Username] = new SymtrainUserRecord(
                    row.Username, row.Email, row.FirstName, row.LastName, row.TeamName, row.Status, created, existing?.Seeded);
            }
        }
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
