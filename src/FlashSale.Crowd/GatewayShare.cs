namespace FlashSale.Crowd;

/// <summary>One gateway of a run spread over several (<c>rehearse --redis --gateways N</c>), and what it
/// answered.</summary>
/// <param name="Url">Its base URL.</param>
/// <param name="Answers">Purchase requests it answered (any status; requests that got no answer are not
/// counted).</param>
public sealed record GatewayShare(string Url, long Answers);
