// Tests of rtnotify/beast/detail/buffer_budget.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/beast/detail/buffer_budget.hpp>

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace {

using rtnotify::beast::detail::buffer_budget;
using rtnotify::beast::detail::shared_text;

TEST(BufferBudget, ReservationsStopAtTheLimit)
{
    buffer_budget b(100, 100);
    EXPECT_EQ(b.reserve(60, "a"), buffer_budget::shortage::none);
    EXPECT_EQ(b.reserve(41, "b"), buffer_budget::shortage::server);
    EXPECT_EQ(b.reserve(40, "b"), buffer_budget::shortage::none);
    EXPECT_EQ(b.reserve(1, "c"), buffer_budget::shortage::server);
    EXPECT_EQ(b.reserve(std::size_t(-1), "c"), buffer_budget::shortage::server) << "no wrap-around";
    b.release(60, "a");
    b.release(40, "b");
    EXPECT_EQ(b.used(), 0u);
    b.add(150, "a"); // bytes already read count even past the limit
    EXPECT_TRUE(b.over());
    EXPECT_TRUE(b.over("a"));
    EXPECT_FALSE(b.over("b"));
}

TEST(BufferBudget, OneAddressReadsItsShareAtMost)
{
    buffer_budget b(1000, 300);
    EXPECT_EQ(b.reserve(200, "10.0.0.1"), buffer_budget::shortage::none);
    EXPECT_EQ(b.reserve(101, "10.0.0.1"), buffer_budget::shortage::address);
    EXPECT_EQ(b.reserve(100, "10.0.0.1"), buffer_budget::shortage::none);
    EXPECT_EQ(b.reserve(300, "10.0.0.2"), buffer_budget::shortage::none) << "another address has its own share";
    EXPECT_EQ(b.reserve(std::size_t(-1) - 50, "10.0.0.3"), buffer_budget::shortage::server);
    EXPECT_EQ(b.reserve(301, "10.0.0.3"), buffer_budget::shortage::address);
    b.add(10, "10.0.0.2");
    EXPECT_TRUE(b.over("10.0.0.2"));
    EXPECT_FALSE(b.over());
    b.release(300, "10.0.0.1");
    EXPECT_EQ(b.reserve(300, "10.0.0.1"), buffer_budget::shortage::none) << "what is given back can be read again";
    EXPECT_EQ(b.used(), 610u);
}

TEST(BufferBudget, BudgetsSharingACountHoldAnAddressesShareTogether)
{
    auto const reading = std::make_shared<rtnotify::session::address_counts>();
    buffer_budget one(1000, 300, reading), two(1000, 300, reading);
    EXPECT_EQ(one.reserve(200, "10.0.0.1"), buffer_budget::shortage::none);
    EXPECT_EQ(two.reserve(101, "10.0.0.1"), buffer_budget::shortage::address) << "the other server's 200 count";
    EXPECT_EQ(two.reserve(100, "10.0.0.1"), buffer_budget::shortage::none);
    EXPECT_EQ(two.used(), 100u) << "the limit of all addresses stays each server's own";
    two.add(5, "10.0.0.1");
    EXPECT_TRUE(one.over("10.0.0.1"));
    one.release(200, "10.0.0.1");
    EXPECT_FALSE(two.over("10.0.0.1"));
    EXPECT_EQ(reading->count("10.0.0.1"), 105u);
    EXPECT_EQ(one.used(), 0u);
}

TEST(BufferBudget, SharedPiecesCountOnce)
{
    buffer_budget b(1000, 1000);
    auto const delivery = std::make_shared<std::string const>(std::string(300, 'd'));
    shared_text to_a(std::string("[")), to_b(std::string("["));
    to_a.append(delivery);
    to_b.append(delivery);
    b.hold(to_a);
    b.hold(to_b);
    EXPECT_EQ(b.used(), 302u) << "the delivery once, each socket's own bracket";
    b.unhold(to_a);
    EXPECT_EQ(b.used(), 301u);
    b.unhold(to_b);
    EXPECT_EQ(b.used(), 0u);
}

} // namespace
