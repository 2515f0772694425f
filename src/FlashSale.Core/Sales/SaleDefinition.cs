namespace FlashSale.Core.Sales;

/// <summary>
/// What an operator creates: a round of a flash sale with its items and rules. Immutable once created.
/// </summary>
/// <param name="Id">Unique sale id.</param>
/// <param name="Name">Display name.</param>
/// <param name="StartsAt">Purchases before this instant are answered <c>not_started</c>.</param>
/// <param name="EndsAt">Purchases from this instant on are answered <c>ended</c>; null for no end.</param>
/// <param name="PerUserLimit">How many live reservations one buyer may hold in this sale.</param>
/// <param name="HoldSeconds">How long a reservation is held before it expires unless confirmed.</param>
/// <param name="EligibleUsers">When not null, only these buyers may purchase.</param>
/// <param name="Items">The items on sale; at least one, with distinct ids.</param>
public sealed record SaleDefinition(
    string Id,
    string Name,
    DateTimeOffset StartsAt,
    DateTimeOffset? EndsAt,
    int PerUserLimit,
    int HoldSeconds,
    IReadOnlyList<string>? EligibleUsers,
    IReadOnlyList<ItemDefinition> Items)
{
    /// <summary>Default <see cref="PerUserLimit"/>.</summary>
    public const int DefaultPerUserLimit = 1;

    /// <summary>Default <see cref="HoldSeconds"/> (30 minutes).</summary>
    public const int DefaultHoldSeconds = 1800;

    /// <summary>Longest id (sale, item, user, request) the system accepts.</summary>
    public const int MaxIdLength = 128;

    /// <summary>
    /// The sale's fair waiting room, or null for none (buyers purchase directly). Kept apart from the positional
    /// members so that it folds into a per-sale admission strategy.
    /// </summary>
    public WaitingRoomSettings? WaitingRoom { get; init; }

    /// <summary>Returns why this definition is invalid, or null when it is valid.</summary>
    public string? Validate()
    {
        if (WaitingRoom?.Validate() is { } waitingRoomError) return waitingRoomError;
        if (!IsValidId(Id)) return $"sale id must be 1-{MaxIdLength} characters of letters, digits, '-', '_' or '.'";
        if (string.IsNullOrWhiteSpace(Name) || Name.Length > 200) return "name must be 1-200 characters";
        if (EndsAt is { } end && end <= StartsAt) return "endsAt must be after startsAt";
        if (PerUserLimit < 1) return "perUserLimit must be at least 1";
        if (HoldSeconds < 1) return "holdSeconds must be at least 1";
        if (Items is null || Items.Count == 0) return "a sale needs at least one item";
        if (Items.Count > 1000) return "a sale has at most 1000 items";
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in Items)
        {
            if (item is null) return "items must not contain null";
            if (!IsValidId(item.Id))
            {
                return $"item id must be 1-{MaxIdLength} characters of letters, digits, '-', '_' or '.'";
            }
            if (!seen.Add(item.Id)) return $"duplicate item id '{item.Id}'";
            if (string.IsNullOrWhiteSpace(item.Name) || item.Name.Length > 200)
            {
                return $"item '{item.Id}': name must be 1-200 characters";
            }
            if (item.Price < 0) return $"item '{item.Id}': price must not be negative";
            if (item.Stock < 0) return $"item '{item.Id}': stock must not be negative";
        }

        if (EligibleUsers is not null)
        {
            foreach (var user in EligibleUsers)
            {
                if (string.IsNullOrEmpty(user) || user.Length > MaxIdLength)
                {
                    return $"eligible user ids must be 1-{MaxIdLength} characters";
                }
            }
        }

        return null;
    }

    /// <summary>True when <paramref name="id"/> is 1-128 characters of [A-Za-z0-9-_.].</summary>
    public static bool IsValidId(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > MaxIdLength) return false;
        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')) return false;
        }

        return true;
    }
}
