using FlashSale.Engine.Tests.Crash;

namespace FlashSale.Engine.Tests;

/// <summary>
/// The test assembly's entry point, used only when a test starts it as a child process; the test runner loads the
/// assembly as a library and never calls this.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length > 0 && args[0] == CrashChild.Verb) return await CrashChild.RunAsync(args[1..]);
        if (args.Length > 0 && args[0] == EdgeAnswerChild.Verb) return await EdgeAnswerChild.RunAsync(args[1..]);
        await Console.Error.WriteLineAsync($"usage: FlashSale.Engine.Tests {CrashChild.Verb} <data directory> <run>");
        return 2;
    }
}
