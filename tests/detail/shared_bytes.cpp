// Tests of rtnotify/detail/shared_bytes.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/detail/shared_bytes.hpp>

#include <gtest/gtest.h>

#include <string>

namespace {

TEST(SharedBytes, EachTextCountsOnceWhileHeld)
{
    rtnotify::detail::shared_bytes b;
    std::string const a(300, 'a'), c(20, 'c');
    b.hold(&a);
    b.hold(&a);
    b.hold(&c);
    EXPECT_EQ(b.bytes(), 320u);
    EXPECT_TRUE(b.held(&a));
    b.unhold(&a);
    EXPECT_EQ(b.bytes(), 320u) << "a second holder keeps it";
    b.unhold(&a);
    EXPECT_EQ(b.bytes(), 20u);
    EXPECT_FALSE(b.held(&a));
    b.unhold(&a); // not held: nothing
    EXPECT_EQ(b.bytes(), 20u);
}

} // namespace
