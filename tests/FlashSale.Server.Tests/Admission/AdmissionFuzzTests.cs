using System.Net.Http.Headers;
using System.Text;
using FlashSale.Server.Admission;
using FlashSale.Server.Tests.Infrastructure;
using static FlashSale.Server.Tests.Admission.AdmissionCalls;

namespace FlashSale.Server.Tests.Admission;

/// <summary>The admission inputs fuzzed over real HTTP: never a 5xx, and the server keeps selling.</summary>
public sealed class AdmissionFuzzTests
{
    private const string Alphabet = "AZaz09-_~.:/%+= ,{}[]\"\\\u00e9\u4e2d";
    private const string Ascii = "AZaz09-_~.:/%+= ,{}[]\"\\";

    [Fact]
    public async Task Fuzzed_paths_challenges_forwarded_addresses_and_admin_bodies_never_get_a_5xx()
    {
        await using var server = await TestServer.StartAsync("--FlashSale:RateLimit:Enabled=false",
            "--FlashSale:Admission:TrustedProxies:0=127.0.0.1");
        await server.CreateOpenSaleAsync("fz", stock: 1000, perUserLimit: 1000);
        await SetStrategyAsync(server, "fz", new { challenge = new { enabled = true, difficulty = 1 } });
        var random = new Random(7);
        var token = server.TokenFor("fuzzer");
        var statuses = new List<int>();

        for (var i = 0; i < 300; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post,
                "/api/sales/fz/purchase/" + Uri.EscapeDataString(Junk(random, 1, 200)))
            {
                Content = new StringContent("{\"itemId\":\"phone\"}", Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Headers.TryAddWithoutValidation(AdmissionGate.ChallengeHeader, Junk(random, 0, 300, Ascii));
            request.Headers.TryAddWithoutValidation(AdmissionGate.SolutionHeader, Junk(random, 0, 40, Ascii));
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", Junk(random, 0, 120, Ascii));
            using var response = await server.Client.SendAsync(request);
            statuses.Add((int)response.StatusCode);
        }

        for (var i = 0; i < 200; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/sales/fz/purchase")
            {
                Content = new StringContent("{\"itemId\":\"phone\"}", Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Headers.TryAddWithoutValidation(AdmissionGate.ChallengeHeader, Junk(random, 0, 1500, Ascii));
            request.Headers.TryAddWithoutValidation(AdmissionGate.SolutionHeader, Junk(random, 0, 30, Ascii));
            using var response = await server.Client.SendAsync(request);
            statuses.Add((int)response.StatusCode);
        }

        string[] shapes =
        [
            "{\"challenge\":{\"difficulty\":@}}", "{\"hiddenPath\":@}", "{\"ipRate\":{\"burst\":@}}", "@",
            "{\"autoBan\":{\"threshold\":@,\"banSeconds\":@}}", "{\"waitingRoom\":{\"enabled\":@}}",
        ];
        string[] values = ["1", "-1", "99999999999", "1e3", "null", "true", "\"x\"", "{}", "[]", "2147483647"];
        for (var i = 0; i < 150; i++)
        {
            var body = shapes[random.Next(shapes.Length)];
            while (body.Contains('@', StringComparison.Ordinal))
            {
                var at = body.IndexOf('@', StringComparison.Ordinal);
                body = body[..at] + values[random.Next(values.Length)] + body[(at + 1)..];
            }

            using var strategy = await server.Admin.PostAsync("/admin/sales/fz/admission",
                new StringContent(body, Encoding.UTF8, "application/json"));
            statuses.Add((int)strategy.StatusCode);
            using var block = await server.Admin.PostAsync("/admin/blocks", new StringContent(
                $"{{\"ip\":\"{Junk(random, 0, 40).Replace("\\", "", StringComparison.Ordinal).Replace("\"", "",
                    StringComparison.Ordinal)}\"}}", Encoding.UTF8, "application/json"));
            statuses.Add((int)block.StatusCode);
            using var removal = await server.Admin.DeleteAsync("/admin/blocks?ip=" +
                Uri.EscapeDataString(Junk(random, 0, 40)));
            statuses.Add((int)removal.StatusCode);
        }

        Assert.DoesNotContain(statuses, s => s >= 500);

        // Still selling: the strategy back to open, no block in the way.
        await SetStrategyAsync(server, "fz", new { challenge = new { enabled = false } });
        foreach (var block in (await HttpAssert.Json(await server.Admin.GetAsync("/admin/blocks"))).AsArray())
        {
            var value = Uri.EscapeDataString((string)block!["value"]!);
            using (await server.Admin.DeleteAsync("/admin/blocks?ip=" + value))
            {
            }
        }

        using var bought = await server.PurchaseAsync("fz", server.TokenFor("after"));
        await HttpAssert.Won(bought, "fz", "after");
    }

    private static string Junk(Random random, int min, int max, string alphabet = Alphabet)
    {
        var chars = new char[random.Next(min, max)];
        for (var i = 0; i < chars.Length; i++) chars[i] = alphabet[random.Next(alphabet.Length)];
        return new string(chars);
    }
}
