using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using FlashSale.Core.Admission;
using FlashSale.Core.Sales;
using FlashSale.Core.Stores;
using FlashSale.Server.Admission;

namespace FlashSale.Server.Api;

/// <summary>
/// The admin calls of admission: a sale's strategy (<c>POST /admin/sales/{saleId}/admission</c>) and the block list
/// (<c>/admin/blocks</c>). Each change is durable before it is answered and applies to the next request.
/// </summary>
internal static class AdmissionAdmin
{
    private static readonly JsonTypeInfo<AdmissionDto> AdmissionJson = ServerJson.Default.AdmissionDto;
    private const string BadRange = "ip must be an address or a CIDR range (10.0.0.0/8, 2001:db8::/32).";

    public static void Map(RouteGroupBuilder admin)
    {
        admin.MapGet("/sales/{saleId}/admission", async (HttpContext context, ISaleStore store) =>
        {
            var (rejection, sale) = await Preamble.Sale(context, store);
            if (rejection != Rejection.None) await Rejections.Write(context, rejection);
            else await context.Response.WriteAsJsonAsync(AdmissionDto.Of(sale!.Admission), AdmissionJson);
        });
        admin.MapPost("/sales/{saleId}/admission", ChangeAdmission);
        admin.MapGet("/blocks", (ISaleStore store) =>
            TypedResults.Json(store.Blocks.OrderBy(b => b.Kind).ThenBy(b => b.Value, StringComparer.Ordinal)
                .Select(ToDto).ToList(), ServerJson.Default.ListBlockDto));
        admin.MapPost("/blocks", AddBlock);
        admin.MapDelete("/blocks", RemoveBlock);
    }

    private static async Task ChangeAdmission(HttpContext context, ISaleStore store)
    {
        var (rejection, sale) = await Preamble.Sale(context, store);
        if (rejection != Rejection.None)
        {
            await Rejections.Write(context, rejection);
            return;
        }

        if (await Read(context, ServerJson.Default.AdmissionDto) is not { } body) return;
        var (strategy, error) = body.Over(sale!.Admission);
        if (strategy is null)
        {
            await Problems.BadRequest(context, error!);
            return;
        }

        await store.ChangeAdmissionAsync(sale.Id, strategy);
        await context.Response.WriteAsJsonAsync(await sale.ToAdminDto(store), ServerJson.Default.AdminSaleDto);
    }

    private static async Task AddBlock(HttpContext context, ISaleStore store, TimeProvider time)
    {
        if (await Read(context, ServerJson.Default.BlockBody) is not { } body) return;
        var (block, error) = ToBlock(body, time.GetUtcNow());
        if (block is null)
        {
            await Problems.BadRequest(context, error!);
            return;
        }

        await store.AddBlockAsync(block);
        context.Response.StatusCode = StatusCodes.Status201Created;
        await context.Response.WriteAsJsonAsync(ToDto(block), ServerJson.Default.BlockDto);
    }

    private static async Task RemoveBlock(HttpContext context, ISaleStore store, string? buyer, string? ip)
    {
        if ((buyer is null) == (ip is null))
        {
            await Problems.BadRequest(context, "Name exactly one of ?buyer= and ?ip=.");
            return;
        }

        var kind = buyer is null ? BlockKind.Address : BlockKind.Buyer;
        var value = buyer;
        if (ip is not null)
        {
            if (!IpRange.TryParse(ip, out var range))
            {
                await Problems.BadRequest(context, BadRange);
                return;
            }

            value = range.ToString();
        }

        if (!await store.RemoveBlockAsync(kind, value!))
        {
            await Problems.NotFound(context, "No such entry in the block list.");
            return;
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static (Block? Block, string? Error) ToBlock(BlockBody body, DateTimeOffset now)
    {
        if ((body.Buyer is null) == (body.Ip is null)) return (null, "Give exactly one of buyer and ip.");
        if (body.Reason is { Length: > Block.MaxReasonLength })
        {
            return (null, $"reason must be at most {Block.MaxReasonLength} characters.");
        }

        if (body.Seconds is < 1 or > 31_536_000) return (null, "seconds must be 1-31536000 (a year).");
        long? until = body.Seconds is { } seconds ? now.AddSeconds(seconds).ToUnixTimeMilliseconds() : null;
        if (body.Buyer is { } buyer)
        {
            return buyer.Length is 0 or > SaleDefinition.MaxIdLength
                ? (null, $"buyer must be 1-{SaleDefinition.MaxIdLength} characters.")
                : (new Block(BlockKind.Buyer, buyer, body.Reason, until), null);
        }

        return IpRange.TryParse(body.Ip, out var range)
            ? (new Block(BlockKind.Address, range.ToString(), body.Reason, until), null)
            : (null, BadRange);
    }

    private static BlockDto ToDto(Block block) => new(
        block.Kind == BlockKind.Buyer ? "buyer" : "ip",
        block.Value,
        block.Reason,
        block.UntilMs is { } until ? DateTimeOffset.FromUnixTimeMilliseconds(until) : null);

    /// <summary>Reads a JSON body; on malformed JSON writes the 400 and returns null.</summary>
    private static async Task<T?> Read<T>(HttpContext context, JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            var body = await JsonSerializer.DeserializeAsync(context.Request.Body, type, context.RequestAborted);
            if (body is null) await Problems.BadRequest(context, "A JSON object is required.");
            return body;
        }
        catch (JsonException e)
        {
            await Problems.BadRequest(context,
                "Malformed JSON or a field of the wrong type" + (e.Path is { } path ? $" at {path}" : "") + ".");
            return null;
        }
    }
}
