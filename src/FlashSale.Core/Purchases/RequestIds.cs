namespace FlashSale.Core.Purchases;

/// <summary>The client-chosen id that makes a purchase attempt safe to repeat.</summary>
public static class RequestIds
{
    /// <summary>Longest <c>requestId</c> accepted (the shortest is one character).</summary>
    public const int MaxLength = 64;
}
