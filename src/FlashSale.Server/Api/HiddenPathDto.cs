namespace FlashSale.Server.Api;

/// <summary>The hidden purchase path's settings (see <see cref="Core.Admission.HiddenPathPolicy"/>).</summary>
public sealed record HiddenPathDto(bool? Enabled, int? LifetimeSeconds);
