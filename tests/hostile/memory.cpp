// Attacks on the server's memory, run against rtnotify-server as a process: its peak RSS must stay bounded.
// SPDX-License-Identifier: BSL-1.0
#include "hostile/bayeux_attacks.hpp"
#include "hostile/server_process.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace {

using namespace rtnotify_test;
constexpr long mib = 1024; // in KiB, as /proc counts

// Each WebSocket push used to copy the message and encode it again: 200
// subscribers that never read and twelve 1 MB publishes took the server to
// 1.7 GB. Encoded once and shared, a publish costs its own size whatever the
// number of sockets; each socket's backlog still closes it at 8 MiB (1008).
TEST(HostileMemory, AFanOutToSocketsThatNeverReadIsHeldOnce)
{
    server_process srv("");
    ASSERT_TRUE(srv.started());
    std::vector<std::unique_ptr<ws_client>> subscribers; // never read again
    for(int i = 0; i < 200; ++i)
        push_session(*subscribers.emplace_back(std::make_unique<ws_client>(srv.port(), "/bayeux")), "/wide");
    auto const before = srv.rss_kb();
    http_client publisher(srv.port());
    RecordProperty("slowest_publish_ms", std::to_string(publish_big(publisher, "/wide", 12, 1000 * 1000)));
    expect_peak_growth_below(srv, before, 128 * mib, "twelve 1 MB publishes to 200 sockets");
}

// With the acknowledgement extension the server keeps a batch until it is
// acknowledged, and sends it again to every connect that does not: ten
// connects on connections that never read used to hold ten copies of 50 MB.
// The queue is bounded in bytes, and every response shares the texts.
TEST(HostileMemory, ReplayedBatchesAreShared)
{
    server_process srv("");
    ASSERT_TRUE(srv.started());
    http_client victim(srv.port());
    auto const id = client_id_of(
        victim.call(http_client::post_json("/bayeux", R"([{"channel":"/meta/handshake","version":"1.0",
            "supportedConnectionTypes":["long-polling"],"ext":{"ack":true}}])"))
            .body());
    victim.call(http_client::post_json("/bayeux", meta("/meta/subscribe", id, R"("subscription":"/acked")")));
    http_client publisher(srv.port());
    publish_big(publisher, "/acked", 50, 1000 * 1000);
    auto const before = srv.rss_kb();
    std::vector<std::unique_ptr<http_client>> replays; // each sends a connect, never reads the reply
    for(int i = 0; i < 10; ++i)
        replays.emplace_back(std::make_unique<http_client>(srv.port()))
            ->start(http_client::post_json(
                "/bayeux", meta("/meta/connect", id, R"("connectionType":"long-polling","ext":{"ack":0})")));
    http_client probe(srv.port()); // answered after the ten: they have all been processed
    probe.call(http_client::post_json("/bayeux", handshake_json));
    expect_peak_growth_below(srv, before, 64 * mib, "ten replays of the unacknowledged batch");
}

} // namespace
