// Tests of rtnotify/auth/rights.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/auth/rights.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

namespace auth = rtnotify::auth;

std::string const secret_setting = R"("tokens":{"secret":"0123456789abcdef0123456789abcdef"})";

TEST(Rights, TheMostSpecificRuleDecides)
{
    auto const c = auth::parse_security_config("{" + secret_setting + R"(,"roles":{"r":{"kuzzle":{"controllers":{
        "*":{"actions":{"*":true,"delete":false}},
        "document":{"actions":{"*":false,"get":true}},
        "realtime":{"actions":{"publish":false}}}}}}})");
    ASSERT_TRUE(c) << c.error().to_string();
    std::vector<std::string> const r{"r"};
    EXPECT_TRUE(auth::allows(*c, r, "document", "get", "", ""));
    EXPECT_FALSE(auth::allows(*c, r, "document", "create", "", "")) << "document:* beats *:*";
    EXPECT_FALSE(auth::allows(*c, r, "realtime", "publish", "", ""));
    EXPECT_TRUE(auth::allows(*c, r, "realtime", "subscribe", "", "")) << "*:* for what realtime does not list";
    EXPECT_FALSE(auth::allows(*c, r, "server", "delete", "", "")) << "*:delete beats *:*";
    EXPECT_FALSE(auth::allows(*c, {"other"}, "document", "get", "", "")) << "no such role: nothing";
    EXPECT_FALSE(auth::allows(*c, {}, "document", "get", "", ""));
}

TEST(Rights, IndexRestrictionsNameCollectionsOrAll)
{
    auto const c = auth::parse_security_config("{" + secret_setting + R"(,"roles":{"r":{"kuzzle":{
        "controllers":{"*":{"actions":{"*":true}}},
        "restricted_to":[{"index":"shop","collections":["items"]},{"index":"logs"}]}}}})");
    ASSERT_TRUE(c) << c.error().to_string();
    std::vector<std::string> const r{"r"};
    EXPECT_TRUE(auth::allows(*c, r, "document", "create", "shop", "items"));
    EXPECT_FALSE(auth::allows(*c, r, "document", "create", "shop", "users"));
    EXPECT_TRUE(auth::allows(*c, r, "document", "create", "logs", "anything"));
    EXPECT_FALSE(auth::allows(*c, r, "document", "create", "bank", "items"));
    EXPECT_TRUE(auth::allows(*c, r, "auth", "getCurrentUser", "", "")) << "actions without an index are not restricted";
}

} // namespace
