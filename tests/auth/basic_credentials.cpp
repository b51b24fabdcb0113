// Tests of rtnotify/auth/basic_credentials.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/auth/basic_credentials.hpp>

#include <gtest/gtest.h>

#include <string>

namespace {

namespace auth = rtnotify::auth;

TEST(BasicCredentials, DecodesUserAndPassword)
{
    auto const c = auth::parse_basic_authorization("Basic YWxpY2U6b3BlbiBzZXNhbWU="); // alice:open sesame
    ASSERT_TRUE(c);
    EXPECT_EQ(c->user, "alice");
    EXPECT_EQ(c->password, "open sesame");
    auto const d = auth::parse_basic_authorization("basic Ym9iOmE6Yg=="); // bob:a:b, the scheme in any case
    ASSERT_TRUE(d);
    EXPECT_EQ(d->user, "bob");
    EXPECT_EQ(d->password, "a:b") << "the password runs from the first colon";
    auto const e = auth::parse_basic_authorization("Basic OnA="); // ":p"
    ASSERT_TRUE(e);
    EXPECT_EQ(e->user, "");
    EXPECT_EQ(e->password, "p");
}

TEST(BasicCredentials, RefusesWhatIsNotBasicBase64OfUserColonPassword)
{
    for(auto const* bad : {"", "Basic", "Basic ", "Bearer YWxpY2U6cHc=", "Basic YWxpY2U",   // no scheme, other scheme, 7 chars
                           "Basic YWxpY2U=", "Basic YWxp*2U6cHc=", "Basic YW=xY2U6cHc=",    // no colon, bad char, padding inside
                           "Basic YWxpY2U6cHc", "Basic YQ==YWxp", "Basic YWxpY2U6AXc="}) // unpadded, data after padding, control char
        EXPECT_FALSE(auth::parse_basic_authorization(bad)) << bad;
    EXPECT_FALSE(auth::parse_basic_authorization("Basic " + std::string(auth::max_basic_header_bytes, 'A')));
}

} // namespace
