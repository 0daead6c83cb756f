using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TrainingApis.Sandbox.Control;
using TrainingApis.Sandbox.Http;
using TrainingApis.Sandbox.Senar;
using TrainingApis.Sandbox.Symtrain;

namespace TrainingApis.Sandbox;

/// <summary>Builds the web application: an empty builder (no configuration files, no environment variables), a lifetime
/// that hooks no signal (<see cref="EmbeddedHostLifetime"/>), Kestrel on 127.0.0.1, the middleware and every endpoint.</summary>
internal static class SandboxApp
{
    public static WebApplication Build(SandboxRuntime runtime)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(SandboxApp).Assembly.GetName().Name,
            EnvironmentName = "Production",
            ContentRootPath = AppContext.BaseDirectory,
        });
        // Even the empty builder registers the console lifetime, which hooks SIGINT and SIGTERM: an embedded sandbox
        // must never change how its host process stops.
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, runtime.Options.Port);
        });
        builder.Services.AddRoutingCore();
        builder.Services.AddLogging();
        builder.Services.AddSingleton<ILoggerFactory>(new HostLoggerFactory(runtime.LoggerFactory));

        var app = builder.Build();
        app.Use((context, next) => GuardAsync(context, next, runtime));
        app.Use(ControlEndpoints.LoopbackHostGateAsync);
        app.Use((context, next) => FaultAsync(context, next, runtime));
        app.Use((context, next) =>
        {
            var path = context.Request.Path.Value ?? string.Empty;
            if (path.StartsWith(SymtrainEndpoints.PathPrefix, StringComparison.OrdinalIgnoreCase))
            {
                return SymtrainEndpoints.GateAsync(context, next, runtime);
            }

            if (path.StartsWith(ControlEndpoints.PathPrefix, StringComparison.OrdinalIgnoreCase))
            {
                return ControlEndpoints.GateAsync(context, next);
            }

            return path.StartsWith(SenarEndpoints.DataPathPrefix, StringComparison.OrdinalIgnoreCase)
                ? SenarEndpoints.GateAsync(context, next, runtime)
                : next(context);
        });

        SymtrainEndpoints.Map(app, runtime);
        SenarEndpoints.Map(app, runtime);
        ControlEndpoints.Map(app, runtime);
        app.MapFallback((RequestDelegate)(context => NotFoundAsync(context)));
        return app;
    }

    /// <summary>The address Kestrel listens on, e.g. <c>http://127.0.0.1:54321/</c>.</summary>
    public static Uri GetBaseAddress(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        var address = addresses?.FirstOrDefault() ?? throw new InvalidOperationException("Kestrel reported no listening address.");
        return new Uri(address.EndsWith('/') ? address : address + "/");
    }

    /// <summary>Logs every request (method, path, status, duration; never a header), answers a body Kestrel could not read
    /// with Kestrel's 4xx, and turns a crash into a JSON 500.</summary>
    private static async Task GuardAsync(HttpContext context, RequestDelegate next, SandboxRuntime runtime)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            // A body Kestrel could not read (badly chunked, over its limit, too slow) is the client's fault: its 4xx,
            // never a 500 that a client would retry.
            context.Response.Clear();
            await Responses.MessageAsync(context, ex.StatusCode, "The request body could not be read: " + ex.Message);
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            SandboxLog.RequestFailed(runtime.Logger, ex, context.Request.Method, context.Request.Path);
            if (!context.Response.HasStarted)
            {
                context.Response.Clear();
                await Responses.MessageAsync(context, StatusCodes.Status500InternalServerError, "The sandbox failed to answer this request: " + ex.GetType().Name);
            }
        }
        finally
        {
            if (runtime.Logger.IsEnabled(LogLevel.Information))
            {
                SandboxLog.Request(runtime.Logger, context.Request.Method, context.Request.Path, context.Response.StatusCode, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }
    }

    /// <summary>Answers a scripted fault instead of the API, for any path outside <c>/_sandbox</c>.</summary>
    private static async Task FaultAsync(HttpContext context, RequestDelegate next, SandboxRuntime runtime)
    {
        var path = context.Request.Path.Value ?? "/";
        if (path.StartsWith(ControlEndpoints.PathPrefix, StringComparison.OrdinalIgnoreCase)
            || runtime.Faults.TryTake(context.Request.Method, path) is not { } fault)
        {
            await next(context);
            return;
        }

        SandboxLog.FaultInjected(runtime.Logger, context.Request.Method, path, fault.Abort ? 0 : fault.StatusCode);
        if (fault.Abort)
        {
            context.Abort();
            return;
        }

        if (fault.RetryAfterSeconds is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        }

        await Responses.SymtrainErrorAsync(context, fault.StatusCode, $"Injected fault: {fault.StatusCode} (sandbox fault {fault.Id}).");
    }

    private static Task NotFoundAsync(HttpContext context)
    {
        var message = $"No endpoint matches {context.Request.Method} {context.Request.Path}. Symtrain endpoints are POST under /v2/; "
            + "Senar's are POST /api/auth/login, POST /integration/data/user_assign and webhook_register, GET /integration/data/users and activities.";
        return Responses.MessageAsync(context, StatusCodes.Status404NotFound, message);
    }
}
