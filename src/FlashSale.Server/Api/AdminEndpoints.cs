using System.Globalization;
using System.Text;
using System.Text.Json;
using FlashSale.Core.Reservations;
using FlashSale.Core.Sales;
using FlashSale.Core.Stores;
using FlashSale.Server.Admission;
using FlashSale.Server.Auth;

namespace FlashSale.Server.Api;

/// <summary>The operators' and main store's API under <c>/admin</c>, behind the admin key.</summary>
internal static class AdminEndpoints
{
    /// <summary>The ISO-8601 shape System.Text.Json writes, so CSV and JSON show the same times.</summary>
    private const string IsoTime = "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz";

    public static void Map(WebApplication app)
    {
        var admin = app.MapGroup("/admin").AddEndpointFilter(async (invocation, next) =>
        {
            var context = invocation.HttpContext;
            if (!context.RequestServices.GetRequiredService<AdminKey>().IsValid(context.Request.Headers.Authorization))
            {
                await Rejections.Write(context, Rejection.AdminKeyInvalid);
                return Results.Empty;
            }

            return await next(invocation);
        });

        admin.MapPost("/sales", CreateSale);
        admin.MapGet("/sales", async (ISaleStore store) =>
        {
            var sales = new List<AdminSaleDto>();
            foreach (var sale in store.Sales) sales.Add(await sale.ToAdminDto(store));
            return TypedResults.Json(sales, ServerJson.Default.ListAdminSaleDto);
        });
        admin.MapGet("/sales/{saleId}", async (HttpContext context, ISaleStore store) =>
        {
            var (rejection, sale) = await Preamble.Sale(context, store);
            if (rejection != Rejection.None)
            {
                await Rejections.Write(context, rejection);
                return;
            }

            await context.Response.WriteAsJsonAsync(await sale!.ToAdminDto(store), ServerJson.Default.AdminSaleDto);
        });
        admin.MapPost("/sales/{saleId}/close", async (HttpContext context, ISaleStore store) =>
        {
            var (rejection, sale) = await Preamble.Sale(context, store);
            if (rejection != Rejection.None)
            {
                await Rejections.Write(context, rejection);
                return;
            }

            var closed = await store.CloseSaleAsync(sale!.Id);
            await context.Response.WriteAsJsonAsync(closed!.ToDto(store), ServerJson.Default.SaleDto);
        });
        admin.MapGet("/sales/{saleId}/reservations", Export);
        Outbox.OutboxEndpoint.Map(admin);

        admin.MapGet("/sales/{saleId}/waiting-room", async (HttpContext context, ISaleStore store,
            WaitingRooms rooms) =>
        {
            var (rejection, sale) = await Preamble.Sale(context, store);
            if (rejection != Rejection.None)
            {
                await Rejections.Write(context, rejection);
                return;
            }

            if (rooms.RoomOf(sale!) is not { } room)
            {
                await Problems.NotFound(context, "This sale has no waiting room.");
                return;
            }

            await context.Response.WriteAsJsonAsync(
                new WaitingRoomOrderDto(room.Settings.Seed, room.Admitted, room.Waiting, room.Order()),
                ServerJson.Default.WaitingRoomOrderDto);
        });
        admin.MapPost("/reservations/{id}/confirm", (HttpContext context, string id, ISaleStore store) =>
            Change(context, store.ConfirmAsync(id), "It is already cancelled or expired."));
        admin.MapPost("/reservations/{id}/cancel", (HttpContext context, string id, ISaleStore store) =>
            Change(context, store.CancelAsync(id), "It is already confirmed."));
    }

    private static async Task Change(HttpContext context, Task<ReservationChange> change, string conflict)
    {
        var (result, reservation) = await change;
        switch (result)
        {
            case ChangeResult.Ok:
                await context.Response.WriteAsJsonAsync(reservation!.ToDto(), ServerJson.Default.ReservationDto);
                break;
            case ChangeResult.Conflict:
                // Not "status": RFC 9457 gives that member to the HTTP status code. The store sees where the
                // reservation stands.
                await Problems.Write(context, StatusCodes.Status409Conflict, "Conflict", conflict, writer =>
                {
                    writer.WritePropertyName("reservation");
                    JsonSerializer.Serialize(writer, reservation!.ToDto(), ServerJson.Default.ReservationDto);
                });
                break;
            default:
                await Problems.NotFound(context, "No such reservation.");
                break;
        }
    }

    private static async Task CreateSale(HttpContext context, ISaleStore store, TimeProvider time)
    {
        CreateSaleBody? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync(context.Request.Body, ServerJson.Default.CreateSaleBody,
                context.RequestAborted);
        }
        catch (JsonException e)
        {
            await Problems.BadRequest(context,
                "Malformed JSON or a field of the wrong type" + (e.Path is { } path ? $" at {path}" : "") + ".");
            return;
        }

        var (definition, error) = ToDefinition(body, time.GetUtcNow());
        if (definition is null)
        {
            await Problems.BadRequest(context, error!);
            return;
        }

