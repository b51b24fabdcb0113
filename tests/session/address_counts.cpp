// Tests of rtnotify/session/address_counts.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/session/address_counts.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace {

using rtnotify::session::address_counts;

TEST(AddressCounts, AnAddressAtItsLimitIsRefusedUntilOneOfItsConnectionsCloses)
{
    address_counts c;
    EXPECT_TRUE(c.try_add("192.0.2.1", 2));
    EXPECT_TRUE(c.try_add("192.0.2.1", 2));
    EXPECT_FALSE(c.try_add("192.0.2.1", 2));
    EXPECT_TRUE(c.try_add("192.0.2.2", 2)) << "another address has its own count";
    EXPECT_EQ(c.count("192.0.2.1"), 2u);
    c.remove("192.0.2.1");
    EXPECT_TRUE(c.try_add("192.0.2.1", 2));
    c.add("192.0.2.1"); // a connection that takes over a counted one is counted whatever the limit
    EXPECT_EQ(c.count("192.0.2.1"), 3u);
}

TEST(AddressCounts, ARefusalOrTheLastCloseLeavesNoEntryBehind)
{
    address_counts c;
    EXPECT_FALSE(c.try_add("192.0.2.1", 0));
    EXPECT_EQ(c.count("192.0.2.1"), 0u);
    c.remove("192.0.2.9"); // never counted: nothing happens
    EXPECT_EQ(c.count("192.0.2.9"), 0u);
}

TEST(AddressCounts, AmountsCountUpToTheLimitExactly)
{
    address_counts c;
    EXPECT_TRUE(c.try_add("192.0.2.1", 100, 60));
    EXPECT_FALSE(c.try_add("192.0.2.1", 100, 41));
    EXPECT_TRUE(c.try_add("192.0.2.1", 100, 40)) << "exactly the limit";
    EXPECT_FALSE(c.try_add("192.0.2.2", 100, std::size_t(-1))) << "no wrap-around";
    EXPECT_TRUE(c.try_add("192.0.2.2", 0, 0)) << "nothing is always there";
    EXPECT_EQ(c.count("192.0.2.2"), 0u);
    c.remove("192.0.2.1", 30);
    EXPECT_EQ(c.count("192.0.2.1"), 70u);
    c.remove("192.0.2.1", 500); // more than it holds: nothing is left
    EXPECT_EQ(c.count("192.0.2.1"), 0u);
    c.add("192.0.2.1", 0);
    EXPECT_EQ(c.count("192.0.2.1"), 0u);
}

TEST(AddressCounts, SharedOrOwnKeepsTheGroupsCountOrMakesOne)
{
    auto const group = std::make_shared<address_counts>();
    EXPECT_EQ(rtnotify::session::shared_or_own(group), group);
    auto const own = rtnotify::session::shared_or_own(nullptr);
    ASSERT_NE(own, nullptr);
    EXPECT_NE(own, rtnotify::session::shared_or_own(nullptr)) << "each its own";
}

TEST(AddressCounts, ThreadsThatAddAndRemoveAtOnceNeverPassTheLimit)
{
    address_counts c;
    constexpr std::size_t limit = 3;
    std::vector<std::thread> threads;
    std::atomic<bool> over{false};
    for(int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for(int i = 0; i < 20000; ++i)
                if(c.try_add("198.51.100.7", limit))
                {
                    if(c.count("198.51.100.7") > limit)
                        over = true;
                    c.remove("198.51.100.7");
                }
        });
    for(auto& t : threads)
        t.join();
    EXPECT_FALSE(over);
    EXPECT_EQ(c.count("198.51.100.7"), 0u);
}

} // namespace
