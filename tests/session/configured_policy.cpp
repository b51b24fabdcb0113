// Tests of rtnotify/session/configured_policy.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/session/configured_policy.hpp>

#include "harness.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace {

using namespace rtnotify_test;
namespace auth = rtnotify::auth;

/// alice (writer: publishes under /shop, subscribes anywhere), bob (no Bayeux rights); anonymous may read /news.
std::shared_ptr<auth::security_config const> shop_config(bool anonymous_bayeux = true)
{
    auto const text = R"({"tokens":{"secret":"0123456789abcdef0123456789abcdef"},
        "users":{"alice":{"password":")" + auth::hash_password("alice's password").value() + R"(","roles":["writer"]},
                 "bob":{"password":")" + auth::hash_password("bob's password").value() + R"(","roles":["kuzzle-only"]}},
        "roles":{"writer":{"bayeux":{"subscribe":["/**"],"publish":["/shop/**"]}},
                 "kuzzle-only":{"kuzzle":{"controllers":{"*":{"actions":{"*":true}}}}},
                 "reader":{"bayeux":{"subscribe":["/news/*"]}}},
        "anonymous":{"roles":[)" + std::string(anonymous_bayeux ? R"("reader")" : "") + R"(]},
        "login":{"max_failures":3,"window":"1m"}})";
    auto c = auth::parse_security_config(text);
    EXPECT_TRUE(c) << (c ? "" : c.error().to_string());
    return std::make_shared<auth::security_config const>(std::move(*c));
}

struct guarded
{
    server_fixture f;

    explicit guarded(bool anonymous_bayeux = true)
        : f([&] {
              ss::server_options o;
              o.policy = ss::configured_policy(std::make_shared<auth::authenticator>(shop_config(anonymous_bayeux)));
              return o;
          }())
    {
    }

    /// The handshake reply with `authorization` (a header) and `ext`, from address `owner`.
    bx::message handshake(std::string_view authorization, std::string_view ext = "", std::string_view owner = "10.0.0.1")
    {
        std::string j = R"([{"channel":"/meta/handshake","version":"1.0","supportedConnectionTypes":["long-polling"])";
        if(!ext.empty())
            j += R"(,"ext":)" + std::string(ext);
        j += "}]";
        auto const ex = f.next_exchange++;
        f.srv.receive(ex, batch(j), f.now, ss::exchange_kind::request, owner, {}, authorization);
        return f.response(ex).value().at(0);
    }
};

/// "alice's password" alone: no colon, so no credentials.
std::string const no_colon = "Basic YWxpY2UncyBwYXNzd29yZA==";

TEST(ConfiguredPolicy, RuleCoverage)
{
    EXPECT_TRUE(ss::rule_covers("/a/**", "/a/b/c"));
    EXPECT_TRUE(ss::rule_covers("/a/**", "/a/*"));
    EXPECT_TRUE(ss::rule_covers("/a/**", "/a/b/**"));
    EXPECT_TRUE(ss::rule_covers("/a/*", "/a/b"));
    EXPECT_TRUE(ss::rule_covers("/a/*", "/a/*"));
    EXPECT_FALSE(ss::rule_covers("/a/*", "/a/**")) << "it would receive /a/b/c";
    EXPECT_FALSE(ss::rule_covers("/a/*", "/a/b/c"));
    EXPECT_FALSE(ss::rule_covers("/a/**", "/a"));
    EXPECT_FALSE(ss::rule_covers("/a/b", "/a/*"));
    EXPECT_TRUE(ss::rule_covers("/**", "/**"));
}

TEST(ConfiguredPolicy, BasicCredentialsOrExtAuthenticationOpenAUsersSession)
{
    guarded g;
    // alice:alice's password
    auto const basic = g.handshake("Basic YWxpY2U6YWxpY2UncyBwYXNzd29yZA==");
    ASSERT_EQ(basic.successful, true);
    auto const id = basic.client_id.value();
    EXPECT_EQ(g.f.call(g.f.subscribe(id, R"("/private/**")")).at(0).successful, true);
    EXPECT_EQ(g.f.call(g.f.publish(id, "/shop/items")).at(0).successful, true);
    EXPECT_EQ(err(g.f.call(g.f.publish(id, "/news/today")).at(0)), "403:/news/today:Publish denied");

    auto const ext = g.handshake("", R"({"authentication":{"user":"alice","credentials":"alice's password"}})");
    EXPECT_EQ(ext.successful, true) << "CometD's ext.authentication";
}

TEST(ConfiguredPolicy, WrongOrMalformedCredentialsAreRefusedWithoutFallingBackToAnonymous)
{
    guarded g;
    for(auto const& [authorization, ext] :
        {std::pair<std::string, std::string>{"Basic YWxpY2U6d3Jvbmc=", ""}, // alice:wrong
         {no_colon, ""},                                                // no colon
         {"Bearer abc", ""},
         {"", R"({"authentication":{"user":"alice","credentials":"wrong"}})"},
         {"", R"({"authentication":{"user":"alice"}})"},
         {"", R"({"authentication":"alice"})"}})
    {
        auto const r = g.handshake(authorization, ext, "10.0.0.9");
        EXPECT_EQ(err(r), "403::handshake_denied") << authorization << ext;
        EXPECT_EQ(reconnect(r), "none");
        EXPECT_FALSE(r.client_id);
    }
    EXPECT_EQ(g.f.srv.session_count(), 0u);
}

TEST(ConfiguredPolicy, TooManyFailuresFromAnAddressRefuseEvenTheRightPassword)
{
    guarded g;
    for(int i = 0; i < 3; ++i)
        EXPECT_EQ(err(g.handshake("Basic YWxpY2U6d3Jvbmc=", "", "10.0.0.9")), "403::handshake_denied");
    auto const right = "Basic YWxpY2U6YWxpY2UncyBwYXNzd29yZA==";
    EXPECT_EQ(err(g.handshake(right, "", "10.0.0.9")), "403::handshake_denied");
    EXPECT_EQ(g.handshake(right, "", "10.0.0.10").successful, true) << "another address";
    g.f.now += std::chrono::minutes(1);
    EXPECT_EQ(g.handshake(right, "", "10.0.0.9").successful, true) << "the window is over";
}

TEST(ConfiguredPolicy, AnonymousSessionsHaveTheAnonymousRolesRights)
{
    guarded g;
    auto const r = g.handshake("");
    ASSERT_EQ(r.successful, true);
    auto const id = r.client_id.value();
    EXPECT_EQ(g.f.call(g.f.subscribe(id, R"("/news/*")")).at(0).successful, true);
    EXPECT_EQ(g.f.call(g.f.subscribe(id, R"("/news/today")")).at(0).successful, true);
    EXPECT_EQ(err(g.f.call(g.f.subscribe(id, R"("/news/**")")).at(0)), "403:/news/**:Subscription denied");
    EXPECT_EQ(err(g.f.call(g.f.publish(id, "/news/today")).at(0)), "403:/news/today:Publish denied");

    // bob's roles have no Bayeux section: his session may do nothing
    auto const bob = g.handshake("Basic Ym9iOmJvYidzIHBhc3N3b3Jk").client_id.value(); // bob:bob's password
    EXPECT_EQ(err(g.f.call(g.f.subscribe(bob, R"("/news/today")")).at(0)), "403:/news/today:Subscription denied");

    guarded closed(false);
    EXPECT_EQ(err(closed.handshake("")), "403::handshake_denied") << "no anonymous role with Bayeux rights";
}

} // namespace
