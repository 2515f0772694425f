namespace FlashSale.Benchmarks.Support;

/// <summary>Buyer ids made before measuring, so building strings is not counted.</summary>
internal static class Buyers
{
    public static string[] Make(string prefix, int count)
    {
        var ids = new string[count];
        for (var i = 0; i < count; i++) ids[i] = $"{prefix}-{i:D7}";
        return ids;
    }
}
