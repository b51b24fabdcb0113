// Tests of rtnotify/auth/base64url.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/auth/base64url.hpp>

#include <gtest/gtest.h>

#include <string>

namespace {

namespace auth = rtnotify::auth;

TEST(Base64url, RoundTripsEveryLengthAndByte)
{
    std::string bytes;
    for(int i = 0; i < 300; ++i)
    {
        auto const text = auth::base64url_encode(bytes);
        EXPECT_EQ(text.find_first_of("+/="), std::string::npos) << text;
        auto const back = auth::base64url_decode(text);
        ASSERT_TRUE(back) << text;
        EXPECT_EQ(*back, bytes);
        bytes.push_back(static_cast<char>(i * 37));
    }
}

TEST(Base64url, KnownValuesOfRfc4648)
{
    EXPECT_EQ(auth::base64url_encode("foobar"), "Zm9vYmFy");
    EXPECT_EQ(auth::base64url_encode("fo"), "Zm8");
    EXPECT_EQ(auth::base64url_encode("\xfb\xff"), "-_8");
    EXPECT_EQ(auth::base64url_decode("-_8"), std::string("\xfb\xff"));
}

TEST(Base64url, RefusesOtherAlphabetsPaddingAndImpossibleLengths)
{
    std::size_t at = 99;
    EXPECT_FALSE(auth::base64url_decode("ab+c", &at));
    EXPECT_EQ(at, 2u);
    EXPECT_FALSE(auth::base64url_decode("ab/c", &at));
    EXPECT_FALSE(auth::base64url_decode("Zm8=", &at));
    EXPECT_EQ(at, 3u);
    EXPECT_FALSE(auth::base64url_decode("Zm9vY", &at)) << "5 characters encode nothing";
    EXPECT_EQ(at, 5u);
    EXPECT_EQ(auth::base64url_decode(""), std::string());
    EXPECT_EQ(auth::base64url_decode("Zm8"), std::string("fo"));
    EXPECT_FALSE(auth::base64url_decode("Zm9", &at)) << "the same bytes with unused bits set";
    EXPECT_EQ(at, 2u);
}

} // namespace
