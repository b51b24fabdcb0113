// Tests of rtnotify/rooms/auth_controller.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/rooms/auth_controller.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace {

namespace rooms = rtnotify::rooms;
namespace auth = rtnotify::auth;
namespace json = boost::json;

/// alice (writer) and bob (reader), whose passwords are their names; anonymous may only subscribe.
std::shared_ptr<auth::security_config const> two_users()
{
    static auto const config = [] {
        auto c = auth::parse_security_config(
            R"({"tokens":{"secret":"0123456789abcdef0123456789abcdef","expires_in":"1h","max_ttl":"2h"},
                "users":{"alice":{"password":")" + *auth::hash_password("alice") + R"(","roles":["writer"]},
                         "bob":{"password":")" + *auth::hash_password("bob") + R"(","roles":["reader"]}},
                "roles":{"writer":{"kuzzle":{"controllers":{"*":{"actions":{"*":true}}}}},
                         "reader":{"kuzzle":{"controllers":{"document":{"actions":{"get":true}}}}},
                         "visitor":{"kuzzle":{"controllers":{"realtime":{"actions":{"subscribe":true}}}}}},
                "anonymous":{"roles":["visitor"]},
                "login":{"max_failures":3,"window":"1m"}})");
        EXPECT_TRUE(c) << c.error().to_string();
        return std::make_shared<auth::security_config const>(std::move(*c));
    }();
    return config;
}

constexpr std::int64_t t0 = 1700000000000;

json::object request(std::string const& text)
{
    return json::parse(text).as_object();
}

/// The result of `outcome`, which must be one.
json::object result(rooms::api_outcome const& outcome)
{
    if(auto const* f = std::get_if<rooms::api_failure>(&outcome))
    {
        ADD_FAILURE() << f->id << ": " << f->message;
        return {};
    }
    return std::get<json::value>(outcome).as_object();
}

/// The failure of `outcome`, which must be one.
rooms::api_failure failure(rooms::api_outcome const& outcome)
{
    if(auto const* f = std::get_if<rooms::api_failure>(&outcome))
        return *f;
    ADD_FAILURE() << "succeeded: " << json::serialize(std::get<json::value>(outcome));
    return {};
}

std::string login_request(std::string const& user, std::string const& password, std::string const& more = "")
{
    return R"({"controller":"auth","action":"login","strategy":"local","body":{"username":")" + user +
           R"(","password":")" + password + R"("})" + more + "}";
}

/// A token for `user` (whose password is its name), issued at `now`.
std::string token_of(rooms::auth_controller& a, std::string const& user, std::int64_t now, std::string const& more = "")
{
    auto const r = result(a.handle("login", request(login_request(user, user, more)), {}, "10.0.0.1", now));
    return std::string(r.at("jwt").as_string());
}

rooms::identity who(rooms::auth_controller const& a, std::string const& jwt, std::int64_t now)
{
    auto id = a.identify(request(R"({"jwt":")" + jwt + R"("})"), now);
    if(auto const* f = std::get_if<rooms::api_failure>(&id))
    {
        ADD_FAILURE() << f->id << ": " << f->message;
        return {};
    }
    return std::get<rooms::identity>(id);
}

TEST(AuthController, ALoginsTokenIdentifiesItsUserUntilItExpires)
{
    rooms::auth_controller a(two_users());
    auto const r = result(a.handle("login", request(login_request("alice", "alice", R"(,"expiresIn":"30s")")), {}, "10.0.0.1", t0));
    EXPECT_EQ(r.at("_id"), "alice");
    EXPECT_EQ(r.at("ttl"), 30000);
    EXPECT_EQ(r.at("expiresAt"), t0 + 30000);
    auto const jwt = std::string(r.at("jwt").as_string());
    auto const alice = who(a, jwt, t0 + 29999);
    EXPECT_EQ(alice.kuid, "alice");
    EXPECT_EQ(alice.roles, std::vector<std::string>{"writer"});
    EXPECT_EQ(alice.expires_ms, t0 + 30000);
    auto const late = a.identify(request(R"({"jwt":")" + jwt + R"("})"), t0 + 30000);
    EXPECT_EQ(std::get<rooms::api_failure>(late).id, "security.token.expired");
    auto forged = jwt;
    forged[forged.size() / 2] ^= 1;
    EXPECT_EQ(std::get<rooms::api_failure>(a.identify(request(R"({"jwt":")" + forged + R"("})"), t0)).id,
              "security.token.invalid");
    EXPECT_EQ(std::get<rooms::api_failure>(a.identify(request(R"({"jwt":42})"), t0)).status, 401);
    auto const anonymous = std::get<rooms::identity>(a.identify(request("{}"), t0));
    EXPECT_EQ(anonymous.kuid, "-1");
    EXPECT_EQ(anonymous.roles, std::vector<std::string>{"visitor"});
}

