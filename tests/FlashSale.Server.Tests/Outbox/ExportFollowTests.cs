using System.Net;
using System.Text.Json.Nodes;
using FlashSale.Server.Tests.Infrastructure;

namespace FlashSale.Server.Tests.Outbox;

/// <summary><c>GET /admin/outbox</c> and <c>flashsale export [--follow]</c> against a real server.</summary>
public sealed class ExportFollowTests : IAsyncDisposable
{
    private readonly string _work = TempDirectory.Create("fs-export-follow");

    public ValueTask DisposeAsync()
    {
        TempDirectory.Delete(_work);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Export_follow_prints_wins_made_after_it_started_and_resumes_from_a_lines_cursor()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateOpenSaleAsync("follow", stock: 30);
        var early = await WebhookTests.BuyAsync(server, "follow", 2);
        await using var follower = ServerProcess.Start(_work, "export", "--follow", "--url",
            server.BaseAddress.ToString(), "--admin-key", TestServer.AdminKeyValue);
        await Eventually.True("export prints the wins made before it started",
            () => Task.FromResult(early.Keys.All(Lines(follower.Output).ContainsKey)), TimeSpan.FromSeconds(60));

        var later = await WebhookTests.BuyAsync(server, "follow", 5, firstUser: 10);
        await Eventually.True("export --follow prints the wins made after it started",
            () => Task.FromResult(later.Keys.All(Lines(follower.Output).ContainsKey)));
        var lines = Lines(follower.Output);
        Assert.Equal(7, lines.Count);
        foreach (var (id, won) in early.Concat(later))
        {
            var line = (JsonObject)lines[id].DeepClone();
            Assert.False(string.IsNullOrEmpty((string?)line["cursor"]));
            line.Remove("cursor");
            Assert.Equal(won.ToJsonString(), line.ToJsonString());
        }

        follower.Terminate();
        Assert.Equal(0, await follower.WaitForExitAsync(TimeSpan.FromSeconds(30)));

        // Resuming after the last line printed gives exactly what came since.
        var cursor = (string)lines.Values.Last()["cursor"]!;
        var since = await WebhookTests.BuyAsync(server, "follow", 3, firstUser: 20);
        var (exitCode, output) = await ServerProcess.RunAsync(_work, TimeSpan.FromSeconds(60), "export", "--url",
            server.BaseAddress.ToString(), "--admin-key", TestServer.AdminKeyValue, "--after", cursor);
        Assert.Equal(0, exitCode);
        Assert.Equal(since.Keys.Order(StringComparer.Ordinal), Lines(output).Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Export_with_a_cursor_file_prints_each_win_once_across_runs()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateOpenSaleAsync("file", stock: 30);
        var file = Path.Combine(_work, "cursor");
        string[] arguments = ["export", "--url", server.BaseAddress.ToString(), "--cursor-file", file,
            $"--FlashSale:AdminKey={TestServer.AdminKeyValue}"];
        var first = await WebhookTests.BuyAsync(server, "file", 4);
        var (code, output) = await ServerProcess.RunAsync(_work, TimeSpan.FromSeconds(60), arguments);
        Assert.Equal(0, code);
        Assert.Equal(first.Keys.Order(StringComparer.Ordinal), Lines(output).Keys.Order(StringComparer.Ordinal));
        var second = await WebhookTests.BuyAsync(server, "file", 3, firstUser: 10);
        (code, output) = await ServerProcess.RunAsync(_work, TimeSpan.FromSeconds(60), arguments);
        Assert.Equal(0, code);
        Assert.Equal(second.Keys.Order(StringComparer.Ordinal), Lines(output).Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_outbox_endpoint_refuses_a_foreign_cursor_a_bad_follow_and_a_missing_key()
    {
        await using var server = await TestServer.StartAsync();
        using (var bad = await server.Admin.GetAsync("/admin/outbox?after=r%3Anope"))
            await HttpAssert.Problem(bad, 400);
        using (var bad = await server.Admin.GetAsync("/admin/outbox?follow=maybe"))
            await HttpAssert.Problem(bad, 400);
        using (var anonymous = await server.Client.GetAsync("/admin/outbox"))
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var empty = await server.Admin.GetAsync("/admin/outbox");
        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        Assert.Equal("application/x-ndjson", empty.Content.Headers.ContentType?.MediaType);
        Assert.Equal("", await empty.Content.ReadAsStringAsync());
        var (code, output) = await ServerProcess.RunAsync(_work, TimeSpan.FromSeconds(60), "export", "--url",
            server.BaseAddress.ToString(), "--admin-key", "wrong-key-0123456789abcdef");
        Assert.Equal(2, code);
        Assert.Contains("flashsale export: the server refused the admin key (401)", output, StringComparison.Ordinal);
    }

    /// <summary>The JSON lines in a command's output, by reservation id.</summary>
    private static Dictionary<string, JsonObject> Lines(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.StartsWith('{'))
            .Select(line => JsonNode.Parse(line)!.AsObject())
            .ToDictionary(line => (string)line["id"]!, line => line, StringComparer.Ordinal);
}
