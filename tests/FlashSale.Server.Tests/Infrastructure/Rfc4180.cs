using System.Text;

namespace FlashSale.Server.Tests.Infrastructure;

/// <summary>
/// A strict RFC 4180 reader: CRLF records, quoted fields with doubled quotes; anything else fails the test.
/// </summary>
public static class Rfc4180
{
    public static List<string[]> Parse(string text)
    {
        var rows = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '"')
            {
                i++;
                while (true)
                {
                    Assert.True(i < text.Length, "unterminated quoted field");
                    if (text[i] == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    field.Append(text[i++]);
                }
            }
            else
            {
                while (i < text.Length && text[i] is not (',' or '\r' or '\n'))
                {
                    Assert.True(text[i] != '"', $"a quote inside an unquoted field at {i}");
                    field.Append(text[i++]);
                }
            }

            fields.Add(field.ToString());
            field.Clear();
            Assert.True(i < text.Length, "the last record must end with CRLF");
            if (text[i] == ',')
            {
                i++;
                continue;
            }

            Assert.True(text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n',
                $"records end with CRLF (at {i})");
            i += 2;
            rows.Add([.. fields]);
            fields.Clear();
        }

        return rows;
    }
}
