namespace FlashSale.Server.Api;

/// <summary>The automatic bans' settings (see <see cref="Core.Admission.AutoBanPolicy"/>).</summary>
public sealed record AutoBanDto(int? Threshold, int? WindowSeconds, int? BanSeconds);
