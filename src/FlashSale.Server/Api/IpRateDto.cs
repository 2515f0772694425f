namespace FlashSale.Server.Api;

/// <summary>The per-address bucket's settings (see <see cref="Core.Admission.IpRatePolicy"/>).</summary>
public sealed record IpRateDto(int? PermitsPerSecond, int? Burst);
