// Tests of discover.hpp: the probe finds what a target offers, and stops on one that refuses a handshake.
// SPDX-License-Identifier: BSL-1.0
#include "discover.hpp"

#include "beast/loopback.hpp"

#include <algorithm>

#include <gtest/gtest.h>

#include <string>

namespace {

namespace rc = rtnotify_conformance;
using namespace std::chrono_literals;

rc::target probe_target(unsigned short port, std::string const& path)
{
    return std::get<rc::target>(rtnotify::beast::parse_endpoint("http://127.0.0.1:" + std::to_string(port) + path));
}

TEST(ConformanceDiscover, TheReferenceServerOffersEverythingAndItsHold)
{
    rtnotify_test::running_server server{[] {
        rtnotify::beast::server_options o;
        o.session.timeout = 1234ms;
        return o;
    }()};
    auto got = rc::discover(probe_target(server.port, "/bayeux"), {}, 5s);
    ASSERT_TRUE(std::holds_alternative<rc::discovery>(got)) << std::get<std::string>(got);
    auto const& d = std::get<rc::discovery>(got);
    for(auto const* f : {"ack", "bayeux", "form", "jsonp", "smartrest", "templates", "websocket"})
        EXPECT_TRUE(d.offers(f)) << f;
    ASSERT_TRUE(d.advised_timeout);
    EXPECT_EQ(*d.advised_timeout, 1234ms);
    EXPECT_EQ(d.version, "1.0");
    EXPECT_EQ(d.findings.size(), 7u);
}

TEST(ConformanceDiscover, SmartRestSettingsMoveTheProbeAndCanForbidRegistering)
{
    rtnotify_test::running_server server;
    rc::smartrest_settings sr;
    sr.xid = "tenant-collection";
    sr.register_templates = false;
    auto got = rc::discover(probe_target(server.port, "/bayeux"), sr, 5s);
    ASSERT_TRUE(std::holds_alternative<rc::discovery>(got)) << std::get<std::string>(got);
    auto const& d = std::get<rc::discovery>(got);
    EXPECT_TRUE(d.offers("smartrest"));
    EXPECT_FALSE(d.offers("templates"));
    auto const said = [&](std::string const& text) {
        return std::any_of(d.findings.begin(), d.findings.end(),
                           [&](std::string const& f) { return f.find(text) != std::string::npos; });
    };
    EXPECT_TRUE(said("X-Id tenant-collection succeeded"));
    EXPECT_TRUE(said("templates: not offered (--xid tenant-collection"));

    sr = {};
    sr.realtime = "/elsewhere/realtime"; // nothing is served there
    got = rc::discover(probe_target(server.port, "/bayeux"), sr, 5s);
    ASSERT_TRUE(std::holds_alternative<rc::discovery>(got)) << std::get<std::string>(got);
    EXPECT_FALSE(std::get<rc::discovery>(got).offers("smartrest"));
    EXPECT_FALSE(std::get<rc::discovery>(got).offers("templates"));
}

TEST(ConformanceDiscover, ARefusedHandshakeStopsWithItsStatus)
{
    rtnotify_test::endless_server server("HTTP/1.1 401 Unauthorized\r\nContent-Length: 12\r\n\r\nwho are you?", "", 0);
    auto got = rc::discover(probe_target(server.port(), "/bayeux"), {}, 5s);
    ASSERT_TRUE(std::holds_alternative<std::string>(got));
    auto const& why = std::get<std::string>(got);
    EXPECT_NE(why.find("did not accept a Bayeux handshake"), std::string::npos) << why;
    EXPECT_NE(why.find("status 401"), std::string::npos) << why;
    EXPECT_NE(why.find("who are you?"), std::string::npos) << why;
}

TEST(ConformanceDiscover, AnotherPathIsNotBayeux)
{
    rtnotify_test::running_server server;
    auto got = rc::discover(probe_target(server.port, "/not-bayeux"), {}, 5s);
    ASSERT_TRUE(std::holds_alternative<std::string>(got));
    EXPECT_NE(std::get<std::string>(got).find("status 404"), std::string::npos) << std::get<std::string>(got);
}

} // namespace
