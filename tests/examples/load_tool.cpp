// rtnotify-load, run as a program against a server in this process: every delivery is accounted for, a server that drops is caught.
// SPDX-License-Identifier: BSL-1.0
#include "beast/loopback.hpp"
#include "program.hpp"

#include <boost/json/parse.hpp>

#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

namespace {

/// Runs rtnotify-load with `args` (for at most 60 s); its exit status and standard output (stderr too with `with_errors`).
rtnotify_test::program_result run(std::string const& args, bool with_errors = false)
{
    return rtnotify_test::run_program("timeout 60 " + std::string(RTNOTIFY_LOAD_TOOL) + " " + args +
                                      (with_errors ? " 2>&1" : " 2>/dev/null"));
}

/// The JSON report of a run that should have measured.
boost::json::object report_of(rtnotify_test::program_result const& r)
{
    EXPECT_EQ(r.status, 0) << r.out;
    boost::system::error_code ec;
    auto v = boost::json::parse(r.out, ec);
    EXPECT_FALSE(ec) << r.out;
    return ec || !v.is_object() ? boost::json::object() : v.as_object();
}

std::string url_of(rtnotify_test::running_server const& s)
{
    return "http://127.0.0.1:" + std::to_string(s.port) + "/bayeux";
}

TEST(LoadTool, EveryDeliveryOfALosslessServerIsAccountedFor)
{
    for(char const* transport : {"", " --websocket"})
    {
        rtnotify_test::running_server s;
        auto r = report_of(run(url_of(s) + transport + " --subscribers 20 --in-flight 4 --warmup 0.2 --duration 1 "
                                                         "--json --quiet --server-pid " +
                               std::to_string(::getpid())));
        ASSERT_TRUE(r.contains("published")) << transport;
        auto const published = r.at("published").as_int64();
        EXPECT_GT(published, 4) << transport;
        EXPECT_EQ(r.at("acknowledged").as_int64(), published);
        EXPECT_EQ(r.at("expected").as_int64(), published * 20);
        EXPECT_EQ(r.at("delivered").as_int64(), published * 20);
        EXPECT_EQ(r.at("lost").as_int64(), 0);
        EXPECT_EQ(r.at("duplicated").as_int64(), 0);
        EXPECT_EQ(r.at("unknown").as_int64(), 0);
        EXPECT_EQ(r.at("server_dropped").as_int64(), 0);
        EXPECT_EQ(r.at("transport").as_string(), *transport ? "websocket" : "long-polling");
        auto const& lat = r.at("latency_us").as_object();
        // measured: what was published after the warm-up, to every subscriber
        EXPECT_GT(lat.at("count").as_int64(), 0);
        EXPECT_LE(lat.at("count").as_int64(), published * 20);
        EXPECT_LE(lat.at("p50").as_int64(), lat.at("p99").as_int64());
        EXPECT_LE(lat.at("p99").as_int64(), lat.at("max").as_int64());
        EXPECT_GT(r.at("window_deliveries").as_int64(), 0);
        ASSERT_TRUE(r.contains("server_cpu_us_per_delivery")) << transport;
        ASSERT_TRUE(r.contains("server_system_cpu_us_per_delivery")) << transport;
        // the kernel's share is part of the whole (both in clock ticks, read at the same instants)
        EXPECT_GE(r.at("server_system_cpu_us_per_delivery").as_double(), 0.0) << transport;
        EXPECT_LE(r.at("server_system_cpu_us_per_delivery").as_double(),
                  r.at("server_cpu_us_per_delivery").as_double()) << transport;
        EXPECT_TRUE(r.contains("server_kib_per_session")) << transport;
    }
}

TEST(LoadTool, NoAckSubscribersAreNotGrantedTheAcknowledgementExtensionAndLoseNothing)
{
    for(char const* ack : {"", " --no-ack"})
    {
        rtnotify_test::running_server s; // grants the extension to whoever asks
        auto r = report_of(run(url_of(s) + " --websocket" + ack +
                               " --subscribers 10 --in-flight 4 --warmup 0.2 --duration 1 --json --quiet"));
        ASSERT_TRUE(r.contains("acknowledging")) << ack;
        EXPECT_EQ(r.at("acknowledging").as_int64(), *ack ? 0 : 10);
        EXPECT_GT(r.at("published").as_int64(), 4) << ack;
        EXPECT_EQ(r.at("delivered").as_int64(), r.at("expected").as_int64()) << ack;
        EXPECT_EQ(r.at("lost").as_int64(), 0) << ack;
        EXPECT_EQ(r.at("duplicated").as_int64(), 0) << ack;
    }
}

TEST(LoadTool, AtAFixedRateThePublishesFollowTheSchedule)
{
    rtnotify_test::running_server s;
    auto r = report_of(run(url_of(s) + " --subscribers 5 --rate 50 --warmup 0 --duration 1 --json --quiet"));
    ASSERT_TRUE(r.contains("published"));
    // 50/s for one second, one at the start: never more, and a loaded machine loses little of the schedule
    EXPECT_LE(r.at("published").as_int64(), 52);
    EXPECT_GE(r.at("published").as_int64(), 25);
    EXPECT_EQ(r.at("lost").as_int64(), 0);
    EXPECT_EQ(r.at("rate").as_double(), 50.0);
}

TEST(LoadTool, SubscribersGoToEachUrlInTurnAndThePublisherToItsOwn)
{
    // two servers that are not joined: only the subscribers on the publisher's get its messages
    rtnotify_test::running_server one, other;
    auto r = report_of(run(url_of(other) + " " + url_of(one) + " --publish-to " + url_of(one) +
                           " --subscribers 5 --rate 20 --warmup 0 --duration 1 --drain 1 --json --quiet"));
    ASSERT_TRUE(r.contains("published"));
    auto const published = r.at("published").as_int64();
    EXPECT_GT(published, 0);
    EXPECT_EQ(r.at("expected").as_int64(), published * 5);
    EXPECT_EQ(r.at("delivered").as_int64(), published * 2); // subscribers 1 and 3 of 0..4
    EXPECT_EQ(r.at("lost").as_int64(), published * 3);
    EXPECT_EQ(r.at("publish_url").as_string(), url_of(one));
    EXPECT_EQ(r.at("urls").as_array().size(), 2u);
}

TEST(LoadTool, WhatAServerDropsIsCountedLostAndMatchesWhatItReported)
{
    rtnotify::beast::server_options o;
    o.session.max_queue = 2; // a subscriber's queue overflows while its connect is on its way
    rtnotify_test::running_server s(o);
    auto r = report_of(run(url_of(s) + " --subscribers 5 --in-flight 50 --warmup 0 --duration 1 --drain 1 --json "
                                       "--quiet"));
    ASSERT_TRUE(r.contains("lost"));
    EXPECT_GT(r.at("lost").as_int64(), 0);
    EXPECT_EQ(r.at("lost").as_int64(), r.at("expected").as_int64() - r.at("delivered").as_int64());
    EXPECT_EQ(r.at("server_dropped").as_int64(), r.at("lost").as_int64());
}

TEST(LoadTool, AServerRestartedUnderLoadShowsInFailuresByReasonAndInResubscriptions)
{
    auto server = std::make_unique<rtnotify_test::running_server>();
    auto const port = server->port;
    rtnotify_test::program_result result;
    std::thread load([&, url = url_of(*server)] {
        result = run(url + " --subscribers 10 --rate 10 --warmup 0.2 --duration 3 --drain 1 --json --quiet");
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(1200)); // subscribed, publishing, measuring
    server.reset(); // every connection closed, every session forgotten
    std::this_thread::sleep_for(std::chrono::milliseconds(200)); // refused meanwhile
    server = std::make_unique<rtnotify_test::running_server>(rtnotify::beast::server_options{}, port);
    load.join();
    auto r = report_of(result);
    ASSERT_TRUE(r.contains("transport_failures")) << result.out;
    auto const failures = r.at("transport_failures").as_int64();
    EXPECT_GT(failures, 0);
    std::int64_t by_reason = 0;
    for(auto const& [why, count] : r.at("transport_failures_by_reason").as_object())
        by_reason += count.as_int64();
    EXPECT_EQ(by_reason, failures) << result.out;
    // each subscriber handshook again with the new server and subscribed again, counted apart from the first time
    EXPECT_EQ(r.at("resubscribed").as_int64(), 10) << result.out;
    EXPECT_GT(r.at("delivered").as_int64(), 0);
    EXPECT_EQ(r.at("duplicated").as_int64(), 0);
}

TEST(LoadTool, SubscribersThatCannotSubscribeEndTheRunWithTheReason)
{
    unsigned short port = 0;
    {
        // a port nothing listens on: bound, then released
        boost::asio::io_context ioc;
        boost::asio::ip::tcp::acceptor a(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
        port = a.local_endpoint().port();
    }
    auto const r = run("http://127.0.0.1:" + std::to_string(port) + "/bayeux --subscribers 3 --connect-timeout 1 --quiet",
                       true);
    EXPECT_EQ(r.status, 1) << r.out;
    EXPECT_NE(r.out.find("0 of 3 subscribers subscribed in 1 s; first failure: connect to 127.0.0.1:" +
                         std::to_string(port) + ": Connection refused"),
              std::string::npos)
        << r.out;
}

TEST(LoadTool, UsageErrorsSayWhatIsWrong)
{
    struct refused
    {
        std::string args;
        std::string said;
    };
    refused const cases[] = {
        {"http://127.0.0.1:1/bayeux --subscribers 0", "--subscribers takes a number from 1 to 1000000, not '0'"},
        {"http://127.0.0.1:1/bayeux --rate fast", "--rate takes a positive number, not 'fast'"},
        {"http://127.0.0.1:1/bayeux --server-pid 999999999", "cannot read /proc/999999999/stat"},
        {"ftp://127.0.0.1:1/bayeux", "the scheme must be"},
        {"http://127.0.0.1:1/bayeux --frobnicate", "unknown option --frobnicate"},
    };
    for(auto const& c : cases)
    {
        auto const r = run(c.args, true);
        EXPECT_EQ(r.status, 2) << c.args;
        EXPECT_NE(r.out.find(c.said), std::string::npos) << r.out;
    }
}

} // namespace
