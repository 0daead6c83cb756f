using System.Text.Json;

namespace TrainingApis.Cli.Hosting;

/// <summary>
/// Where the tool finds credentials and addresses, first match wins: the environment (<c>SYMTRAIN_API_KEY</c>,
/// <c>SYMTRAIN_BASE_ADDRESS</c>, <c>SYMTRAIN_ORGANIZATION_ID</c>, <c>SENAR_USERNAME</c>, <c>SENAR_PASSWORD</c>,
/// <c>SENAR_BASE_ADDRESS</c>), then the settings file: the path in <c>TRAININGAPIS_SETTINGS</c>, else
/// <c>trainingapis.json</c> in the current folder when it exists. Never the command line: arguments are visible to
/// other processes and kept in shell history.
/// </summary>
internal sealed class CliSettings
{
    public const string FileName = "trainingapis.json";
    public const string FileVariable = "TRAININGAPIS_SETTINGS";

    private readonly CliHost _host;
    private readonly Dictionary<string, string> _file;
    private readonly Dictionary<string, string> _wrongTypes;

    private CliSettings(CliHost host, Dictionary<string, string> file, Dictionary<string, string> wrongTypes, string? path)
    {
        _host = host;
        _file = file;
        _wrongTypes = wrongTypes;
        FilePath = path;
    }

    /// <summary>The settings file read, or null.</summary>
    public string? FilePath { get; }

    /// <summary>Reads the settings file, if any.</summary>
    /// <exception cref="CliException">The file named by <c>TRAININGAPIS_SETTINGS</c> is missing, or the file is not valid JSON (exit code 2).</exception>
    public static CliSettings Load(CliHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var named = host.GetEnvironmentVariable(FileVariable);
        string? path = null;
        if (!string.IsNullOrWhiteSpace(named))
        {
            path = host.FullPath(named);
            if (Directory.Exists(path))
            {
                throw CliException.Usage($"{FileVariable} names '{path}', which is a folder; name the settings file itself (e.g. {Path.Combine(path, FileName)}).");
            }

            if (!File.Exists(path))
            {
                throw CliException.Usage($"{FileVariable} names '{path}', which does not exist.");
            }
        }
        else if (File.Exists(host.FullPath(FileName)))
        {
            path = host.FullPath(FileName);
        }

        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var wrongTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (path is not null)
        {
            try
            {
                using var document = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
                Flatten(document.RootElement, string.Empty, values, wrongTypes);
            }
            catch (JsonException ex)
            {
                // The position only: the message of a JSON error can quote the file's text, which may hold a secret.
                throw CliException.Usage($"The settings file '{path}' is not valid JSON (line {ex.LineNumber + 1}).");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw CliException.Usage($"The settings file '{path}' could not be read: {ex.Message}");
            }
        }

        return new CliSettings(host, values, wrongTypes, path);
    }

    /// <summary>The value of <paramref name="variable"/>, else <paramref name="key"/> (e.g. <c>symtrain:apiKey</c>) in the file.</summary>
    /// <exception cref="CliException">The file gives the key a value that is not text (exit code 2); the value is not repeated.</exception>
    public string? Get(string variable, string key)
    {
        var value = _host.GetEnvironmentVariable(variable);
        if (!string.IsNullOrWhiteSpace(value))
        {
            return value.Trim();
        }

        if (_wrongTypes.TryGetValue(key, out var kind))
        {
            throw CliException.Usage($"{key.Replace(':', '.')} in the settings file '{FilePath}' is {kind}; it must be text (in double quotes).");
        }

        return _file.TryGetValue(key, out var fromFile) && !string.IsNullOrWhiteSpace(fromFile) ? fromFile.Trim() : null;
    }

    /// <summary>Where a setting can come from, for error messages.</summary>
    public string Sources(string variable, string key) =>
        $"set {variable}, or {key.Replace(':', '.')} in {FilePath ?? FileName} (or in the file {FileVariable} names)";

    // Every setting is text (an organization id, a key, an address), or a number taken as its text: another JSON type
    // is a mistake worth naming (not "no API key").
    private static void Flatten(JsonElement element, string prefix, Dictionary<string, string> values, Dictionary<string, string> wrongTypes)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            if (prefix.Length > 0)
            {
                wrongTypes[prefix] = "an object";
            }

            foreach (var property in element.EnumerateObject())
            {
                Flatten(property.Value, prefix.Length == 0 ? property.Name : prefix + ":" + property.Name, values, wrongTypes);
            }
        }
        else if (element.ValueKind is JsonValueKind.String)
        {
            values[prefix] = element.GetString()!;
        }
        else if (element.ValueKind is JsonValueKind.Number)
        {
            values[prefix] = element.GetRawText();
        }
        else if (prefix.Length > 0)
        {
            wrongTypes[prefix] = element.ValueKind switch
            {
                JsonValueKind.True or JsonValueKind.False => "true or false",
                JsonValueKind.Array => "a list",
                _ => "null",
            };
        }
    }
}
