namespace FlashSale.Server.Api;

/// <summary>The <c>heartbeat</c> event of the waiting room's stream, sent when nothing changed for a while.</summary>
/// <param name="Now">The server's time.</param>
public sealed record HeartbeatDto(DateTimeOffset Now);
