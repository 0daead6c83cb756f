using Spectre.Console;
using Spectre.Console.Rendering;
using TrainingApis.Cli.Output;

namespace TrainingApis.Cli.Tests;

public sealed class SecretPromptTests
{
    [Fact]
    public void A_secret_is_read_with_nothing_shown_as_it_is_typed()
    {
        var screen = new StringWriter();
        var console = new KeyedConsole(
            AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(screen), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.Yes }),
            "Hunter2pw");

        var secret = SecretPrompt.Ask(console, "Symtrain API key");

        secret.Should().Be("Hunter2pw");
        screen.ToString().Should().Contain("Symtrain API key").And.NotContain("Hunter2pw").And.NotContain("*", "not even a mask per character");
    }

    /// <summary>A console whose keyboard types <c>text</c> and Enter.</summary>
    private sealed class KeyedConsole(IAnsiConsole inner, string text) : IAnsiConsole, IAnsiConsoleInput
    {
        private readonly Queue<ConsoleKeyInfo> _keys = new(text.Select(c => new ConsoleKeyInfo(c, ConsoleKey.A, false, false, false))
            .Append(new ConsoleKeyInfo('\r', ConsoleKey.Enter, false, false, false)));

        public Profile Profile => inner.Profile;

        public IAnsiConsoleCursor Cursor => inner.Cursor;

        public IAnsiConsoleInput Input => this;

        public IExclusivityMode ExclusivityMode => inner.ExclusivityMode;

        public RenderPipeline Pipeline => inner.Pipeline;

        public void Clear(bool home) => inner.Clear(home);

        public void Write(IRenderable renderable) => inner.Write(renderable);

        public bool IsKeyAvailable() => _keys.Count > 0;

        public ConsoleKeyInfo? ReadKey(bool intercept) => _keys.Dequeue();

        public Task<ConsoleKeyInfo?> ReadKeyAsync(bool intercept, CancellationToken cancellationToken) => Task.FromResult<ConsoleKeyInfo?>(_keys.Dequeue());
    }
}
