// Tests of rtnotify/beast/sharding.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/beast/sharding.hpp>

#include <gtest/gtest.h>

#include <set>

namespace {

using rtnotify::beast::shard_of_client;

TEST(Sharding, AClientIdNamesTheShardOfItsFirstCharacter)
{
    EXPECT_EQ(shard_of_client("0abc", 2), 0u);
    EXPECT_EQ(shard_of_client("1abc", 2), 1u);
    EXPECT_EQ(shard_of_client("Zabc", 62), 35u);
    EXPECT_EQ(shard_of_client("zabc", 62), 61u);
    EXPECT_FALSE(shard_of_client("2abc", 2)) << "past the group";
    EXPECT_FALSE(shard_of_client("", 2));
    EXPECT_FALSE(shard_of_client("-abc", 2)) << "not a tag";
    EXPECT_FALSE(shard_of_client("\xff", 62));
}

TEST(Sharding, TaggedIdsBeginWithTheirShardsTag)
{
    int n = 0;
    auto const make = rtnotify::beast::tagged_client_ids(11, [&] { return "id" + std::to_string(++n); });
    EXPECT_EQ(make(), "Bid1");
    EXPECT_EQ(make(), "Bid2");
    std::set<char> tags;
    for(std::size_t i = 0; i < rtnotify::beast::shard_tags.size(); ++i)
    {
        auto const id = rtnotify::beast::tagged_client_ids(i, [] { return std::string("x"); })();
        EXPECT_EQ(shard_of_client(id, rtnotify::beast::shard_tags.size()), i);
        tags.insert(id.front());
    }
    EXPECT_EQ(tags.size(), 62u);
}

} // namespace