TEST(AuthController, LoginsAreRefusedPreciselyAndFailuresLimitedPerAddress)
{
    rooms::auth_controller a(two_users());
    EXPECT_EQ(failure(a.handle("login", request(login_request("alice", "wrong")), {}, "10.0.0.1", t0)).id,
              "security.credentials.invalid");
    EXPECT_EQ(failure(a.handle("login", request(login_request("nobody", "x")), {}, "10.0.0.1", t0)).id,
              "security.credentials.invalid")
        << "an unknown user is refused the same way";
    EXPECT_EQ(failure(a.handle("login", request(login_request("bob", "wrong")), {}, "10.0.0.1", t0)).status, 401);
    auto const limited = failure(a.handle("login", request(login_request("alice", "alice")), {}, "10.0.0.1", t0 + 1));
    EXPECT_EQ(limited.status, 429) << "three failures: even the right password waits";
    EXPECT_EQ(limited.id, "security.credentials.too_many_failures");
    result(a.handle("login", request(login_request("alice", "alice")), {}, "10.0.0.2", t0 + 1));
    result(a.handle("login", request(login_request("alice", "alice")), {}, "10.0.0.1", t0 + 60000));
    EXPECT_EQ(failure(a.handle("login", request(R"({"strategy":"ldap","body":{}})"), {}, "10.0.0.3", t0)).id,
              "security.credentials.unknown_strategy");
    EXPECT_EQ(failure(a.handle("login", request(login_request("alice", "alice", R"(,"expiresIn":"3h")")), {}, "10.0.0.3", t0)).id,
              "security.token.ttl_exceeded");
    EXPECT_EQ(failure(a.handle("login", request(R"({"strategy":"local","body":{"username":"alice"}})"), {}, "10.0.0.3", t0)).id,
              "api.assert.missing_argument");
}

TEST(AuthController, LogoutRevokesTheTokenUntilItWouldHaveExpired)
{
    rooms::auth_controller a(two_users());
    auto const jwt = token_of(a, "alice", t0, R"(,"expiresIn":1000)");
    auto const alice = who(a, jwt, t0);
    result(a.handle("logout", {}, alice, "10.0.0.1", t0 + 1));
    auto const after = a.identify(request(R"({"jwt":")" + jwt + R"("})"), t0 + 2);
    EXPECT_EQ(std::get<rooms::api_failure>(after).id, "security.token.invalid");
    EXPECT_NE(std::get<rooms::api_failure>(after).message.find("logged out"), std::string::npos);
    EXPECT_EQ(a.revoked_count(), 1u);
    a.purge(t0 + 1000);
    EXPECT_EQ(a.revoked_count(), 0u) << "an expired token needs no remembering";
    EXPECT_EQ(failure(a.handle("logout", {}, rooms::identity{}, "10.0.0.1", t0)).id, "security.rights.unauthorized");
}

TEST(AuthController, PurgeForgetsTheLoggedOutTokensThatExpiredAndOnlyThose)
{
    rooms::auth_controller a(two_users());
    auto const late = token_of(a, "bob", t0, R"(,"expiresIn":5000)");
    auto const early = token_of(a, "alice", t0, R"(,"expiresIn":1000)");
    auto const middle = token_of(a, "alice", t0, R"(,"expiresIn":3000)");
    for(auto const* jwt : {&late, &early, &middle})
        result(a.handle("logout", {}, who(a, *jwt, t0), "10.0.0.1", t0 + 1));
    EXPECT_EQ(a.revoked_count(), 3u);
    a.purge(t0 + 3000);
    EXPECT_EQ(a.revoked_count(), 1u) << "the tokens that expired at +1 s and +3 s are forgotten, in whatever order they were logged out";
    auto const logged_out = a.identify(request(R"({"jwt":")" + late + R"("})"), t0 + 3001);
    EXPECT_NE(std::get<rooms::api_failure>(logged_out).message.find("logged out"), std::string::npos);
    auto const forgotten = a.identify(request(R"({"jwt":")" + early + R"("})"), t0 + 3001);
    EXPECT_EQ(std::get<rooms::api_failure>(forgotten).id, "security.token.expired") << "forgotten, it is still refused";
}

