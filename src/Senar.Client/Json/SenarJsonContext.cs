using System.Text.Json;
using System.Text.Json.Serialization;
using Senar.Client.Activities;
using Senar.Client.Auth;
using Senar.Client.Users;
using Senar.Client.Webhooks;
using TrainingApis.Core.Json;

namespace Senar.Client.Json;

/// <summary>
/// The source-generated JSON metadata of every Senar model (web defaults: camelCase, case-insensitive reading, numbers
/// accepted as strings); every date-time property reads with <see cref="LenientDateTimeConverter"/>, every flag with
/// <see cref="LenientBooleanConverter"/> (<c>true</c> or <c>"true"</c>), every floating-point number with
/// <see cref="FiniteDoubleConverter"/> (finite only).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, Converters = [typeof(LenientDateTimeConverter), typeof(LenientBooleanConverter), typeof(FiniteDoubleConverter)])]
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
