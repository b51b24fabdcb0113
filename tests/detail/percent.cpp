// Tests of decoding %XX escapes (rtnotify/detail/percent.hpp).
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/detail/percent.hpp>

#include <gtest/gtest.h>

#include <string>

namespace {

using rtnotify::detail::percent_decoded;

TEST(Percent, DecodesEscapesOfEitherCase)
{
    EXPECT_EQ(percent_decoded("a%20b%2fc%2F"), "a b/c/");
    EXPECT_EQ(percent_decoded("%00x"), std::string("\0x", 2));
    EXPECT_EQ(percent_decoded("%ff"), "\xff");
    EXPECT_EQ(percent_decoded(""), "");
}

TEST(Percent, PlusIsASpaceInFormsOnly)
{
    EXPECT_EQ(percent_decoded("a+b%2B"), "a+b+");
    EXPECT_EQ(percent_decoded("a+b%2B", true), "a b+");
}

TEST(Percent, RefusesBrokenEscapes)
{
    EXPECT_FALSE(percent_decoded("%"));
    EXPECT_FALSE(percent_decoded("ab%4"));
    EXPECT_FALSE(percent_decoded("%4g"));
    EXPECT_FALSE(percent_decoded("%+1"));
    EXPECT_FALSE(percent_decoded("%-1"));
    EXPECT_FALSE(percent_decoded("% 1", true));
}

} // namespace
