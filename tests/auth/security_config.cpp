// Tests of rtnotify/auth/security_config.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/auth/rights.hpp>
#include <rtnotify/auth/security_config.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace auth = rtnotify::auth;

std::string const tokens_ok = R"("tokens":{"secret":"0123456789abcdef0123456789abcdef"})";

/// The error of a configuration that must be refused, as "path: message".
std::string refusal(std::string const& text)
{
    auto const r = auth::parse_security_config(text);
    if(r)
        return "accepted";
    return r.error().to_string();
}

TEST(SecurityConfig, TheExampleOfDocsSecurityMdLoadsAndMeansWhatItSays)
{
    std::ifstream in(std::string(RTNOTIFY_TEST_DATA_DIR) + "/../../docs/security.md");
    ASSERT_TRUE(in) << "docs/security.md";
    std::stringstream ss;
    ss << in.rdbuf();
    auto const doc = ss.str();
    auto const marker = doc.find("<!-- the example configuration: tests/auth/security_config.cpp loads it -->");
    ASSERT_NE(marker, std::string::npos);
    auto const begin = doc.find("```json\n", marker);
    auto const end = doc.find("\n```", begin + 8);
    ASSERT_NE(end, std::string::npos);
    auto const c = auth::parse_security_config(doc.substr(begin + 8, end - begin - 8));
    ASSERT_TRUE(c) << c.error().to_string();
    EXPECT_EQ(c->tokens.expires_in_ms, 3600000);
    ASSERT_TRUE(c->users.contains("alice"));
    EXPECT_TRUE(auth::verify_password("alice's password", c->users.at("alice").password_hash));
    auto const& alice = c->users.at("alice").roles;
    auto const& anonymous = c->anonymous_roles;
    EXPECT_TRUE(auth::allows(*c, alice, "document", "create", "shop", "items"));
    EXPECT_FALSE(auth::allows(*c, alice, "document", "create", "bank", "accounts")) << "restricted to shop";
    EXPECT_TRUE(auth::allows(*c, anonymous, "realtime", "subscribe", "shop", "items"));
    EXPECT_FALSE(auth::allows(*c, anonymous, "document", "create", "shop", "items"));
    EXPECT_TRUE(auth::allows(*c, anonymous, "server", "publicApi", "", "")) << "the SDKs' Http protocol reads the routes";
    EXPECT_EQ(c->cors_origins, std::vector<std::string>{"https://shop.example.com"});
    ASSERT_TRUE(c->roles.at("writer").bayeux);
    EXPECT_EQ(c->roles.at("writer").bayeux->publish, std::vector<std::string>{"/shop/**"});
    ASSERT_TRUE(c->roles.at("visitor").bayeux);
    EXPECT_EQ(c->roles.at("visitor").bayeux->subscribe, std::vector<std::string>{"/news/*"});
    EXPECT_TRUE(c->roles.at("visitor").bayeux->publish.empty());
}

TEST(SecurityConfig, TheServerMemberIsLeftToTheProgram)
{
    // rtnotify-server's options: whatever they are, the security configuration does not read them
    EXPECT_EQ(refusal("{" + tokens_ok + R"(,"server":{"listen":["0.0.0.0:80"],"anything":{"at":"all"}}})"), "accepted");
}

TEST(SecurityConfig, EveryRefusalNamesItsPath)
{
    auto const hash = *auth::hash_password("pw");
    EXPECT_EQ(refusal("{"), "not JSON: incomplete JSON");
    EXPECT_EQ(refusal("{}"), "tokens: missing: the token settings (at least \"secret\")");
    EXPECT_EQ(refusal(R"({"tokens":{"secret":"short"}})"), "tokens.secret: too short: at least 32 bytes");
    EXPECT_EQ(refusal("{" + tokens_ok + R"(,"colour":1})"),
              "colour: unknown setting (expected one of: tokens, users, roles, anonymous, login, cors, server)");
    EXPECT_EQ(refusal("{" + tokens_ok + R"(,"users":{"bob":{"password":"plain"}}})").substr(0, 25), "users.bob.password: not a");
    EXPECT_EQ(refusal("{" + tokens_ok + R"(,"users":{"bob":{"password":")" + hash + R"(","roles":["ghost"]}}})"),
              "users.bob.roles[0]: no role \"ghost\" is defined under \"roles\"");
    EXPECT_EQ(refusal("{" + tokens_ok + R"(,"roles":{"r":{"kuzzle":{"controllers":{"document":{"actions":{"get":"yes"}}}}}}})"),
              "roles.r.kuzzle.controllers.document.actions.get: expected true or false");
    EXPECT_EQ(refusal("{" + tokens_ok + R"(,"roles":{"r":{"kuzzle":{"restricted_to":[{"collections":[]}]}}}})"),
              "roles.r.kuzzle.restricted_to[0].index: missing");
    EXPECT_EQ(refusal("{" + tokens_ok + R"(,"login":{"window":"soon"}})").substr(0, 14), "login.window: ");
    EXPECT_EQ(refusal("{" + tokens_ok + R"(,"login":{"max_failures":0}})"), "login.max_failures: expected a whole number of at least 1");
    EXPECT_EQ(refusal(R"({"tokens":{"secret":"0123456789abcdef0123456789abcdef","expires_in":"2d","max_ttl":"1d"}})"),
              "tokens.expires_in: longer than tokens.max_ttl");
    EXPECT_EQ(refusal("{" + tokens_ok + R"(,"roles":{"r":{"bayeux":{"publish":["/a/*","a"]}}}})"),
              R"(roles.r.bayeux.publish[1]: not a Bayeux channel or pattern ("/a/b", "/a/*", "/a/**"))");
    EXPECT_EQ(refusal("{" + tokens_ok + R"(,"roles":{"r":{"bayeux":{"subscribe":["/a/*/b"]}}}})").substr(0, 30),
              "roles.r.bayeux.subscribe[0]: n");
    EXPECT_EQ(refusal("{" + tokens_ok + R"(,"roles":{"r":{"bayeux":{"create":[]}}}})"),
              "roles.r.bayeux.create: unknown setting (expected one of: subscribe, publish)");
    EXPECT_EQ(refusal("{" + tokens_ok + R"(,"roles":{"r":{"bayeux":{"subscribe":"/a"}}}})"),
              "roles.r.bayeux.subscribe: expected an array of strings");
    for(auto const* bad : {"https://a.example/", "a.example", "https://", "ftp://a.example", "https://a b", "https://a:"})
        EXPECT_EQ(refusal("{" + tokens_ok + R"(,"cors":{"origins":["*","https://ok.example:8443",")" + bad + R"("]}})"),
                  R"(cors.origins[2]: not an origin (scheme://host[:port], e.g. "https://app.example.com") nor "*")")
            << bad;
    EXPECT_EQ(refusal("{" + tokens_ok + R"(,"cors":{}})"), "cors.origins: missing");
    EXPECT_EQ(refusal("{" + tokens_ok + R"(,"users":{"":{"password":")" + hash + R"("}}})"),
              "users: a user name may not be empty (an empty name is anonymous)");
    EXPECT_EQ(refusal("{" + tokens_ok + R"(,"anonymous":{"roles":["nobody"]}})"),
              "anonymous.roles[0]: no role \"nobody\" is defined under \"roles\"");
}

} // namespace
