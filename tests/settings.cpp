// Tests for rtnotify/settings.hpp and the check_settings of the session engine, the template registry and the Beast server.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/settings.hpp>

#include <rtnotify/beast/server_options.hpp>
#include <rtnotify/session/server.hpp>

#include <gtest/gtest.h>

#include <stdexcept>

namespace {

using namespace std::chrono_literals;

TEST(Settings, RangesAndNames)
{
    EXPECT_FALSE(rtnotify::detail::at_least_one("n", 1));
    EXPECT_EQ(rtnotify::detail::at_least_one("n", 0)->to_string(), "n must be at least 1");
    EXPECT_FALSE(rtnotify::detail::duration_within("d", 0ms, 0ms));
    EXPECT_FALSE(rtnotify::detail::duration_within("d", rtnotify::max_setting_duration, 1ms));
    EXPECT_TRUE(rtnotify::detail::duration_within("d", 0ms, 1ms));
    EXPECT_EQ(rtnotify::detail::duration_within("d", rtnotify::max_setting_duration + 1ms, 0ms)->to_string(),
              "d must be from 0 to 86400000 ms");
    EXPECT_EQ(rtnotify::prefixed("session.", rtnotify::invalid_setting{"max_queue", "must be at least 1"})->name,
              "session.max_queue");
    EXPECT_THROW(rtnotify::throw_if_invalid(rtnotify::invalid_setting{"x", "must be set"}), std::invalid_argument);
    EXPECT_NO_THROW(rtnotify::throw_if_invalid(std::nullopt));
}

TEST(Settings, SessionServerRefusesWhatWouldBreakIt)
{
    EXPECT_FALSE(rtnotify::session::check_settings({}));
    rtnotify::session::server_options o;
    o.max_queue = 0; // popped from an empty queue before
    EXPECT_EQ(rtnotify::session::check_settings(o)->name, "max_queue");
    EXPECT_THROW(rtnotify::session::server{o}, std::invalid_argument);
    o = {};
    o.max_interval = std::chrono::milliseconds::max(); // deadlines overflowed before
    EXPECT_EQ(rtnotify::session::check_settings(o)->name, "max_interval");
    o = {};
    o.make_client_id = nullptr;
    EXPECT_EQ(rtnotify::session::check_settings(o)->name, "make_client_id");
}

TEST(Settings, BeastServerNamesTheEngineSettings)
{
    EXPECT_FALSE(rtnotify::beast::check_settings(rtnotify::beast::server_options{}));
    rtnotify::beast::server_options o;
    o.session.max_batch = 0;
    EXPECT_EQ(rtnotify::beast::check_settings(o)->to_string(), "session.max_batch must be at least 1");
    o = {};
    o.idle_timeout = -1ms; // what a wrapped 2^64-1 became
    EXPECT_EQ(rtnotify::beast::check_settings(o)->name, "idle_timeout");
    o = {};
    o.max_header_bytes = 100;
    EXPECT_EQ(rtnotify::beast::check_settings(o)->to_string(), "max_header_bytes must be at least 512");
    o = {};
    o.http.limits.max_messages = 0;
    EXPECT_EQ(rtnotify::beast::check_settings(o)->name, "http.limits.max_messages");
    o = {};
    o.templates.max_collections_per_owner = 0; // the template registry's settings are named templates.…
    EXPECT_EQ(rtnotify::beast::check_settings(o)->to_string(), "templates.max_collections_per_owner must be at least 1");
    o = {};
    o.templates.max_total_bytes = 0;
    EXPECT_EQ(rtnotify::beast::check_settings(o)->name, "templates.max_total_bytes");
}

} // namespace
