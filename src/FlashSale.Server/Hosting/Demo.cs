using FlashSale.Core.Sales;
using FlashSale.Core.Stores;
using FlashSale.Crowd.Tokens;

namespace FlashSale.Server.Hosting;

/// <summary>
/// <c>--demo</c>: a sample sale opening about 30 s after start, and a printed walkthrough that works as printed.
/// </summary>
internal static class Demo
{
    public const string SaleId = "demo";

    public static void Install(WebApplication app, ISaleStore store, ILogger logger, string? temporaryData)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            ServerLog.DemoWarning(logger);
            var time = app.Services.GetRequiredService<TimeProvider>();
            var now = time.GetUtcNow();
            var startsAt = new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero)
                .AddSeconds(30);
            if (store.FindSale(SaleId) is null)
            {
                var created = store.CreateSaleAsync(new SaleDefinition(
                    SaleId, "Demo phone launch", startsAt, null, 1, 600, null,
                    [
                        new ItemDefinition("phone", "Phone X, 256 GB", 799.00m, 5),
                        new ItemDefinition("case", "Phone X case", 19.90m, 20),
                    ])).AsTask().GetAwaiter().GetResult();
                startsAt = created.Sale?.Definition.StartsAt ?? startsAt;
            }
            else
            {
                startsAt = store.FindSale(SaleId)!.Definition.StartsAt;
            }

            var url = app.Urls.FirstOrDefault() ?? ServeSettings.DefaultUrls;
            var token = new BuyerTokenMinter(ServerApp.DemoTokenSecret).Mint("alice", now.AddDays(1));
            var data = temporaryData is null
                ? ""
                : $"Data in {Path.GetFullPath(temporaryData)}: temporary, removed when the server stops (Ctrl+C)."
                    + Environment.NewLine;
            var buy = "curl -s -X POST -H \"Authorization: Bearer $TOKEN\" -H \"Content-Type: application/json\" "
                + $"-d '{{\"itemId\":\"phone\",\"requestId\":\"alice-1\"}}' {url}/api/sales/{SaleId}/purchase";
            var export = $"curl -s -H \"Authorization: Bearer {ServerApp.DemoAdminKey}\" "
                + $"\"{url}/admin/sales/{SaleId}/reservations?format=csv\"";
            Console.WriteLine($"""

                ==================== FlashSale demo ====================
                Demo secrets (never for production):
                  FlashSale:AdminKey    = {ServerApp.DemoAdminKey}
                  FlashSale:TokenSecret = {ServerApp.DemoTokenSecret}
                Sample sale "{SaleId}" (Demo phone launch): phone x5, case x20, opens at {startsAt:HH:mm:ss} UTC.
                {data}
                In a browser: {url}/ (the storefront: sign in with any name, buy at the opening second)
                and {url}/admin/ (the operator console: paste the AdminKey above).

                Or with curl, in another terminal:
                  # 1. a buyer token for alice (this one is valid for a day; mint more with:
                  #    dotnet run --project src/FlashSale.Server -c Release -- token --demo --user bob)
                  TOKEN={token}
                  # 2. the sale and the server's clock
                  curl -s {url}/api/sales/{SaleId}
                  curl -s {url}/api/time
                  # 3. buy (before {startsAt:HH:mm:ss} UTC this answers 425 not_started; retry after)
                  {buy}
                  # 4. alice's reservation
                  curl -s -H "Authorization: Bearer $TOKEN" {url}/api/sales/{SaleId}/reservation
                  # 5. the winners, as the main store would export them
                  {export}
                ========================================================

                """);
        });
    }
}
