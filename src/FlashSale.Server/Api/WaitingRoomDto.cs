namespace FlashSale.Server.Api;

/// <summary>The waiting room's settings (see <see cref="Core.Admission.WaitingRoomPolicy"/>).</summary>
public sealed record WaitingRoomDto(bool? Enabled, int? PreQueueSeconds, int? AdmitPerSecond, int? GrantSeconds);
