using FlashSale.Redis.Tests.Support;

namespace FlashSale.Redis.Tests.Admission;

[Collection(StandaloneCollectionDefinition.Name)]
public sealed class StandaloneAdmissionStateTests(StandaloneRedis redis) : AdmissionStateTests(redis);
