namespace TrainingApis.Core.Tests.TestSupport;

/// <summary>The smallest concrete <see cref="ApiClientOptions"/>: a service at https://api.test/.</summary>
internal sealed class TestOptions : ApiClientOptions
{
    public TestOptions()
        : base(new Uri("https://api.test/"))
    {
    }

    public string? ApiKey { get; set; }

    private protected override void AddValidationErrors(List<string> errors)
    {
        if (ApiKey is { Length: < 4 })
        {
            errors.Add("TestOptions.ApiKey is too short.");
        }
    }
}
