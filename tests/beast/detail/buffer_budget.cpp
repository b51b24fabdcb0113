// Test that header file is self-contained.
#include <rtnotify/beast/detail/buffer_budget.hpp>

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace {

using rtnotify::beast::detail::buffer_budget;
using rtnotify::beast::detail::shared_text;

TEST(BufferBudget, ReservationsStopAtTheLimit)
{
    buffer_budget b(100);
    EXPECT_TRUE(b.reserve(60));
    EXPECT_FALSE(b.reserve(41));
    EXPECT_TRUE(b.reserve(40));
    EXPECT_FALSE(b.reserve(1));
    EXPECT_FALSE(b.reserve(std::size_t(-1))) << "no wrap-around";
    b.release(100);
    EXPECT_EQ(b.used(), 0u);
    b.add(150); // bytes already read count even past the limit
    EXPECT_TRUE(b.over());
}

TEST(BufferBudget, SharedPiecesCountOnce)
{
    buffer_budget b(1000);
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
