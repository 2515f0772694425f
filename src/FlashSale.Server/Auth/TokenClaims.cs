using System.Text.Json.Serialization;

namespace FlashSale.Server.Auth;

/// <summary>The claims of a buyer token.</summary>
/// <param name="Sub">The user id.</param>
/// <param name="Exp">Expiry, Unix seconds.</param>
public sealed record TokenClaims([property: JsonPropertyName("sub")] string Sub, [property: JsonPropertyName("exp")] long Exp);
