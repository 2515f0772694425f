using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FlashSale.Server.Admission;
using FlashSale.Server.Tests.Infrastructure;

namespace FlashSale.Server.Tests.Admission;

/// <summary>The buyers' and operators' admission calls, as a client makes them.</summary>
internal static class AdmissionCalls
{
    /// <summary>Sets a sale's strategy (the body is merged over the current one); asserts 200.</summary>
    public static async Task<JsonObject> SetStrategyAsync(TestServer server, string saleId, object strategy)
    {
        using var response = await server.Admin.PostAsJsonAsync($"/admin/sales/{saleId}/admission", strategy);
        return (await HttpAssert.Json(response)).AsObject();
    }

    public static Task<HttpResponseMessage> BlockAsync(TestServer server, object block) =>
        server.Admin.PostAsJsonAsync("/admin/blocks", block);

    /// <summary>A purchase on <paramref name="path"/> (plain or hidden), with optional headers.</summary>
    public static Task<HttpResponseMessage> PurchaseOnAsync(TestServer server, string path, string token,
        (string Challenge, string Solution)? solved = null, string? forwardedFor = null, string itemId = "phone")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(JsonSerializer.Serialize(new { itemId }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (solved is { } s)
        {
            request.Headers.Add(AdmissionGate.ChallengeHeader, s.Challenge);
            request.Headers.Add(AdmissionGate.SolutionHeader, s.Solution);
        }

        if (forwardedFor is not null) request.Headers.Add("X-Forwarded-For", forwardedFor);
        return server.Client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> FetchPathAsync(TestServer server, string saleId, string token,
        (string Challenge, string Solution)? solved = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/sales/{saleId}/path");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (solved is { } s)
        {
            request.Headers.Add(AdmissionGate.ChallengeHeader, s.Challenge);
            request.Headers.Add(AdmissionGate.SolutionHeader, s.Solution);
        }

        return server.Client.SendAsync(request);
    }

    /// <summary>Fetches a challenge and solves it.</summary>
    public static async Task<(string Challenge, string Solution)> SolveAsync(TestServer server, string saleId,
        string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/sales/{saleId}/challenge");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await server.Client.SendAsync(request);
        return Solve((await HttpAssert.Json(response)).AsObject());
    }

    /// <summary>Solves the challenge an answer (a challenge, or a refusal that carries one) holds.</summary>
    public static (string Challenge, string Solution) Solve(JsonObject body)
    {
        var challenge = (string)body["challenge"]!;
        var solution = ProofOfWork.Solve(challenge, (int)body["difficulty"]!);
        return (challenge, solution.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>A solution that does not meet the challenge's difficulty.</summary>
    public static string WrongSolution(string challenge, int difficulty)
    {
        for (ulong n = 0; ; n++)
        {
            var text = n.ToString(CultureInfo.InvariantCulture);
            if (!ProofOfWork.Meets(challenge, text, difficulty)) return text;
        }
    }

    /// <summary>A sale's count of <paramref name="outcome"/> in its admin view.</summary>
    public static async Task<long> CountAsync(TestServer server, string saleId, string outcome)
    {
        var sale = await server.GetJsonAsync(server.Admin, $"/admin/sales/{saleId}");
        return (long)sale["stats"]!["outcomes"]![outcome]!;
    }
}
