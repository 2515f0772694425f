using FlashSale.Redis.Tests.Support;

namespace FlashSale.Redis.Tests.Admission;

[Collection(ClusterCollectionDefinition.Name)]
public sealed class ClusterAdmissionStateTests(ClusterRedis redis) : AdmissionStateTests(redis);
