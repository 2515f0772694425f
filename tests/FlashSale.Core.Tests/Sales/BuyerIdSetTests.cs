using FlashSale.Core.Sales;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace FlashSale.Core.Tests.Sales;

public sealed class BuyerIdSetTests
{
    [Fact]
    public void A_set_of_two_hundred_thousand_ids_contains_exactly_them()
    {
        var set = new BuyerIdSet();
        for (var i = 0; i < 200_000; i++) Assert.True(set.Add($"buyer-{i:D7}"));

        Assert.Equal(200_000, set.Count);
        for (var i = 0; i < 200_000; i += 7) Assert.True(set.Contains($"buyer-{i:D7}"));
        for (var i = 200_000; i < 220_000; i++) Assert.False(set.Contains($"buyer-{i:D7}"));
        Assert.False(set.Contains("buyer-000000"));
        Assert.False(set.Contains("buyer-00000001"));
        Assert.False(set.Add("buyer-0000042"));
        Assert.Equal(200_000, set.Count);
    }

    [Property(MaxTest = 200)]
    public Property Agrees_with_a_hash_set(string[] added, string[] probed)
    {
        var ids = added.Where(Valid).ToArray();
        var set = new BuyerIdSet();
        var model = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            if (set.Add(id) != model.Add(id)) return false.ToProperty();
        }

        return (set.Count == model.Count
                && probed.Where(Valid).Concat(ids).All(id => set.Contains(id) == model.Contains(id))
                && set.Ids().SequenceEqual(ids.Distinct(StringComparer.Ordinal)))
            .ToProperty();
    }

    [Fact]
    public void Ids_that_differ_only_in_case_or_in_non_ascii_letters_are_different()
    {
        var set = new BuyerIdSet();
        set.Add("Zoë");

        Assert.True(set.Contains("Zoë"));
        Assert.False(set.Contains("zoë"));
        Assert.False(set.Contains("Zoe"));
    }

    [Fact]
    public void An_empty_or_over_long_id_is_refused_on_add_and_absent_on_lookup()
    {
        var set = new BuyerIdSet();

        Assert.Throws<ArgumentException>(() => set.Add(""));
        Assert.Throws<ArgumentException>(() => set.Add(new string('é', 128)));
        Assert.False(set.Contains(""));
        Assert.False(set.Contains(new string('x', 300)));
    }

    private static bool Valid(string? id) =>
        !string.IsNullOrEmpty(id) && System.Text.Encoding.UTF8.GetByteCount(id) <= 255
        && !id.Any(char.IsSurrogate);
}
