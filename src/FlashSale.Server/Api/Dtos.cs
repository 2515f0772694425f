using System.Text.Json;
using System.Text.Json.Serialization;

namespace FlashSale.Server.Api;

/// <summary>An item as the API shows it.</summary>
public sealed record ItemDto(string Id, string Name, decimal Price, int Stock, int Remaining);

/// <summary>A sale as the API shows it.</summary>
public sealed record SaleDto(string Id, string Name, DateTimeOffset StartsAt, DateTimeOffset? EndsAt, string State,
    int PerUserLimit, int HoldSeconds, IReadOnlyList<ItemDto> Items);

/// <summary>A sale with its counters, for operators.</summary>
public sealed record AdminSaleDto(
    string Id,
    string Name,
    DateTimeOffset StartsAt,
    DateTimeOffset? EndsAt,
    string State,
    int PerUserLimit,
    int HoldSeconds,
    IReadOnlyList<ItemDto> Items,
    int? EligibleUsers,
    DateTimeOffset? ClosedAt,
    StatsDto Stats,
    WaitingRoomBody? WaitingRoom = null);

/// <summary>A sale's counters.</summary>
public sealed record StatsDto(long Attempts, long Won, DateTimeOffset? SoldOutAt,
    IReadOnlyDictionary<string, long> Outcomes);

/// <summary>A reservation as the API shows it.</summary>
public sealed record ReservationDto(string Id, string SaleId, string ItemId, string UserId, int Quantity,
    DateTimeOffset CreatedAt, DateTimeOffset HoldUntil, string Status);

/// <summary>The body of a <c>won</c> answer.</summary>
public sealed record WonDto(string Outcome, ReservationDto Reservation);

/// <summary><c>GET /api/time</c>.</summary>
public sealed record TimeDto(DateTimeOffset Now, long UnixMs);

/// <summary><c>GET /healthz</c>.</summary>
public sealed record HealthDto(string Status, string Store);

/// <summary>
/// An item in a sale to create (every field optional here, so that what is missing gets a clear 400).
/// </summary>
public sealed record CreateItemBody(string? Id, string? Name, decimal? Price, int? Stock);

/// <summary>The body of <c>POST /admin/sales</c>; <see cref="SaleTimes"/> reads its times.</summary>
public sealed record CreateSaleBody(
    string? Id,
    string? Name,
    string? StartsAt,
    string? EndsAt,
    int? PerUserLimit,
    int? HoldSeconds,
    IReadOnlyList<string>? EligibleUsers,
    IReadOnlyList<CreateItemBody?>? Items,
    WaitingRoomBody? WaitingRoom = null);

/// <summary>System.Text.Json source generation for every type the API reads or writes.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(SaleDto))]
[JsonSerializable(typeof(List<SaleDto>))]
[JsonSerializable(typeof(AdminSaleDto))]
[JsonSerializable(typeof(List<AdminSaleDto>))]
[JsonSerializable(typeof(ReservationDto))]
[JsonSerializable(typeof(List<ReservationDto>))]
[JsonSerializable(typeof(WonDto))]
[JsonSerializable(typeof(TimeDto))]
[JsonSerializable(typeof(HealthDto))]
[JsonSerializable(typeof(WaitingDto))]
[JsonSerializable(typeof(AdmittedDto))]
[JsonSerializable(typeof(WaitingResultDto))]
[JsonSerializable(typeof(HeartbeatDto))]
[JsonSerializable(typeof(WaitingRoomOrderDto))]
[JsonSerializable(typeof(CreateSaleBody))]
[JsonSerializable(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails))]
internal sealed partial class ServerJson : JsonSerializerContext;