        var result = await store.CreateSaleAsync(definition);
        if (result.AlreadyExists)
        {
            await Problems.Write(context, StatusCodes.Status409Conflict, "Conflict",
                $"A sale with id '{definition.Id}' exists.");
        }
        else if (result.Sale is null)
        {
            await Problems.BadRequest(context, result.Error!);
        }
        else
        {
            context.Response.StatusCode = StatusCodes.Status201Created;
            context.Response.Headers.Location = $"/admin/sales/{Uri.EscapeDataString(result.Sale.Id)}";
            await context.Response.WriteAsJsonAsync(result.Sale.ToDto(store), ServerJson.Default.SaleDto);
        }
    }

    private static (SaleDefinition? Definition, string? Error) ToDefinition(CreateSaleBody? body, DateTimeOffset now)
    {
        if (body is null) return (null, "A JSON object is required.");
        if (body.Name is null) return (null, "name is required.");
        if (SaleTimes.ReadStart(body.StartsAt, now, out var startsAt) is { } startProblem) return (null, startProblem);
        if (SaleTimes.ReadEnd(body.EndsAt, out var endsAt) is { } endProblem) return (null, endProblem);
        if (body.Items is null || body.Items.Count == 0) return (null, "items must list at least one item.");
        var items = new List<ItemDefinition>(body.Items.Count);
        foreach (var item in body.Items)
        {
            if (item is null) return (null, "items must not contain null.");
            if (item.Id is null || item.Name is null || item.Price is not { } price || item.Stock is not { } stock)
            {
                return (null, "every item needs id, name, price and stock.");
            }

            items.Add(new ItemDefinition(item.Id, item.Name, price, stock));
        }

        var id = body.Id ?? "sale-" + Guid.NewGuid().ToString("N")[..12];
        var definition = new SaleDefinition(
            id,
            body.Name,
            startsAt,
            endsAt,
            body.PerUserLimit ?? SaleDefinition.DefaultPerUserLimit,
            body.HoldSeconds ?? SaleDefinition.DefaultHoldSeconds,
            body.EligibleUsers,
            items)
        {
            WaitingRoom = body.WaitingRoom is { } room
                ? new WaitingRoomSettings(
                    room.PreQueueSeconds ?? WaitingRoomSettings.DefaultPreQueueSeconds,
                    room.AdmitPerSecond ?? WaitingRoomSettings.DefaultAdmitPerSecond,
                    room.GrantSeconds ?? WaitingRoomSettings.DefaultGrantSeconds,

                    // Journaled with the sale: the pre-queue's order can be recomputed from it afterwards.
                    room.Seed ?? BitConverter.ToInt64(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)))
                : null,
        };
        return definition.Validate() is { } error ? (null, error) : (definition, null);
    }

    /// <summary>Streams every reservation of a sale, one at a time, as JSON lines or RFC 4180 CSV.</summary>
    private static async Task Export(HttpContext context, string saleId, string? format, ISaleStore store)
    {
        format ??= "jsonl";
        if (format is not ("jsonl" or "csv"))
        {
            await Problems.BadRequest(context, "format must be jsonl or csv.");
            return;
        }

        if ((await Preamble.Sale(context, store)).Rejection is var rejection && rejection != Rejection.None)
        {
            await Rejections.Write(context, rejection);
            return;
        }

        var response = context.Response;
        response.ContentType = format == "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8";
        var output = response.BodyWriter;
        var count = 0;
        if (format == "csv") Write(output, "id,saleId,itemId,userId,quantity,createdAt,holdUntil,status\r\n");
        await using var json = new Utf8JsonWriter(output);
        await foreach (var reservation in store.ExportReservationsAsync(saleId, context.RequestAborted))
        {
            if (format == "csv")
            {
                Write(output, string.Join(',',
                    Csv(reservation.Id), Csv(reservation.SaleId), Csv(reservation.ItemId), Csv(reservation.UserId),
                    reservation.Quantity.ToString(CultureInfo.InvariantCulture),
                    reservation.CreatedAt.ToString(IsoTime, CultureInfo.InvariantCulture),
                    reservation.HoldUntil.ToString(IsoTime, CultureInfo.InvariantCulture),
                    Csv(reservation.Status.Word())) + "\r\n");
            }
            else
            {
                JsonSerializer.Serialize(json, reservation.ToDto(), ServerJson.Default.ReservationDto);
                json.Flush();
                json.Reset();
                Write(output, "\n");
            }

            if (++count % 256 == 0) await output.FlushAsync(context.RequestAborted);
        }

        await output.FlushAsync(context.RequestAborted);
    }

    private static void Write(System.IO.Pipelines.PipeWriter output, string text)
    {
        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        output.Advance(Encoding.UTF8.GetBytes(text, span));
    }

    /// <summary>
    /// An RFC 4180 cell. A cell a spreadsheet would run as a formula (first character <c>=</c>, <c>+</c>, <c>-</c>,
    /// <c>@</c>, tab or carriage return) gets a leading <c>'</c>, as OWASP's CSV injection guidance says.
    /// </summary>
    private static string Csv(string field)
    {
        if (field.Length > 0 && field[0] is '=' or '+' or '-' or '@' or '\t' or '\r') field = "'" + field;
        return field.AsSpan().IndexOfAny(",\"\r\n") < 0
            ? field
            : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
