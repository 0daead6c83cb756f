using System.Security.Cryptography;
using System.Text.Json;
using TrainingApis.Sandbox.Control;
using TrainingApis.Sandbox.Json;

namespace TrainingApis.Sandbox.Senar;

/// <summary>
/// The mutable side of Senar: login tokens, users (seeded, assigned, added), collection assignments, added activities,
/// webhooks and the delivery log. Users and added activities are kept as their JSON so extra fields survive. Thread-safe.
/// </summary>
internal sealed class SenarState
{
    private const int DeliveryLogSize = 1000;

    private readonly object _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _tokens = new(StringComparer.Ordinal);
    private readonly List<byte[]> _users = [];
    private readonly Dictionary<string, int> _userIndexByEmail = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<(string Email, int CollectionId)> _assignments = [];
    private readonly List<byte[]> _addedActivities = [];
    private readonly List<WebhookInfo> _webhooks = [];
    private readonly Queue<WebhookDelivery> _deliveries = new();
    private readonly ActivityGenerator _activities;
    private readonly TimeProvider _time;
    private readonly TimeSpan _tokenLifetime;

    public SenarState(SenarSeed seed, ActivityGenerator activities, TimeProvider time, TimeSpan tokenLifetime)
    {
        Seed = seed;
        _activities = activities;
        _time = time;
        _tokenLifetime = tokenLifetime;
        foreach (var user in seed.Users)
        {
            AddUserUnderLock(user.Email, JsonSerializer.SerializeToUtf8Bytes(user, SandboxJsonContext.Relaxed.SenarUser));
        }
    }

    public SenarSeed Seed { get; }

    public DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>Now, as Senar writes date-times: no offset, seven fraction digits.</summary>
    public string NowText => SenarSeed.Format(Now.UtcDateTime, SenarSeed.DateTimeFormat7);

    public string IssueToken()
    {
        var token = "eyJ" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(36)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        lock (_gate)
        {
            var now = Now;
            if (_tokens.Count > 10_000)
            {
                foreach (var expired in _tokens.Where(t => t.Value <= now).Select(t => t.Key).ToArray())
                {
                    _tokens.Remove(expired);
                }
            }

            _tokens[token] = now + _tokenLifetime;
        }

        return token;
    }

    public bool IsTokenValid(string token)
    {
        lock (_gate)
        {
            return _tokens.TryGetValue(token, out var expiresAt) && Now < expiresAt;
        }
    }

    public SenarCollection? FindCollection(int collectionId) => Seed.Collections.FirstOrDefault(c => c.CollectionId == collectionId);

    /// <summary>Assigns <paramref name="collectionId"/> to the user with <paramref name="email"/>, creating the user when new.</summary>
    public (bool IsNewUser, byte[]? NewUserJson) Assign(string email, string firstName, string lastName, string organization, int collectionId)
    {
        lock (_gate)
        {
            byte[]? created = null;
            if (!_userIndexByEmail.ContainsKey(email))
            {
                var user = new SenarUser(Guid.NewGuid().ToString("D"), firstName, lastName, email, "en", organization, string.Empty, NowText, "Trainee");
                created = JsonSerializer.SerializeToUtf8Bytes(user, SandboxJsonContext.Relaxed.SenarUser);
                AddUserUnderLock(email, created);
            }

            _assignments.Add((email.ToLowerInvariant(), collectionId));
            return (created is not null, created);
        }
    }

    public bool HasUser(string email)
    {
        lock (_gate)
        {
            return _userIndexByEmail.ContainsKey(email);
        }
    }

    /// <summary>Adds a user given as a JSON object; false when a user with that email exists.</summary>
    public bool TryAddUser(string email, byte[] json)
    {
        lock (_gate)
        {
            if (_userIndexByEmail.ContainsKey(email))
            {
                return false;
            }

            AddUserUnderLock(email, json);
            return true;
        }
    }

    public int UserCount
    {
        get
        {
            lock (_gate)
            {
                return _users.Count;
            }
        }
    }

    public byte[][] UsersSnapshot()
    {
        lock (_gate)
        {
            return _users.ToArray();
        }
    }

    /// <summary>Adds the activity <paramref name="create"/> makes for the next id (given to it), and returns that id.</summary>
    public long AddActivity(Func<long, byte[]> create)
    {
        lock (_gate)
        {
            var id = ActivityGenerator.FirstId + _activities.Count + _addedActivities.Count;
            _addedActivities.Add(create(id));
            return id;
        }
    }

    public byte[][] AddedActivitiesSnapshot()
    {
        lock (_gate)
        {
            return _addedActivities.ToArray();
        }
    }

    public WebhookInfo RegisterWebhook(string hookUrl, string method, string provider)
    {
        var hook = new WebhookInfo(Guid.NewGuid().ToString("D"), hookUrl, method, provider, Now.UtcDateTime);
        lock (_gate)
        {
            _webhooks.Add(hook);
        }

        return hook;
    }

    public IReadOnlyList<WebhookInfo> Webhooks(string? method = null)
    {
        lock (_gate)
        {
            return _webhooks.Where(w => method is null || w.Method == method).ToArray();
        }
    }

    public void LogDelivery(WebhookDelivery delivery)
    {
        lock (_gate)
        {
            _deliveries.Enqueue(delivery);
            while (_deliveries.Count > DeliveryLogSize)
            {
                _deliveries.Dequeue();
            }
        }
    }

    public IReadOnlyList<WebhookDelivery> Deliveries()
    {
        lock (_gate)
        {
            return _deliveries.ToArray();
        }
    }

    private void AddUserUnderLock(string email, byte[] json)
    {
        _userIndexByEmail[email] = _users.Count;
        _users.Add(json);
    }
}
