// Tests of rtnotify/bayeux/channel.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/bayeux/channel.hpp>

#include <gtest/gtest.h>

namespace {

namespace bx = rtnotify::bayeux;
using bx::validity;
using bx::wildcard;

TEST(Channel, SpecGrammar)
{
    EXPECT_EQ(bx::classify("/foo"), (bx::channel_class{validity::valid, wildcard::none}));
    EXPECT_EQ(bx::classify("/foo/bar-_!~()$@9"), (bx::channel_class{validity::valid, wildcard::none}));
    EXPECT_EQ(bx::classify("/foo/*"), (bx::channel_class{validity::valid, wildcard::one}));
    EXPECT_EQ(bx::classify("/foo/**"), (bx::channel_class{validity::valid, wildcard::many}));
    EXPECT_EQ(bx::classify("/*"), (bx::channel_class{validity::valid, wildcard::one}));
    EXPECT_EQ(bx::classify("/**"), (bx::channel_class{validity::valid, wildcard::many}));
    for(auto bad : {"", "/", "foo", "//", "/foo//bar", "/foo/**/bar", "/*/x", "/f\xC3\xA9", "/a\nb",
                    "/a:b", "/a?b", "/a%20"})
        EXPECT_EQ(bx::classify(bad).validity, validity::invalid) << ::testing::PrintToString(bad);
}

TEST(Channel, WhatCometdAcceptsInAdditionIsNonStrict)
{
    EXPECT_EQ(bx::classify("/foo bar").validity, validity::non_strict);
    EXPECT_EQ(bx::classify("/a.b/c+d/#x").validity, validity::non_strict);
    EXPECT_EQ(bx::classify("/foo/").validity, validity::non_strict) << "one trailing slash is stripped";
    EXPECT_EQ(bx::classify("/foo/{id}").validity, validity::non_strict);
    EXPECT_EQ(bx::classify("/foo/*x"), (bx::channel_class{validity::non_strict, wildcard::none}))
        << "a literal segment, not a wildcard";
    EXPECT_EQ(bx::classify("/foo/***").validity, validity::non_strict);
    EXPECT_EQ(bx::classify("/foo//").validity, validity::invalid);
}

TEST(Channel, MetaAndService)
{
    EXPECT_TRUE(bx::is_meta("/meta/connect"));
    EXPECT_TRUE(bx::is_meta("/meta"));
    EXPECT_FALSE(bx::is_meta("/metadata"));
    EXPECT_TRUE(bx::is_service("/service/echo"));
    EXPECT_FALSE(bx::is_service("/services"));
}

TEST(Channel, WildcardDeliveryRule)
{
    // The reference's delivery check: /w/* gets /w/a only; /v/** gets /v/a and /v/a/b; neither the bare parent.
    EXPECT_TRUE(bx::matches("/w/*", "/w/a"));
    EXPECT_FALSE(bx::matches("/w/*", "/w/a/b"));
    EXPECT_FALSE(bx::matches("/w/*", "/w"));
    EXPECT_TRUE(bx::matches("/v/**", "/v/a"));
    EXPECT_TRUE(bx::matches("/v/**", "/v/a/b"));
    EXPECT_FALSE(bx::matches("/v/**", "/v"));
    EXPECT_FALSE(bx::matches("/v/**", "/vx/a"));
    EXPECT_TRUE(bx::matches("/**", "/a/b"));
    EXPECT_TRUE(bx::matches("/*", "/a"));
    EXPECT_FALSE(bx::matches("/*", "/a/b"));
    EXPECT_TRUE(bx::matches("/a/b", "/a/b"));
    EXPECT_FALSE(bx::matches("/a/b", "/a/b/c"));
}

TEST(Channel, ExpansionIsExactlyTheMatchingPatterns)
{
    EXPECT_EQ(bx::expand("/a"), (std::vector<std::string>{"/a", "/*", "/**"}));
    EXPECT_EQ(bx::expand("/a/b/c"), (std::vector<std::string>{"/a/b/c", "/a/b/*", "/**", "/a/**", "/a/b/**"}));
    // Every pattern of the expansion matches; every other pattern built from the name's prefixes does not.
    std::string const name = "/x/y/z/w";
    auto const ex = bx::expand(name);
    for(std::size_t p = 0; p != std::string::npos; p = name.find('/', p + 1))
        for(auto suffix : {"*", "**"})
        {
            auto const pattern = name.substr(0, p + 1) + suffix;
            bool const listed = std::find(ex.begin(), ex.end(), pattern) != ex.end();
            EXPECT_EQ(listed, bx::matches(pattern, name)) << pattern;
        }
}

} // namespace
