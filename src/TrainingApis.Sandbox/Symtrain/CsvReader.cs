using System.Text;

namespace TrainingApis.Sandbox.Symtrain;

/// <summary>A small RFC 4180 reader: quoted fields, doubled quotes, CRLF or LF, a UTF-8 BOM; blank lines are skipped.</summary>
internal static class CsvReader
{
    /// <summary>The records of <paramref name="text"/> (the header first), or an error naming the line.</summary>
    public static (List<string[]>? Records, string? Error) Parse(string text)
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var i = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
        var inQuotes = false;
        var quoteLine = 0;
        var fieldStarted = false;

        void EndField()
        {
            fields.Add(field.ToString());
            field.Clear();
            fieldStarted = false;
        }

        void EndRecord()
        {
            EndField();
            if (!(fields.Count == 1 && fields[0].Trim().Length == 0))
            {
                records.Add(fields.ToArray());
            }

            fields.Clear();
        }

        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else
                    {
                        inQuotes = false;
                    }
                }
                else
                {
                    if (c == '\n')
                    {
                        line++;
                    }

                    field.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '"' when !fieldStarted && field.ToString().Trim().Length == 0:
                    field.Clear();
                    inQuotes = true;
                    fieldStarted = true;
                    quoteLine = line;
                    break;
                case '"':
                    return (null, $"line {line}: a quote inside an unquoted field (quote the whole field and double the quote).");
                case ',':
                    EndField();
                    break;
                case '\r':
                    break;
                case '\n':
                    EndRecord();
                    line++;
                    break;
                case '\0':
                    return (null, $"line {line}: the file contains a NUL character; it is not a text CSV file.");
                default:
                    if (fieldStarted)
                    {
                        // After a closing quote only blanks may come before the next comma or line end.
                        if (!char.IsWhiteSpace(c))
                        {
                            return (null, $"line {line}: text after a closing quote.");
                        }

                        break;
                    }

                    field.Append(c);
                    break;
            }
        }

        if (inQuotes)
        {
            return (null, $"line {quoteLine}: a quoted field is never closed.");
        }

        if (field.Length > 0 || fields.Count > 0)
        {
            EndRecord();
        }

        return (records, null);
    }
}
