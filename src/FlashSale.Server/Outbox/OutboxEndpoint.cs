using System.Text.Json;
using FlashSale.Core.Outbox;
using FlashSale.Server.Api;

namespace FlashSale.Server.Outbox;

/// <summary>
/// <c>GET /admin/outbox?after=&lt;cursor&gt;&amp;follow=true</c>: the won reservations after a cursor, one JSON
/// object a line, each with the cursor that resumes after it. Without <c>follow</c> the answer ends at the outbox's
/// end; with it, the answer stays open and streams each new win until the client goes away (what
/// <c>flashsale export --follow</c> reads).
/// </summary>
internal static class OutboxEndpoint
{
    private const int Page = 512;
    private static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(200);

    public static void Map(RouteGroupBuilder admin) => admin.MapGet("/outbox", Stream);

    private static async Task Stream(HttpContext context, IReservationFeed feed, TimeProvider time)
    {
        var query = context.Request.Query;
        string? cursor = query["after"];
        bool follow;
        switch (((string?)query["follow"])?.ToLowerInvariant())
        {
            case null or "" or "false" or "0":
                follow = false;
                break;
            case "true" or "1":
                follow = true;
                break;
            default:
                await Problems.BadRequest(context, "follow must be true or false.");
                return;
        }

        var aborted = context.RequestAborted;
        OutboxBatch batch;
        try
        {
            // The first read checks the cursor before anything is sent, so a bad one gets a 400.
            batch = await feed.ReadAsync(cursor, Page, aborted);
        }
        catch (OutboxCursorException e)
        {
            await Problems.BadRequest(context, "after is not a cursor of this server's outbox: " + e.Message);
            return;
        }

        var response = context.Response;
        response.ContentType = "application/x-ndjson; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        var output = response.BodyWriter;
        await using var json = new Utf8JsonWriter(output);
        try
        {
            while (true)
            {
                foreach (var entry in batch.Entries)
                {
                    var r = entry.Reservation;
                    JsonSerializer.Serialize(json, new OutboxLineDto(r.Id, r.SaleId, r.ItemId, r.UserId, r.Quantity,
                        r.CreatedAt, r.HoldUntil, r.Status.Word(), entry.Cursor), OutboxJson.Default.OutboxLineDto);
                    json.Flush();
                    json.Reset();
                    output.GetSpan(1)[0] = (byte)'\n';
                    output.Advance(1);
                }

                if (batch.Entries.Count > 0) await output.FlushAsync(aborted);
                if (batch.Entries.Count < Page)
                {
                    if (!follow) break;
                    if (batch.Entries.Count == 0 && !response.HasStarted) await output.FlushAsync(aborted);
                    await Task.Delay(IdlePoll, time, aborted);
                }

                batch = await feed.ReadAsync(batch.Cursor, Page, aborted);
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client went away: following ends there.
        }
    }
}
