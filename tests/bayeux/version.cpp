// Tests of rtnotify/bayeux/version.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/bayeux/version.hpp>

#include <gtest/gtest.h>

namespace {

namespace bx = rtnotify::bayeux;

TEST(BayeuxVersion, Grammar)
{
    EXPECT_TRUE(bx::valid_version("1"));
    EXPECT_TRUE(bx::valid_version("1.0"));
    EXPECT_TRUE(bx::valid_version("1.0beta_2-rc"));
    EXPECT_FALSE(bx::valid_version(""));
    EXPECT_FALSE(bx::valid_version("v1"));
    EXPECT_FALSE(bx::valid_version("1."));
    EXPECT_FALSE(bx::valid_version("1..0"));
    EXPECT_FALSE(bx::valid_version("1.-0")); // an element starts with a letter or a digit
    EXPECT_FALSE(bx::valid_version("1.0 "));
}

TEST(BayeuxVersion, Order)
{
    EXPECT_EQ(bx::compare_versions("1.0", "1.0"), 0);
    EXPECT_EQ(bx::compare_versions("1", "1.0"), 0);
    EXPECT_EQ(bx::compare_versions("1.10", "1.9"), 1);
    EXPECT_EQ(bx::compare_versions("01.0", "1.0"), 0);
    EXPECT_EQ(bx::compare_versions("0.9", "1.0"), -1);
    EXPECT_EQ(bx::compare_versions("1.0beta", "1.0"), 1);
    EXPECT_EQ(bx::compare_versions("1.0", "1.0.1"), -1);
}

} // namespace
