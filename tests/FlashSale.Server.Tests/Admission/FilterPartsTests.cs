using System.Net;
using FlashSale.Core.Admission;
using FlashSale.Server.Admission;
using FlashSale.Server.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FlashSale.Server.Tests.Admission;

/// <summary>The filter's parts alone: ranges, the client address, buckets, bans, the difficulty's rise.</summary>
public sealed class FilterPartsTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-29T10:00:00Z",
        System.Globalization.CultureInfo.InvariantCulture));

    [Theory]
    [InlineData("10.0.0.0/8", "10.255.1.2", true)]
    [InlineData("10.0.0.0/8", "11.0.0.1", false)]
    [InlineData("10.1.2.3/8", "10.9.9.9", true)]
    [InlineData("192.0.2.7", "192.0.2.7", true)]
    [InlineData("192.0.2.7", "192.0.2.8", false)]
    [InlineData("192.0.2.0/31", "192.0.2.1", true)]
    [InlineData("0.0.0.0/0", "203.0.113.1", true)]
    [InlineData("0.0.0.0/0", "2001:db8::1", false)]
    [InlineData("10.0.0.0/8", "::ffff:10.1.1.1", true)]
    [InlineData("2001:db8::/32", "2001:db8:ffff::1", true)]
    [InlineData("2001:db8::/32", "2001:db9::1", false)]
    [InlineData("2001:db8::1", "2001:db8::1", true)]
    [InlineData("2001:db8::/127", "2001:db8::1", true)]
    [InlineData("2001:db8::/128", "2001:db8::1", false)]
    [InlineData("::/0", "10.0.0.1", true)]
    public void A_range_holds_exactly_its_addresses(string range, string address, bool inside)
    {
        Assert.True(IpRange.TryParse(range, out var parsed));
        Assert.Equal(inside, parsed.Contains(IpRange.ToBits(IPAddress.Parse(address))));
    }

    [Theory]
    [InlineData("10.1.2.3/8", "10.0.0.0/8")]
    [InlineData("192.0.2.7", "192.0.2.7/32")]
    [InlineData("2001:DB8:0:0::1/32", "2001:db8::/32")]
    [InlineData("::1", "::1/128")]
    [InlineData("::ffff:10.0.0.1/104", "10.0.0.0/8")]
    public void A_range_prints_in_canonical_form(string text, string canonical)
    {
        Assert.True(IpRange.TryParse(text, out var range));
        Assert.Equal(canonical, range.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("10.0.0.0/33")]
    [InlineData("::/129")]
    [InlineData("10.0.0.0/")]
    [InlineData("10.0.0.0/-1")]
    [InlineData("10.0.0.0/+8")]
    [InlineData("10.0.0.0/8/8")]
    [InlineData("fe80::1%2/64")]
    [InlineData("fe80::1%2")]
    [InlineData("host.example")]
    [InlineData("10.0.0.0/0008")]
    public void Malformed_ranges_are_refused(string text) => Assert.False(IpRange.TryParse(text, out _));

    [Fact]
    public void Fuzzed_range_texts_never_throw()
    {
        var random = new Random(11);
        const string Alphabet = "0123456789abcdefABCDEF:./%-+ x";
        for (var i = 0; i < 20_000; i++)
        {
            var chars = new char[random.Next(0, 50)];
            for (var c = 0; c < chars.Length; c++) chars[c] = Alphabet[random.Next(Alphabet.Length)];
            var text = new string(chars);
            if (IpRange.TryParse(text, out var range))
            {
                Assert.True(IpRange.TryParse(range.ToString(), out var again), text);
                Assert.Equal(range, again);
            }
        }
    }

    [Theory]
    [InlineData(null, "198.51.100.1", "127.0.0.1")]
    [InlineData("203.0.113.5", "198.51.100.1", "203.0.113.5")]
    [InlineData("203.0.113.5, 127.0.0.1", "198.51.100.1", "203.0.113.5")]
    [InlineData("1.1.1.1, 203.0.113.5", "198.51.100.1", "203.0.113.5")]
    [InlineData("[2001:db8::9]:443", "198.51.100.1", "2001:db8::9")]
    [InlineData("203.0.113.5:8080", "198.51.100.1", "203.0.113.5")]
    [InlineData("garbage, 203.0.113.5", "198.51.100.1", "203.0.113.5")]
    [InlineData("203.0.113.5, garbage", "198.51.100.1", "127.0.0.1")]
    [InlineData("127.0.0.2", "198.51.100.1", "127.0.0.2")]
    public void The_client_is_the_rightmost_untrusted_address_behind_a_trusted_peer(string? forwardedFor,
        string untrustedPeer, string expected)
    {
        var addresses = new ClientAddresses(Options.Create(new FlashSaleOptions
        {
            Admission = new AdmissionOptions { TrustedProxies = ["127.0.0.0/8"] },
        }));
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Loopback;
        if (forwardedFor is not null) context.Request.Headers["X-Forwarded-For"] = forwardedFor;
        var resolved = addresses.Resolve(context);
        Assert.Equal(IpRange.ToBits(IPAddress.Parse(expected)), resolved);

        // From a peer that is not a trusted proxy the header means nothing.
        context.Connection.RemoteIpAddress = IPAddress.Parse(untrustedPeer);
        Assert.Equal(IpRange.ToBits(IPAddress.Parse(untrustedPeer)), addresses.Resolve(context));
    }

    [Fact]
    public void A_ban_lasts_its_seconds_to_the_millisecond()
    {
        var offenders = new Offenders<string>(_time);
        var policy = new AutoBanPolicy(3, 10, 5);
        Assert.False(offenders.Strike("bot", policy));
        Assert.False(offenders.Strike("bot", policy));
        Assert.True(offenders.Strike("bot", policy));
        Assert.True(offenders.IsBanned("bot", out var remaining));
        Assert.Equal(5000, remaining);
        Assert.False(offenders.IsBanned("person", out _));

        _time.Advance(TimeSpan.FromMilliseconds(4999));
        Assert.True(offenders.IsBanned("bot", out remaining));
        Assert.Equal(1, remaining);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(offenders.IsBanned("bot", out _));
    }

    [Fact]
    public void Strikes_outside_the_window_do_not_add_up_and_bans_off_never_ban()
    {
        var offenders = new Offenders<string>(_time);
        var policy = new AutoBanPolicy(3, 10, 5);
        for (var i = 0; i < 10; i++)
        {
            Assert.False(offenders.Strike("slow", policy));
            if (i % 2 == 1) _time.Advance(TimeSpan.FromSeconds(10));
        }

        for (var i = 0; i < 100; i++) Assert.False(offenders.Strike("any", AutoBanPolicy.Off));
        Assert.False(offenders.IsBanned("any", out _));
    }

    [Fact]
    public void A_bucket_gives_its_burst_then_one_token_per_period_and_says_when()
    {
        var buckets = new TokenBuckets<int>(_time);
        for (var i = 0; i < 3; i++) Assert.True(buckets.TryTake(1, 2, 3, out _));
        Assert.False(buckets.TryTake(1, 2, 3, out var retry));
        Assert.Equal(500, retry);
        Assert.True(buckets.TryTake(2, 2, 3, out _));
        _time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.False(buckets.TryTake(1, 2, 3, out _));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(buckets.TryTake(1, 2, 3, out _));

        // Idle buckets that are full again are swept.
        _time.Advance(TimeSpan.FromMinutes(1));
        buckets.TryTake(3, 2, 3, out _);
        Assert.Equal(1, buckets.Count);
    }

    [Theory]
    [InlineData(0, 16)]
    [InlineData(1000, 16)]
    [InlineData(1001, 17)]
    [InlineData(2000, 17)]
    [InlineData(2001, 18)]
    [InlineData(4001, 19)]
    [InlineData(1_000_000, 20)]
    public void The_difficulty_rises_a_bit_per_doubling_of_load_up_to_its_ceiling(double rate, int difficulty) =>
        Assert.Equal(difficulty, new ChallengePolicy(true, 16, 20, 1000, 60).DifficultyAt(rate));

    [Fact]
    public void A_block_lapses_at_its_until_and_not_before()
    {
        var matcher = new BlockMatcher([
            new Block(BlockKind.Buyer, "brief", null, 1000),
            new Block(BlockKind.Address, "10.0.0.0/8", null, null),
        ]);
        var outside = IpRange.ToBits(IPAddress.Parse("192.0.2.1"));
        Assert.True(matcher.IsBlocked("brief", outside, 999));
        Assert.False(matcher.IsBlocked("brief", outside, 1000));
        Assert.True(matcher.IsBlocked("anyone", IpRange.ToBits(IPAddress.Parse("10.2.3.4")), long.MaxValue - 1));
        Assert.False(matcher.IsBlocked("anyone", outside, 0));
    }
}
