// Tests of rtnotify/auth/password.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/auth/password.hpp>

#include <gtest/gtest.h>

#include <string>

namespace {

namespace auth = rtnotify::auth;

TEST(Password, YescryptHashesCheckTheirPasswordOnly)
{
    auto const h = auth::hash_password("correct horse");
    ASSERT_TRUE(h);
    EXPECT_TRUE(h->starts_with("$y$")) << *h;
    EXPECT_TRUE(auth::is_password_hash(*h));
    EXPECT_TRUE(auth::verify_password("correct horse", *h));
    EXPECT_FALSE(auth::verify_password("correct horsE", *h));
    EXPECT_FALSE(auth::verify_password("", *h));
    EXPECT_NE(*auth::hash_password("correct horse"), *h) << "a new salt each time";
}

TEST(Password, BcryptToo)
{
    auto const h = auth::hash_password("pw", "$2b$");
    ASSERT_TRUE(h);
    EXPECT_TRUE(h->starts_with("$2b$")) << *h;
    EXPECT_TRUE(auth::verify_password("pw", *h));
    EXPECT_FALSE(auth::verify_password("pW", *h));
}

TEST(Password, WhatIsNoHashChecksNothing)
{
    EXPECT_FALSE(auth::is_password_hash("secret"));
    EXPECT_FALSE(auth::is_password_hash("5f4dcc3b5aa765d61d8327deb882cf99")) << "a plain MD5 is no password hash";
    EXPECT_FALSE(auth::is_password_hash("$y$"));
    EXPECT_FALSE(auth::verify_password("secret", "secret"));
    EXPECT_FALSE(auth::verify_password("x", ""));
    EXPECT_FALSE(auth::hash_password(std::string(auth::max_password_bytes + 1, 'x')));
    EXPECT_FALSE(auth::hash_password(std::string("a\0b", 3)));
}

} // namespace
