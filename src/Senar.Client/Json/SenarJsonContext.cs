using System.Text.Json;
using System.Text.Json.Serialization;
using Senar.Client.Activities;
using Senar.Client.Auth;
using Senar.Client.Users;
using Senar.Client.Webhooks;

namespace Senar.Client.Json;

/// <summary>The source-generated JSON metadata of every Senar model (web defaults: camelCase, case-insensitive reading).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(LoginRequest))]
[JsonSerializable(typeof(LoginResponse))]
[JsonSerializable(typeof(UserAssignment))]
[JsonSerializable(typeof(UserAssignResult))]
[JsonSerializable(typeof(SenarUser))]
[JsonSerializable(typeof(List<SenarUser>))]
[JsonSerializable(typeof(SenarActivity))]
[JsonSerializable(typeof(List<SenarActivity>))]
[JsonSerializable(typeof(WebhookRegisterRequest))]
[JsonSerializable(typeof(WebhookRegistration))]
[JsonSerializable(typeof(JwtClaims))]
internal sealed partial class SenarJsonContext : JsonSerializerContext;
