using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Senar.Client;
using Symtrain.Client;
using Symtrain.Client.Users;

namespace TrainingApis.Samples.Tests;

/// <summary>The SDK calls the samples rely on, and the messages a newcomer meets first.</summary>
public sealed class SdkForNewcomersTests
{
    [Fact]
    public void A_missing_symtrain_configuration_section_is_named_in_the_validation_error()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Symtran:ApiKey"] = "typo-in-the-section-name" }).Build();
        var services = new ServiceCollection();
        services.AddSymtrainClient(configuration.GetSection("Symtrain"));
        using var provider = services.BuildServiceProvider();

        var resolve = () => provider.GetRequiredService<IOptionsMonitor<SymtrainClientOptions>>().CurrentValue;

        resolve.Should().Throw<OptionsValidationException>()
            .Which.Message.Should().Contain("The configuration section 'Symtrain' is missing or empty").And.Contain("ApiKey");
    }

    [Fact]
    public void A_missing_senar_configuration_section_is_named_in_the_validation_error()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Apis:Senr:Username"] = "typo-in-the-section-name" }).Build();
        var services = new ServiceCollection();
        services.AddSenarClient(configuration.GetSection("Apis:Senar"));
        using var provider = services.BuildServiceProvider();

        var resolve = () => provider.GetRequiredService<IOptionsMonitor<SenarClientOptions>>().CurrentValue;

        resolve.Should().Throw<OptionsValidationException>().Which.Message.Should().Contain("The configuration section 'Apis:Senar' is missing or empty");
    }

    [Fact]
    public void An_absent_section_with_the_settings_given_in_code_stays_valid()
    {
        var services = new ServiceCollection();
        services.AddSymtrainClient(new ConfigurationBuilder().Build().GetSection("Symtrain"));
        services.Configure<SymtrainClientOptions>(options => options.ApiKey = "from-code");
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IOptionsMonitor<SymtrainClientOptions>>().CurrentValue.ApiKey.Should().Be("from-code");
    }

    [Fact]
    public void A_present_section_adds_no_message_of_its_own()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Symtrain:ApiKey"] = "a-key" }).Build();
        var services = new ServiceCollection();
        services.AddSymtrainClient(configuration.GetSection("Symtrain"));
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IOptionsMonitor<SymtrainClientOptions>>().CurrentValue.ApiKey.Should().Be("a-key");
    }

    [Fact]
    public async Task The_sdk_reader_checks_the_header_first_and_alone()
    {
        using var csv = Csv("firstname,lastName,username,email,role,team,status,action\nAda,Lovelace,a@x.example,a@x.example,trainee,,ACTIVE,Add\n");

        var read = () => BulkImportCsv.ReadAsync(csv);

        var errors = (await read.Should().ThrowAsync<BulkImportValidationException>()).Which.Errors;
        errors.Should().OnlyContain(e => e.Row == null);
        errors.Select(e => e.Message).Should().Contain(m => m.Contains("unknown column 'team'"));
    }

    [Fact]
    public async Task The_sdk_reader_lists_every_row_problem_and_allows_more_rows_than_one_file_holds()
    {
        var rows = Enumerable.Range(1, BulkImportCsv.MaxRowsPerFile + 1).Select(i => $"First{i},Last{i},u{i}@x.example,u{i}@x.example,trainee,,ACTIVE,Add");
        using var many = Csv("firstName,lastName,username,email,role,teamName,status,action\n" + string.Join("\n", rows) + "\n");
        using var bad = Csv("firstName,lastName,username,email,role,teamName,status,action\n,Lovelace,a@x.example,a@x.example,admin,,ACTIVE,Add\n");

        (await BulkImportCsv.ReadAsync(many)).Should().HaveCount(BulkImportCsv.MaxRowsPerFile + 1, "the batches upload them as several files");
        var errors = (await FluentActions.Awaiting(() => BulkImportCsv.ReadAsync(bad)).Should().ThrowAsync<BulkImportValidationException>()).Which.Errors;
        errors.Select(e => (e.Row, e.Field)).Should().BeEquivalentTo(new (int?, string?)[] { (1, "firstName"), (1, "role") });
    }

    private static MemoryStream Csv(string text) => new(Encoding.UTF8.GetBytes(text));
}
