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

} // namespace
