using Spectre.Console;

namespace FlashSale.Crowd;

/// <summary>
/// The <c>crowd</c> and <c>rehearse</c> verbs behind the command line: validate the settings, run, print the summary,
/// write the report, answer an exit code. The executable's verbs only read their options and call these.
/// </summary>
public static class CrowdVerbs
{
    /// <summary>Exit code: every verification check passed.</summary>
    public const int Passed = 0;

    /// <summary>Exit code: a verification check failed.</summary>
    public const int ChecksFailed = 1;

    /// <summary>Exit code: the arguments do not make sense (nothing was sent).</summary>
    public const int BadArguments = 2;

    /// <summary>Exit code: the crowd could not run (server unreachable, sale unknown, admin key refused).</summary>
    public const int CannotRun = 3;

    /// <summary>Prints <paramref name="problems"/> as one line each, prefixed with the verb; <see
    /// cref="BadArguments"/>.</summary>
    public static int Refuse(CrowdVerb verb, IEnumerable<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        foreach (var problem in problems) Console.Error.WriteLine($"flashsale {Name(verb)}: {problem}");
        Console.Error.WriteLine($"Run 'flashsale {Name(verb)} --help' for the options.");
        return BadArguments;
    }

    /// <summary><c>flashsale crowd</c>: validates <paramref name="settings"/>, runs the crowd, reports; the exit
    /// code.</summary>
    public static Task<int> CrowdAsync(CrowdSettings settings, TimeProvider time, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return RunAsync(settings, console => RunCrowdAsync(settings, console, time, stop), AnsiConsole.Console);
    }

    /// <summary>
    /// <c>flashsale rehearse</c>: validates <paramref name="settings"/>, asks <paramref name="startServer"/> for a
    /// server,
    /// runs the crowd against it, reports; the exit code.
    /// </summary>
    public static Task<int> RehearseAsync(
        CrowdSettings settings, Func<RehearsalServerSettings, CancellationToken, Task<IRehearsalServer>> startServer,
        TimeProvider time, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return RunAsync(settings, console => Rehearsal.RunAsync(settings, startServer, console, time, stop),
            AnsiConsole.Console);
    }

    internal static async Task<CrowdResult> RunCrowdAsync(CrowdSettings settings, IAnsiConsole console,
        TimeProvider time, CancellationToken stop)
    {
        using var runner = new CrowdRunner(settings, console, time);
        return await runner.RunAsync(stop);
    }

    private static async Task<int> RunAsync(CrowdSettings settings, Func<IAnsiConsole, Task<CrowdResult>> run,
        IAnsiConsole console)
    {
        if (settings.Validate() is { Count: > 0 } problems) return Refuse(settings.Verb, problems);
        CrowdResult result;
        try
        {
            result = await run(console);
        }
        catch (CrowdSetupException e)
        {
            await Console.Error.WriteLineAsync($"flashsale {Name(settings.Verb)}: {e.Message}");
            return CannotRun;
        }
        catch (TaskCanceledException e) when (e.InnerException is TimeoutException)
        {
            // An HTTP client's timeout outside the crowd's own handling: said, not mistaken for Ctrl+C (which the
            // command line would end with exit code 1 and no word).
            await Console.Error.WriteLineAsync($"flashsale {Name(settings.Verb)}: the server did not answer in time: "
                + e.Message);
            return CannotRun;
        }

        new CrowdConsole(console).Summary(result);
        if (settings.ReportDirectory is { } directory)
        {
            var html = Path.GetFullPath(Path.Combine(directory, CrowdReport.HtmlFile));
            console.MarkupLine($"Report: {Markup.Escape(html)} (and {CrowdReport.JsonFile})");
        }

        return result.Verification.Passed ? Passed : ChecksFailed;
    }

    private static string Name(CrowdVerb verb) => verb == CrowdVerb.Crowd ? "crowd" : "rehearse";
}
