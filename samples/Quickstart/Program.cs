using Quickstart;

// The main job of the repository: `dotnet run --project samples/Quickstart`.
// Without credentials it starts the embedded sandbox and walks through every call of both clients against it.
return await QuickstartApp.RunAsync(args);
