// Tests of rtnotify/auth/config_reader.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/auth/config_reader.hpp>

#include <boost/json/parse.hpp>

#include <gtest/gtest.h>

namespace {

namespace auth = rtnotify::auth;
namespace json = boost::json;

TEST(ConfigReader, DurationsInMillisecondsOrWithAUnit)
{
    EXPECT_EQ(auth::parse_duration_ms(json::value(1500)), 1500);
    EXPECT_EQ(auth::parse_duration_ms(json::value("30s")), 30000);
    EXPECT_EQ(auth::parse_duration_ms(json::value("2h")), 7200000);
    EXPECT_EQ(auth::parse_duration_ms(json::value("1d")), 86400000);
    EXPECT_EQ(auth::parse_duration_ms(json::value("250ms")), 250);
    EXPECT_FALSE(auth::parse_duration_ms(json::value("2 h")));
    EXPECT_FALSE(auth::parse_duration_ms(json::value("h")));
    EXPECT_FALSE(auth::parse_duration_ms(json::value(-1)));
    EXPECT_FALSE(auth::parse_duration_ms(json::value("99999999999d")));
    EXPECT_FALSE(auth::parse_duration_ms(json::value(1.5)));
    EXPECT_FALSE(auth::parse_duration_ms(json::parse("18446744073709551615"))) << "a uint64 past int64 (found by fuzz_security_config)";
}

TEST(ConfigReader, ChannelsMustBeBayeuxChannelsOrPatterns)
{
    auth::detail::config_reader r;
    EXPECT_EQ(r.channels(json::parse(R"(["/a","/a/*","/b/**","/**"])"), "x").value().size(), 4u);
    EXPECT_FALSE(r.error);
    EXPECT_FALSE(r.channels(json::parse(R"(["/a","/a b"])"), "roles.r.bayeux.publish"));
    ASSERT_TRUE(r.error);
    EXPECT_EQ(r.error->path, "roles.r.bayeux.publish[1]") << "CometD's non-strict names are refused too";
}

} // namespace
