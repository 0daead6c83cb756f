namespace TrainingApis.Cli.Import;

/// <summary>A problem of the import file: its line (null for the whole file), the column, and what is wrong.</summary>
internal sealed record UserImportProblem(int? Line, string? Field, string Message)
{
    public override string ToString() => (Line, Field) switch
    {
        (null, null) => Message,
        (null, { } field) => $"{field}: {Message}",
        ({ } line, null) => $"line {line}: {Message}",
        ({ } line, { } field) => $"line {line}, {field}: {Message}",
    };
}
