using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization;
using Senar.Client;
using Symtrain.Client;
using TrainingApis.Core;

namespace TrainingApis.Reliability.Tests;

/// <summary>The API conventions, checked by reflection over TrainingApis.Core, Symtrain.Client and Senar.Client.</summary>
public sealed class ConventionTests(ITestOutputHelper output)
{
    public static readonly Assembly[] ClientAssemblies = [typeof(ApiException).Assembly, typeof(SymtrainClient).Assembly, typeof(SenarClient).Assembly];

    private static readonly Assembly[] ModelAssemblies = [typeof(SymtrainClient).Assembly, typeof(SenarClient).Assembly];

    [Fact]
    public void Every_public_async_method_takes_a_CancellationToken_last()
    {
        var methods = ClientAssemblies.SelectMany(a => a.GetExportedTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => IsAsync(m.ReturnType) && !m.IsSpecialName && m.Name != nameof(IAsyncDisposable.DisposeAsync))
            .ToList();
        var offenders = methods
            .Where(m => m.GetParameters() is not [.., { ParameterType: var last }] || last != typeof(CancellationToken))
            .Select(Describe)
            .ToList();
        var clientMethods = methods.Where(m => m.DeclaringType!.Assembly != typeof(ApiException).Assembly && m.DeclaringType.IsInterface).ToList();
        var notOptional = clientMethods.Where(m => m.GetParameters()[^1] is { HasDefaultValue: false }).Select(Describe).ToList();

        output.WriteLine($"FIGURE conventions: {methods.Count} public async methods, {offenders.Count} without a CancellationToken last; {clientMethods.Count} client interface methods, {notOptional.Count} whose token is not optional");
        offenders.Should().BeEmpty();
        notOptional.Should().BeEmpty("client operations take `CancellationToken cancellationToken = default`");
        clientMethods.Should().HaveCountGreaterThan(30);
    }

    /// <summary>
    /// Response models are sealed records with init-only properties. The one allowed exception is the
    /// <c>[JsonExtensionData] AdditionalProperties</c> dictionary, which has a public <c>set</c> because System.Text.Json
    /// source generation rejects an init-only extension-data property.
    /// </summary>
    [Fact]
    public void Response_models_are_sealed_records_with_init_only_properties()
    {
        var models = ResponseModels().ToList();
        var problems = new List<string>();
        foreach (var model in models)
        {
            if (!model.IsSealed)
            {
                problems.Add($"{model.Name} is not sealed");
            }

            if (model.GetMethod("<Clone>$") is null)
            {
                problems.Add($"{model.Name} is not a record");
            }

            foreach (var property in model.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (property.SetMethod is not { IsPublic: true } setter)
                {
                    continue;
                }

                var initOnly = setter.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit));
                var extensionData = property.GetCustomAttribute<JsonExtensionDataAttribute>() is not null && property.Name == "AdditionalProperties";
                if (!initOnly && !extensionData)
                {
                    problems.Add($"{model.Name}.{property.Name} has a public set");
                }
            }
        }

        output.WriteLine($"FIGURE conventions: {models.Count} response models ({string.Join(", ", models.Select(m => m.Name))}): {problems.Count} problems");
        problems.Should().BeEmpty();
        models.Should().HaveCountGreaterThan(10);
    }

    [Fact]
    public void Every_public_interface_member_is_implemented_by_the_concrete_clients()
    {
        using var symtrain = new SymtrainClient(new SymtrainClientOptions { ApiKey = "k" });
        using var senar = new SenarClient(new SenarClientOptions { Username = "u", Password = "p" });
        object[] implementations = [symtrain, symtrain.Reports, symtrain.Access, symtrain.Users, senar, senar.Auth, senar.Users, senar.Activities, senar.Webhooks];
        // Extension points are implemented by users (or TrainingApis.Redis), not by the clients.
        Type[] extensionPoints = [typeof(Senar.Client.Auth.ISenarTokenStore)];
        var interfaces = ModelAssemblies.SelectMany(a => a.GetExportedTypes()).Where(t => t.IsInterface).Except(extensionPoints).ToList();
        var problems = new List<string>();
        var members = 0;
        foreach (var contract in interfaces)
        {
            var implementation = implementations.FirstOrDefault(contract.IsInstanceOfType);
            if (implementation is null)
            {
                problems.Add($"no concrete client implements {contract.Name}");
                continue;
            }

            var map = implementation.GetType().GetInterfaceMap(contract);
            for (var i = 0; i < map.InterfaceMethods.Length; i++)
            {
                members++;
                var target = map.TargetMethods[i];
                if (target is null || target.IsAbstract || target.DeclaringType!.IsInterface)
                {
                    problems.Add($"{contract.Name}.{map.InterfaceMethods[i].Name} has no implementation in {implementation.GetType().Name}");
                }
            }

            foreach (var property in contract.GetProperties())
            {
                if (property.GetValue(implementation) is null)
                {
                    problems.Add($"{contract.Name}.{property.Name} is null");
                }
            }
        }

        output.WriteLine($"FIGURE conventions: {interfaces.Count} public interfaces, {members} members, {problems.Count} unimplemented");
        problems.Should().BeEmpty();
        interfaces.Should().HaveCountGreaterThanOrEqualTo(9);
    }

    /// <summary>The types the public operations return, followed through their properties and collections.</summary>
    private static IEnumerable<Type> ResponseModels()
    {
        var seen = new HashSet<Type>();
        var queue = new Queue<Type>(ModelAssemblies.SelectMany(a => a.GetExportedTypes())
            .Where(t => t.IsInterface)
            .SelectMany(t => t.GetMethods())
            .Select(m => m.ReturnType));
        while (queue.TryDequeue(out var type))
        {
            foreach (var candidate in Unwrap(type))
            {
                if (candidate.IsClass && !candidate.IsGenericParameter && ModelAssemblies.Contains(candidate.Assembly) && candidate.Name != nameof(Symtrain.Client.Reports.ReportRow) && seen.Add(candidate))
                {
                    foreach (var property in candidate.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                    {
                        queue.Enqueue(property.PropertyType);
                    }
                }
            }
        }

        return seen.OrderBy(t => t.Name);
    }

    private static IEnumerable<Type> Unwrap(Type type)
    {
        yield return type;
        if (type.IsGenericType)
        {
            foreach (var argument in type.GetGenericArguments().SelectMany(Unwrap))
            {
                yield return argument;
            }
        }
    }

    private static bool IsAsync(Type type) =>
        typeof(Task).IsAssignableFrom(type) || type == typeof(ValueTask)
        || (type.IsGenericType && type.GetGenericTypeDefinition() is var definition && (definition == typeof(ValueTask<>) || definition == typeof(IAsyncEnumerable<>)));

    private static string Describe(MethodInfo method) =>
        $"{method.DeclaringType!.Name}.{method.Name}({string.Join(", ", method.GetParameters().Select(p => p.ParameterType.Name))})";
}
