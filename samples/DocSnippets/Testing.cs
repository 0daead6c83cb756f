using Senar.Client;
using Symtrain.Client;

namespace DocSnippets;

/// <summary>The code of docs/testing.md, compiled.</summary>
internal static class Testing
{
    public static void ReuseTheStubs()
    {
        #region testing-reuse-stubs
        using var symtrain = new SymtrainClient(new SymtrainClientOptions
        {
            BaseAddress = new Uri("http://127.0.0.1:8080"),
            ApiKey = "test-key",              // any value: the stubs only require a Bearer token
        });

        using var senar = new SenarClient(new SenarClientOptions
        {
            BaseAddress = new Uri("http://127.0.0.1:8080"),
            Username = "integration@example.com",
            Password = "Password8",
        });
        #endregion
    }
}
