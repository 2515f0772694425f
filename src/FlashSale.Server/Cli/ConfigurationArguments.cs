namespace FlashSale.Server.Cli;

/// <summary>
/// .NET configuration overrides on the command line (<c>--FlashSale:AdminKey=VALUE</c> or
/// <c>--FlashSale:AdminKey VALUE</c>): a key with a section (a colon) marks them. They are taken out before the verbs'
/// own options are parsed, so that every other unknown option is an error on every verb.
/// </summary>
internal static class ConfigurationArguments
{
    /// <summary>Splits <paramref name="args"/> into configuration overrides and the rest, each in its order.</summary>
    public static (List<string> Configuration, List<string> Verbs) Split(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var configuration = new List<string>();
        var rest = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                rest.AddRange(args.Skip(i));
                break;
            }

            if (!IsKey(arg))
            {
                rest.Add(arg);
                continue;
            }

            configuration.Add(arg);
            var valueFollows = i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
            if (!arg.Contains('=', StringComparison.Ordinal) && valueFollows)
            {
                configuration.Add(args[++i]);
            }
        }

        return (configuration, rest);
    }

    private static bool IsKey(string arg)
    {
        if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length < 4) return false;
        var equals = arg.IndexOf('=', StringComparison.Ordinal);
        var key = equals < 0 ? arg.AsSpan(2) : arg.AsSpan(2, equals - 2);
        var colon = key.IndexOf(':');
        return colon > 0 && colon < key.Length - 1;
    }
}
