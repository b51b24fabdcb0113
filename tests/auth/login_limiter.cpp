// Tests of rtnotify/auth/login_limiter.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/auth/login_limiter.hpp>

#include <gtest/gtest.h>

#include <string>

namespace {

namespace auth = rtnotify::auth;

TEST(LoginLimiter, AnAddressIsRefusedAfterItsFailuresUntilTheWindowEnds)
{
    auth::login_limiter l(3, 60000, 100);
    for(int i = 0; i < 3; ++i)
    {
        EXPECT_TRUE(l.allowed("10.0.0.1", 1000 + i));
        l.failed("10.0.0.1", 1000 + i);
    }
    EXPECT_FALSE(l.allowed("10.0.0.1", 2000));
    EXPECT_TRUE(l.allowed("10.0.0.2", 2000)) << "other addresses are not concerned";
    EXPECT_FALSE(l.allowed("10.0.0.1", 60999));
    EXPECT_TRUE(l.allowed("10.0.0.1", 61000)) << "the window is over";
    l.failed("10.0.0.1", 61000);
    EXPECT_TRUE(l.allowed("10.0.0.1", 61001)) << "a new window, one failure";
}

TEST(LoginLimiter, ASuccessForgetsTheFailures)
{
    auth::login_limiter l(2, 60000, 100);
    l.failed("a", 1);
    l.succeeded("a");
    l.failed("a", 2);
    EXPECT_TRUE(l.allowed("a", 3));
    EXPECT_EQ(l.size(), 1u);
}

TEST(LoginLimiter, TheTableIsBoundedByForgettingTheOldest)
{
    auth::login_limiter l(1, 60000, 3);
    for(int i = 0; i < 10; ++i)
        l.failed("addr" + std::to_string(i), i);
    EXPECT_EQ(l.size(), 3u);
    EXPECT_TRUE(l.allowed("addr0", 20)) << "forgotten";
    EXPECT_FALSE(l.allowed("addr9", 20));
}

} // namespace
