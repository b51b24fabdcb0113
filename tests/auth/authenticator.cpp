// Tests of rtnotify/auth/authenticator.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/auth/authenticator.hpp>

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace {

namespace auth = rtnotify::auth;

std::shared_ptr<auth::security_config const> config_with_alice()
{
    auto c = std::make_shared<auth::security_config>();
    c->users["alice"] = auth::user{auth::hash_password("alice's password").value(), {}};
    c->login.max_failures = 2;
    c->login.window_ms = 1000;
    return c;
}

TEST(Authenticator, AcceptsTheRightPasswordOnly)
{
    auth::authenticator a(config_with_alice());
    EXPECT_EQ(a.check("alice", "alice's password", "10.0.0.1", 0), auth::password_verdict::accepted);
    EXPECT_EQ(a.check("alice", "alice's passwore", "10.0.0.1", 0), auth::password_verdict::wrong);
    EXPECT_EQ(a.check("mallory", "alice's password", "10.0.0.1", 0), auth::password_verdict::wrong)
        << "an unknown user, even with a password some user has";
    EXPECT_EQ(a.check("", "", "10.0.0.1", 0), auth::password_verdict::too_many_failures)
        << "the unknown user counted as a failure too: two from this address";
}

TEST(Authenticator, FailuresAreLimitedPerAddressAndASuccessForgetsThem)
{
    auth::authenticator a(config_with_alice());
    EXPECT_EQ(a.check("alice", "x", "10.0.0.1", 0), auth::password_verdict::wrong);
    EXPECT_EQ(a.check("alice", "alice's password", "10.0.0.1", 1), auth::password_verdict::accepted);
    EXPECT_EQ(a.remembered_addresses(), 0u);
    EXPECT_EQ(a.check("alice", "x", "10.0.0.1", 2), auth::password_verdict::wrong);
    EXPECT_EQ(a.check("alice", "y", "10.0.0.1", 3), auth::password_verdict::wrong);
    EXPECT_EQ(a.check("alice", "alice's password", "10.0.0.1", 4), auth::password_verdict::too_many_failures)
        << "not even the right password, until the window ends";
    EXPECT_EQ(a.check("alice", "alice's password", "10.0.0.2", 4), auth::password_verdict::accepted);
    EXPECT_EQ(a.check("alice", "alice's password", "10.0.0.1", 1002), auth::password_verdict::accepted);
}

TEST(Authenticator, BasicHeadersAreCheckedThenRememberedForAWhile)
{
    auto c = std::make_shared<auth::security_config>(*config_with_alice());
    auth::authenticator a(c, 1000, 2);
    auto const right = "Basic YWxpY2U6YWxpY2UncyBwYXNzd29yZA=="; // alice:alice's password
    auto const v = a.check_basic(right, "10.0.0.1", 0);
    EXPECT_EQ(v.verdict, auth::password_verdict::accepted);
    EXPECT_EQ(v.user, "alice");
    EXPECT_EQ(a.remembered_headers(), 1u);
    EXPECT_EQ(a.check_basic(right, "10.0.0.1", 999).user, "alice");
    EXPECT_EQ(a.check_basic("Basic YWxpY2U6YWxpY2UncyBwYXNzd29yZQ==", "10.0.0.1", 10).verdict,
              auth::password_verdict::wrong)
        << "another header is checked, not taken for the remembered one";
    EXPECT_EQ(a.check_basic("Basic !!", "10.0.0.1", 10).verdict, auth::password_verdict::wrong);
    EXPECT_EQ(a.check_basic("Basic Ym9iOmI=", "10.0.0.1", 10).verdict, auth::password_verdict::too_many_failures)
        << "the malformed header counted as a failure: two from this address";
    EXPECT_EQ(a.check_basic(right, "10.0.0.1", 20).verdict, auth::password_verdict::accepted)
        << "remembered: the limit applies to checks, not to a header accepted before";
    EXPECT_EQ(a.check_basic(right, "10.0.0.1", 1000).verdict, auth::password_verdict::too_many_failures)
        << "forgotten after remember_ms: checked again, and the address is still refused";
    EXPECT_EQ(a.remembered_headers(), 0u);
}

TEST(Authenticator, RememberedHeadersAreBounded)
{
    auth::authenticator a(config_with_alice(), 1000, 1);
    auto const right = "Basic YWxpY2U6YWxpY2UncyBwYXNzd29yZA==";
    auto const same_user = "basic YWxpY2U6YWxpY2UncyBwYXNzd29yZA=="; // another spelling of the scheme
    EXPECT_EQ(a.check_basic(right, "10.0.0.1", 0).verdict, auth::password_verdict::accepted);
    EXPECT_EQ(a.check_basic(same_user, "10.0.0.1", 0).verdict, auth::password_verdict::accepted);
    EXPECT_EQ(a.remembered_headers(), 1u) << "full: the second is checked but not remembered";
    EXPECT_EQ(a.check_basic(same_user, "10.0.0.1", 1000).verdict, auth::password_verdict::accepted);
    EXPECT_EQ(a.remembered_headers(), 1u) << "the expired one made room";
}

} // namespace
