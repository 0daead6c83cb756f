using System.Globalization;
using TrainingApis.Core;

namespace ReportsExport;

/// <summary>The command line: <c>[--from yyyy-MM-dd] [--to yyyy-MM-dd] [--out folder]</c>; default the last two years.</summary>
internal sealed record ExportArguments(DateRange Range, string OutputFolder)
{
    public const string Usage = """
        Usage: dotnet run --project samples/ReportsExport [-- --from yyyy-MM-dd] [--to yyyy-MM-dd] [--out folder]

        Writes the seven Symtrain reports over the range (default: the last two years) to <folder>/<report>.csv
        (default folder: reports-export). Columns are every field any row of the report has.
        Uses SYMTRAIN_API_KEY (and SYMTRAIN_BASE_ADDRESS) when set, else the embedded sandbox.
        """;

    public static ExportArguments? Parse(IReadOnlyList<string> args, DateOnly today, out string? error)
    {
        error = null;
        DateOnly? from = null, to = null;
        var folder = "reports-export";
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : null;
            switch (args[i])
            {
                case "--from" when TryDate(value, out var date):
                    from = date;
                    i++;
                    break;
                case "--to" when TryDate(value, out var date):
                    to = date;
                    i++;
                    break;
                case "--out" when !string.IsNullOrWhiteSpace(value):
                    folder = value;
                    i++;
                    break;
                case "--from" or "--to":
                    error = $"{args[i]} needs a date as yyyy-MM-dd (was '{value}').";
                    return null;
                default:
                    error = $"Unknown argument '{args[i]}'.";
                    return null;
            }
        }

        var end = to ?? today;
        var start = from ?? end.AddYears(-2).AddDays(1);
        if (start > end)
        {
            error = $"--from {start:yyyy-MM-dd} is after --to {end:yyyy-MM-dd}.";
            return null;
        }

        return new ExportArguments(new DateRange(start, end), folder);
    }

    private static bool TryDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
}
