using System.Buffers;
using FlashSale.Core.Admission;
using FlashSale.Engine.Journal;

namespace FlashSale.Engine.Catalog;

/// <summary>
/// Encodes an admission strategy and a block list entry inside catalog records. A strategy starts with its own
/// format version, so that later fields can be added without a new record kind.
/// </summary>
internal static class AdmissionCodec
{
    private const byte StrategyVersion = 1;
    private const long Never = long.MinValue;

    public static void Write(ArrayBufferWriter<byte> buffer, AdmissionStrategy strategy)
    {
        PayloadWriter.Byte(buffer, StrategyVersion);
        var (path, challenge, ip, ban, room) =
            (strategy.HiddenPath, strategy.Challenge, strategy.IpRate, strategy.AutoBan, strategy.WaitingRoom);
        PayloadWriter.Byte(buffer, (byte)(path.Enabled ? 1 : 0));
        PayloadWriter.VarUInt(buffer, (uint)path.LifetimeSeconds);
        PayloadWriter.Byte(buffer, (byte)(challenge.Enabled ? 1 : 0));
        PayloadWriter.VarUInt(buffer, (uint)challenge.Difficulty);
        PayloadWriter.VarUInt(buffer, (uint)challenge.MaxDifficulty);
        PayloadWriter.VarUInt(buffer, (uint)challenge.RiseAbovePerSecond);
        PayloadWriter.VarUInt(buffer, (uint)challenge.LifetimeSeconds);
        PayloadWriter.VarUInt(buffer, (uint)ip.PermitsPerSecond);
        PayloadWriter.VarUInt(buffer, (uint)ip.Burst);
        PayloadWriter.VarUInt(buffer, (uint)ban.Threshold);
        PayloadWriter.VarUInt(buffer, (uint)ban.WindowSeconds);
        PayloadWriter.VarUInt(buffer, (uint)ban.BanSeconds);
        PayloadWriter.Byte(buffer, (byte)(room.Enabled ? 1 : 0));
        PayloadWriter.VarUInt(buffer, (uint)room.PreQueueSeconds);
        PayloadWriter.VarUInt(buffer, (uint)room.AdmitPerSecond);
        PayloadWriter.VarUInt(buffer, (uint)room.GrantSeconds);
    }

    public static AdmissionStrategy ReadStrategy(ref PayloadReader reader)
    {
        var version = reader.Byte();
        if (version != StrategyVersion) throw new InvalidDataException($"unknown admission strategy version {version}");
        var path = new HiddenPathPolicy(Flag(ref reader), reader.VarInt32());
        var challenge = new ChallengePolicy(Flag(ref reader), reader.VarInt32(), reader.VarInt32(), reader.VarInt32(),
            reader.VarInt32());
        var ip = new IpRatePolicy(reader.VarInt32(), reader.VarInt32());
        var ban = new AutoBanPolicy(reader.VarInt32(), reader.VarInt32(), reader.VarInt32());
        var room = new WaitingRoomPolicy(Flag(ref reader), reader.VarInt32(), reader.VarInt32(), reader.VarInt32());
        var strategy = new AdmissionStrategy(path, challenge, ip, ban, room);
        return strategy.Validate() is { } error
            ? throw new InvalidDataException($"invalid admission strategy: {error}")
            : strategy;
    }

    public static void Write(ArrayBufferWriter<byte> buffer, Block block)
    {
        PayloadWriter.Byte(buffer, (byte)block.Kind);
        PayloadWriter.String(buffer, block.Value);
        PayloadWriter.String(buffer, block.Reason);
        PayloadWriter.Int64(buffer, block.UntilMs ?? Never);
    }

    public static Block ReadBlock(ref PayloadReader reader)
    {
        var kind = ReadKind(ref reader);
        var value = reader.RequiredString();
        var reason = reader.String();
        var until = reader.Int64();
        return new Block(kind, value, reason, until == Never ? null : until);
    }

    public static BlockKind ReadKind(ref PayloadReader reader) => reader.Byte() switch
    {
        (byte)BlockKind.Buyer => BlockKind.Buyer,
        (byte)BlockKind.Address => BlockKind.Address,
        var kind => throw new InvalidDataException($"unknown block kind {kind}"),
    };

    private static bool Flag(ref PayloadReader reader) => reader.Byte() switch
    {
        0 => false,
        1 => true,
        var value => throw new InvalidDataException($"bad flag {value}"),
    };
}