TEST(AuthController, LoggedOutTokensAreBoundedAndALogoutPastTheBoundIsRefused)
{
    auto c = *two_users();
    c.login.max_revoked = 1;
    rooms::auth_controller a(std::make_shared<auth::security_config const>(c));
    auto const first = who(a, token_of(a, "alice", t0), t0);
    auto const bob_jwt = token_of(a, "bob", t0);
    auto const second = who(a, bob_jwt, t0);
    result(a.handle("logout", {}, first, "10.0.0.1", t0 + 1));
    auto const refused = failure(a.handle("logout", {}, second, "10.0.0.1", t0 + 1));
    EXPECT_EQ(refused.status, 503);
    EXPECT_EQ(refused.id, "security.token.too_many_revoked");
    EXPECT_EQ(a.revoked_count(), 1u);
    EXPECT_EQ(who(a, bob_jwt, t0 + 2).kuid, "bob") << "the refused logout revoked nothing";
}

TEST(AuthController, RefreshCheckAndCurrentUser)
{
    rooms::auth_controller a(two_users());
    auto const jwt = token_of(a, "bob", t0);
    auto const bob = who(a, jwt, t0);
    auto const fresh = result(a.handle("refreshToken", request(R"({"expiresIn":"2h"})"), bob, "10.0.0.1", t0 + 1000));
    EXPECT_EQ(fresh.at("expiresAt"), t0 + 1000 + 7200000);
    EXPECT_EQ(who(a, std::string(fresh.at("jwt").as_string()), t0 + 2000).kuid, "bob");
    EXPECT_TRUE(std::holds_alternative<rooms::api_failure>(a.identify(request(R"({"jwt":")" + jwt + R"("})"), t0 + 2000)))
        << "the old token is revoked";

    auto const valid = result(a.handle("checkToken", request(R"({"body":{"token":")" +
                                                             std::string(fresh.at("jwt").as_string()) + R"("}})"),
                                       {}, "10.0.0.1", t0 + 2000));
    EXPECT_EQ(valid.at("valid"), true);
    EXPECT_EQ(valid.at("kuid"), "bob");
    auto const invalid = result(a.handle("checkToken", request(R"({"body":{"token":"x.y.z"}})"), {}, "10.0.0.1", t0));
    EXPECT_EQ(invalid.at("valid"), false);
    EXPECT_FALSE(invalid.at("state").as_string().empty());

    auto const me = result(a.handle("getCurrentUser", {}, bob, "10.0.0.1", t0));
    EXPECT_EQ(me.at("_id"), "bob");
    EXPECT_EQ(me.at("_source").at("profileIds"), json::parse(R"(["reader"])"));
}

TEST(AuthController, RightsRefuseAnonymousWith401AndUsersWith403)
{
    rooms::auth_controller a(two_users());
    auto const anonymous = std::get<rooms::identity>(a.identify(request("{}"), t0));
    auto const bob = who(a, token_of(a, "bob", t0), t0);
    EXPECT_FALSE(a.authorize(anonymous, "realtime", "subscribe", "shop", "items"));
    auto const a401 = a.authorize(anonymous, "document", "create", "shop", "items");
    ASSERT_TRUE(a401);
    EXPECT_EQ(a401->status, 401);
    EXPECT_EQ(a401->id, "security.rights.unauthorized");
    EXPECT_FALSE(a.authorize(bob, "document", "get", "shop", "items"));
    auto const b403 = a.authorize(bob, "document", "create", "shop", "items");
    ASSERT_TRUE(b403);
    EXPECT_EQ(b403->status, 403);
    EXPECT_EQ(b403->id, "security.rights.forbidden");
    EXPECT_FALSE(a.authorize(anonymous, "auth", "login", "", "")) << "everyone may log in";
}

} // namespace
