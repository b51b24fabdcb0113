// Tests of rtnotify/bayeux/subscription_index.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/bayeux/subscription_index.hpp>

#include <gtest/gtest.h>

#include <random>

namespace {

namespace bx = rtnotify::bayeux;

std::vector<int> match(bx::subscription_index<int> const& idx, std::string_view name)
{
    std::vector<int> out;
    idx.match(name, out);
    return out;
}

TEST(SubscriptionIndex, AddRemoveMatch)
{
    bx::subscription_index<int> idx;
    EXPECT_TRUE(idx.add("/w/*", 1));
    EXPECT_TRUE(idx.add("/v/**", 2));
    EXPECT_TRUE(idx.add("/v/a", 3));
    EXPECT_TRUE(idx.add("/v/**", 3));
    EXPECT_FALSE(idx.add("/v/**", 3));
    EXPECT_EQ(idx.size(), 4u);
    EXPECT_EQ(match(idx, "/w/a"), std::vector<int>{1});
    EXPECT_EQ(match(idx, "/w/a/b"), std::vector<int>{});
    EXPECT_EQ(match(idx, "/w"), std::vector<int>{});
    EXPECT_EQ(match(idx, "/v/a"), (std::vector<int>{2, 3})) << "3 matches twice, listed once";
    EXPECT_EQ(match(idx, "/v/a/b"), (std::vector<int>{2, 3}));
    EXPECT_EQ(match(idx, "/v"), std::vector<int>{});
    EXPECT_TRUE(idx.remove("/v/**", 3));
    EXPECT_FALSE(idx.remove("/v/**", 3));
    EXPECT_EQ(match(idx, "/v/a/b"), std::vector<int>{2});
    EXPECT_EQ(idx.size(), 3u);
}

TEST(SubscriptionIndex, AgreesWithMatchesOnRandomSubscriptions)
{
    std::mt19937 rng(7);
    std::vector<std::string> const segs{"a", "b", "c"};
    auto random_name = [&](std::size_t depth) {
        std::string n;
        for(std::size_t i = 0; i < depth; ++i)
            n += "/" + segs[rng() % segs.size()];
        return n;
    };
    bx::subscription_index<int> idx;
    std::vector<std::pair<std::string, int>> subs;
    for(int i = 0; i < 300; ++i)
    {
        auto ch = random_name(1 + rng() % 3);
        if(rng() % 3 == 0)
            ch += rng() % 2 ? "/*" : "/**";
        if(idx.add(ch, i % 40))
            subs.emplace_back(ch, i % 40);
    }
    for(int i = 0; i < 200; ++i)
    {
        auto const name = random_name(1 + rng() % 4);
        std::vector<int> expected;
        for(auto const& [ch, s] : subs)
            if(bx::matches(ch, name))
                expected.push_back(s);
        std::sort(expected.begin(), expected.end());
        expected.erase(std::unique(expected.begin(), expected.end()), expected.end());
        EXPECT_EQ(match(idx, name), expected) << name;
    }
}

} // namespace
