using System.Buffers.Text;
using FlashSale.Server.Admission;
using Microsoft.Extensions.Time.Testing;

namespace FlashSale.Server.Tests.Admission;

public sealed class SignedPassesTests
{
    private const string Secret = "admission-test-secret-0123456789abcdef";
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-29T10:00:00Z"));

    [Fact]
    public void A_pass_verifies_for_its_kind_sale_and_buyer_until_it_expires()
    {
        var passes = new SignedPasses(Secret, _time);
        var text = passes.Issue(PassKind.PurchasePath, "launch", "alice", TimeSpan.FromSeconds(30));

        Assert.Equal(PassCheck.Valid, passes.Verify(text, PassKind.PurchasePath, "launch", "alice", out var pass));
        Assert.Equal(_time.GetUtcNow().AddSeconds(30).ToUnixTimeMilliseconds(), pass.ExpiresAtMs);
        _time.Advance(TimeSpan.FromSeconds(30) - TimeSpan.FromMilliseconds(1));
        Assert.Equal(PassCheck.Valid, passes.Verify(text, PassKind.PurchasePath, "launch", "alice", out _));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(PassCheck.Expired, passes.Verify(text, PassKind.PurchasePath, "launch", "alice", out _));
    }

    [Fact]
    public void A_pass_for_another_buyer_sale_or_kind_is_refused()
    {
        var passes = new SignedPasses(Secret, _time);
        var text = passes.Issue(PassKind.PurchasePath, "launch", "alice", TimeSpan.FromMinutes(1));

        Assert.Equal(PassCheck.WrongHolder, passes.Verify(text, PassKind.PurchasePath, "launch", "bob", out _));
        Assert.Equal(PassCheck.WrongHolder, passes.Verify(text, PassKind.PurchasePath, "other", "alice", out _));
        Assert.Equal(PassCheck.WrongHolder, passes.Verify(text, PassKind.Grant, "launch", "alice", out _));
        Assert.Equal(PassCheck.WrongHolder, passes.Verify(text, PassKind.PurchasePath, "launch", "alicf", out _));
    }

    [Fact]
    public void Every_flipped_bit_is_refused()
    {
        var passes = new SignedPasses(Secret, _time);
        var text = passes.Issue(PassKind.Grant, "launch", "zoë", TimeSpan.FromMinutes(1));
        var bytes = Base64Url.DecodeFromChars(text);
        for (var i = 0; i < bytes.Length * 8; i++)
        {
            var tampered = (byte[])bytes.Clone();
            tampered[i / 8] ^= (byte)(1 << (i % 8));
            var check = passes.Verify(Base64Url.EncodeToString(tampered), PassKind.Grant, "launch", "zoë", out _);
            Assert.True(check is PassCheck.BadSignature or PassCheck.Malformed, $"bit {i}: {check}");
        }
    }

    [Fact]
    public void A_pass_signed_with_another_secret_is_refused()
    {
        var text = new SignedPasses("another-secret-0123456789abcdefghijk", _time)
            .Issue(PassKind.Grant, "launch", "alice", TimeSpan.FromMinutes(1));

        Assert.Equal(PassCheck.BadSignature,
            new SignedPasses(Secret, _time).Verify(text, PassKind.Grant, "launch", "alice", out _));
    }

    [Fact]
    public void Gateways_with_skewed_clocks_agree_on_a_pass_until_the_verifier_s_clock_passes_its_expiry()
    {
        var behind = new FakeTimeProvider(_time.GetUtcNow() - TimeSpan.FromSeconds(2));
        var issuer = new SignedPasses(Secret, _time);
        var verifier = new SignedPasses(Secret, behind);
        var text = issuer.Issue(PassKind.Grant, "launch", "alice", TimeSpan.FromSeconds(10));

        behind.Advance(TimeSpan.FromSeconds(11.999));
        Assert.Equal(PassCheck.Valid, verifier.Verify(text, PassKind.Grant, "launch", "alice", out _));
        behind.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(PassCheck.Expired, verifier.Verify(text, PassKind.Grant, "launch", "alice", out _));
    }

    [Fact]
    public void Random_text_is_never_a_valid_pass_and_never_throws()
    {
        var passes = new SignedPasses(Secret, _time);
        var genuine = passes.Issue(PassKind.Grant, "launch", "alice", TimeSpan.FromMinutes(1));
        var random = new Random(20261129);
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/.~ é\0";
        for (var i = 0; i < 20_000; i++)
        {
            var chars = i % 2 == 0 ? genuine.ToCharArray() : new char[random.Next(0, 2000)];
            for (var j = 0; j < chars.Length; j++)
            {
                if (i % 2 == 1 || random.Next(genuine.Length) == 0) chars[j] = Alphabet[random.Next(Alphabet.Length)];
            }

            var text = i % 4 == 0 ? new string(chars)[..random.Next(chars.Length + 1)] : new string(chars);
            if (text == genuine) continue;
            Assert.NotEqual(PassCheck.Valid, passes.Verify(text, PassKind.Grant, "launch", "alice", out _));
        }
    }
}
