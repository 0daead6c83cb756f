using System.Globalization;
using System.Text;
using System.Text.Json;
using Spectre.Console;
using TrainingApis.Cli.Export;
using TrainingApis.Cli.Hosting;

namespace TrainingApis.Cli.Output;

/// <summary>What commands write: results on standard output (text, or one JSON document with <c>--json</c>), status and errors on standard error.</summary>
internal static class CliOutput
{
    /// <summary>A status line on standard error.</summary>
    public static void Status(CliHost host, string text) => host.Error.WriteLine(text);

    /// <summary>An error on standard error: red on a terminal, <c>error: …</c> otherwise.</summary>
    public static void Error(CliHost host, string text)
    {
        host.Errors.Add(text);
        if (host.IsTerminal)
        {
            host.ErrorConsole.MarkupLine($"[red]error:[/] {Markup.Escape(text)}");
        }
        else
        {
            host.Error.WriteLine($"error: {text}");
        }
    }

    /// <summary>Writes one JSON document (indented) to standard output.</summary>
    public static void Json(CliHost host, Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JsonLinesWriter.WriterOptions.Encoder }))
        {
            write(writer);
        }

        host.Out.WriteLine(Encoding.UTF8.GetString(buffer.WrittenSpan));
        host.JsonWritten = true;
    }

    /// <summary>
    /// The <c>--json</c> document of a failure: <c>{"error": {"exitCode": n, "message": "…"}}</c>, the message being
    /// every error reported on standard error, one per line.
    /// </summary>
    public static void JsonError(CliHost host, int exitCode) => Json(host, w =>
    {
        w.WriteStartObject();
        w.WriteStartObject("error");
        w.WriteNumber("exitCode", exitCode);
        w.WriteString("message", host.Errors.Count > 0 ? string.Join("\n", host.Errors) : exitCode == ExitCodes.Cancelled ? "Cancelled." : "Failed.");
        w.WriteEndObject();
        w.WriteEndObject();
    });

    /// <summary>A table as plain text columns on standard output (no box drawing, no ANSI: it is often piped).</summary>
    public static void Table(CliHost host, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var all = rows.Prepend(headers).ToList();
        var widths = Enumerable.Range(0, headers.Count).Select(i => all.Max(r => i < r.Count ? r[i].Length : 0)).ToArray();
        foreach (var row in all)
        {
            var cells = row.Select((cell, i) => i == row.Count - 1 ? cell : cell.PadRight(widths[i]));
            host.Out.WriteLine(string.Join("  ", cells).TrimEnd());
        }
    }

    public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A count from a model as text; "?" when the API sent none (counts may be nullable in the models).</summary>
    public static string Count(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "?";

    /// <summary>Writes a count from a model, or null when the API sent none.</summary>
    public static void WriteCount(Utf8JsonWriter writer, string name, long? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
