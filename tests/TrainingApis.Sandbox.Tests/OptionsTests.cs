namespace TrainingApis.Sandbox.Tests;

public sealed class OptionsTests
{
    [Fact]
    public void Defaults_are_the_vendors_limits()
    {
        var options = new TrainingSandboxOptions();

        options.Validate().Should().BeEmpty();
        options.Port.Should().Be(0);
        options.SymtrainQuotaLimit.Should().Be(100);
        options.SymtrainQuotaWindow.Should().Be(TimeSpan.FromMinutes(5));
        options.MaxReportRangeDays.Should().Be(180);
        options.TimeProvider.Should().BeSameAs(TimeProvider.System);
    }

    [Fact]
    public void Validate_names_every_bad_setting()
    {
        var options = new TrainingSandboxOptions
        {
            Port = 70000,
            SymtrainApiKey = " ",
            SymtrainQuotaLimit = 0,
            SymtrainQuotaWindow = TimeSpan.Zero,
            SenarActivityCount = -1,
            BulkImportQueueDelay = TimeSpan.FromSeconds(-1),
        };

        var problems = options.Validate();

        problems.Should().HaveCount(6);
        string.Join(" ", problems).Should().ContainAll(
            "Port", "SymtrainApiKey", "SymtrainQuotaLimit", "SymtrainQuotaWindow", "SenarActivityCount", "BulkImportQueueDelay");
    }

    [Fact]
    public async Task Start_refuses_invalid_settings_before_listening()
    {
        var act = () => TrainingSandbox.StartAsync(new TrainingSandboxOptions { SenarPassword = "", TraineeCount = 0 });

        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().ContainAll("SenarPassword", "TraineeCount");
    }

    [Fact]
    public async Task Secrets_are_masked_in_ToString()
    {
        var options = new TrainingSandboxOptions { SymtrainApiKey = "key-secret-1", SenarPassword = "Secret123" };
        await using var sandbox = await TrainingSandbox.StartAsync(options);

        options.ToString().Should().NotContain("key-secret-1").And.NotContain("Secret123").And.Contain("***");
        sandbox.ToString().Should().NotContain("key-secret-1").And.NotContain("Secret123").And.Contain(sandbox.BaseAddress.ToString());
        sandbox.SymtrainApiKey.Should().Be("key-secret-1");
        sandbox.SenarPassword.Should().Be("Secret123");
    }

    [Fact]
    public async Task The_sandbox_listens_on_loopback_with_a_dynamic_port_and_exposes_its_seeded_ids()
    {
        await using var sandbox = await TrainingSandbox.StartAsync(new TrainingSandboxOptions { OrganizationId = "acme" });
        using var client = ApiCall.ClientFor(sandbox);

        var info = await ApiCall.GetAsync(client, "_sandbox");

        sandbox.BaseAddress.Host.Should().Be("127.0.0.1");
        sandbox.BaseAddress.Port.Should().BePositive();
        sandbox.BaseAddress.AbsolutePath.Should().Be("/");
        sandbox.OrganizationId.Should().Be("acme");
        sandbox.TraineeUsername.Should().Contain("@");
        sandbox.SimulationId.Should().Be("sim-1001");
        sandbox.SenarCollectionId.Should().Be(41);
        info.Json.GetProperty("traineeUsername").GetString().Should().Be(sandbox.TraineeUsername);
        info.Text.Should().NotContain(sandbox.SymtrainApiKey).And.NotContain(sandbox.SenarPassword);
    }

    [Fact]
    public async Task Options_are_copied_at_start()
    {
        var options = new TrainingSandboxOptions();
        await using var sandbox = await TrainingSandbox.StartAsync(options);

        options.SymtrainApiKey = "changed";

        sandbox.SymtrainApiKey.Should().Be("sandbox-symtrain-api-key");
        sandbox.Options.SymtrainApiKey.Should().Be("sandbox-symtrain-api-key");
    }

    [Fact]
    public async Task Disposing_twice_is_harmless_and_frees_the_port()
    {
        var sandbox = await TrainingSandbox.StartAsync();
        var port = sandbox.BaseAddress.Port;

        await sandbox.DisposeAsync();
        await sandbox.DisposeAsync();
        await using var again = await TrainingSandbox.StartAsync(new TrainingSandboxOptions { Port = port });

        again.BaseAddress.Port.Should().Be(port);
    }

    [Fact]
    public async Task The_console_banner_prints_the_address_and_credentials()
    {
        await using var sandbox = await TrainingSandbox.StartAsync();

        var banner = Program.Describe(sandbox);

        banner.Should().ContainAll(
            sandbox.BaseAddress.ToString(), sandbox.SymtrainApiKey, sandbox.OrganizationId, sandbox.TraineeUsername, sandbox.SimulationId,
            sandbox.SenarUsername, sandbox.SenarPassword, "Ctrl+C");
    }

    [Fact]
    public async Task The_command_line_shows_help_and_refuses_bad_arguments()
    {
        (await Program.Main(["--help"])).Should().Be(0);
        (await Program.Main(["--port", "x"])).Should().Be(2);
        (await Program.Main(["--port", "70000"])).Should().Be(2);
        (await Program.Main(["--colour", "1"])).Should().Be(2);
    }
}
