// Tests of rtnotify/bayeux/error_string.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/bayeux/error_string.hpp>

#include <rtnotify/bayeux/error.hpp>

#include <gtest/gtest.h>

namespace {

namespace bx = rtnotify::bayeux;

TEST(ErrorString, SpecExamples)
{
    EXPECT_EQ(bx::error_string::parse("401::No client ID"), (bx::error_string{401, {}, "No client ID"}));
    EXPECT_EQ(bx::error_string::parse("402:xj3sjdsjdsjad:Unknown Client ID"),
              (bx::error_string{402, {"xj3sjdsjdsjad"}, "Unknown Client ID"}));
    EXPECT_EQ(bx::error_string::parse("403:xj3sjdsjdsjad,/foo/bar:Subscription denied"),
              (bx::error_string{403, {"xj3sjdsjdsjad", "/foo/bar"}, "Subscription denied"}));
    EXPECT_EQ(bx::error_string::parse("404:/foo/bar:Unknown Channel"),
              (bx::error_string{404, {"/foo/bar"}, "Unknown Channel"}));
}

TEST(ErrorString, RealServersAndUnparsable)
{
    EXPECT_EQ(bx::error_string::parse("405:c[long-polling],s[websocket]:no_transport").args.size(), 2u);
    auto e = bx::error_string::parse("403:denied:subscribe_denied: with: colons");
    EXPECT_EQ(e.code, 403);
    EXPECT_EQ(e.message, "subscribe_denied: with: colons") << "only the first two colons split";
    EXPECT_EQ(bx::error_string::parse("Something broke"), (bx::error_string{std::nullopt, {}, "Something broke"}));
    EXPECT_EQ(bx::error_string::parse("40:x:y").code, std::nullopt);
    EXPECT_EQ(bx::error_string::parse("abc:x:y").code, std::nullopt);
    EXPECT_EQ(bx::error_string::parse("401:no second colon").message, "401:no second colon");
    EXPECT_EQ(bx::error_string::parse("402:a,:m").args, (std::vector<std::string>{"a", ""}));
}

TEST(ErrorString, FormatRoundTrips)
{
    for(auto s : {"401::No client ID", "403:a,/foo/bar:Subscription denied", "402:clientId:Missing required parameter",
                  "plain message"})
        EXPECT_EQ(bx::error_string::parse(s).to_string(), s);
}

TEST(ErrorString, ErrorCodesMapOntoConditions)
{
    rtnotify::error_code ec = bx::error::too_deep;
    EXPECT_EQ(ec, rtnotify::condition::limit_exceeded);
    ec = bx::error::not_json;
    EXPECT_EQ(ec, rtnotify::condition::parse_error);
    EXPECT_STREQ(ec.category().name(), "rtnotify.bayeux");
}

TEST(BayeuxErrorString, ArgsThatCannotBreakTheGrammarAreKept)
{
    EXPECT_EQ(bx::error_arg("/chat/**"), "/chat/**");
    EXPECT_EQ(bx::error_arg("a,b"), "");  // a comma would split it in two args
    EXPECT_EQ(bx::error_arg("a:b"), "");  // a colon would end the args
    EXPECT_EQ(bx::error_arg(std::string(129, 'x')), "");
    EXPECT_EQ(bx::error_arg(std::string(128, 'x')), std::string(128, 'x'));
}

} // namespace
