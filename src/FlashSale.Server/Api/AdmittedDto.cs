namespace FlashSale.Server.Api;

/// <summary>The <c>admitted</c> event of the waiting room's stream: the signed grant the purchase checks.</summary>
/// <param name="Grant">Sent in the purchase's <c>FlashSale-Grant</c> header.</param>
/// <param name="ExpiresAt">Until when the grant lets the buyer purchase.</param>
public sealed record AdmittedDto(string Grant, DateTimeOffset ExpiresAt);
