using FlashSale.Core.Purchases;
using FlashSale.Core.Sales;
using FlashSale.Server.Auth;

namespace FlashSale.Server.Api;

/// <summary>The limits the HTTP edge enforces, named once: the server, its messages and its tests use these.</summary>
internal static class EdgeLimits
{
    /// <summary>Longest sale, item or user id (1 character at least).</summary>
    public const int MaxIdLength = SaleDefinition.MaxIdLength;

    /// <summary>Longest <c>requestId</c> of a purchase (1 character at least).</summary>
    public const int MaxRequestIdLength = RequestIds.MaxLength;

    /// <summary>Largest purchase body; a larger one gets 413.</summary>
    public const int MaxPurchaseBodyBytes = 4096;

    /// <summary>Largest body of any other request (Kestrel's limit: a sale with its eligibility list).</summary>
    public const long MaxRequestBodyBytes = 16 << 20;

    /// <summary>Longest buyer token.</summary>
    public const int MaxTokenLength = BuyerTokens.MaxTokenLength;

    /// <summary>Length of an array indexed by <c>(int)</c><see cref="Outcome"/>.</summary>
    public const int OutcomeTableSize = OutcomeWords.TableSize;
}
