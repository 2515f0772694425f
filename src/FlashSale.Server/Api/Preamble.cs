using FlashSale.Core.Sales;
using FlashSale.Core.Stores;
using FlashSale.Server.Auth;

namespace FlashSale.Server.Api;

/// <summary>
/// The checks that open the buyers', purchase and admin endpoints, written once: who is asking (401), and which sale
/// the path names (400 for an over-long id, 404 for an unknown one). Each returns a <see cref="Rejection"/> for
/// <see cref="Rejections.Write"/>, so that the purchase path stays free of allocations and closures.
/// </summary>
internal static class Preamble
{
    /// <summary>The buyer of the request's bearer token.</summary>
    public static Rejection Buyer(HttpContext context, BuyerAuthenticator buyers, out string? userId) =>
        Rejections.Of(buyers.Authenticate(context, out userId));

    /// <summary>The sale id of the route, checked for length only (the engine answers unknown sales itself).</summary>
    public static Rejection SaleId(HttpContext context, out string saleId)
    {
        saleId = context.Request.RouteValues["saleId"] as string ?? "";
        return saleId.Length > EdgeLimits.MaxIdLength ? Rejection.SaleIdTooLong : Rejection.None;
    }

    /// <summary>
    /// The sale the route names, asking the store when this process does not know it yet (a sale made on another
    /// gateway a moment ago); completes synchronously for a known sale.
    /// </summary>
    public static async ValueTask<(Rejection Rejection, Sale? Sale)> Sale(HttpContext context, ISaleStore store)
    {
        if (SaleId(context, out var saleId) is var rejection && rejection != Rejection.None) return (rejection, null);
        var sale = await store.FindSaleAsync(saleId);
        return sale is null ? (Rejection.UnknownSale, null) : (Rejection.None, sale);
    }
}
