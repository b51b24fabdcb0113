// Attacks on the server's sockets, against rtnotify-server run as a process.
// SPDX-License-Identifier: BSL-1.0
#include "hostile/bayeux_attacks.hpp"
#include "hostile/server_process.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace {

using namespace rtnotify_test;

/// A handshake POST that closes the connection after its response.
std::string handshake_request(std::string_view host)
{
    return "POST /bayeux HTTP/1.1\r\nHost: " + std::string(host) +
           "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(handshake_json.size()) +
           "\r\nConnection: close\r\n\r\n" + handshake_json;
}

// One address could open every socket the server allows (max_connections) and
// leave nothing for anyone else. Sockets are now counted per client address.
TEST(HostileConnections, OneAddressCannotTakeEverySocket)
{
    server_process srv("--max-connections-per-address 3 --listen [::1]:0", 2);
    ASSERT_TRUE(srv.started()) << "needs ::1 as well as 127.0.0.1";
    std::vector<std::unique_ptr<http_client>> held;
    for(int i = 0; i < 3; ++i) // three kept-alive connections, each answered
        EXPECT_EQ(held.emplace_back(std::make_unique<http_client>(srv.port()))
                      ->call(http_client::post_json("/bayeux", handshake_json))
                      .result_int(),
                  200u);
    auto const fourth = raw_exchange(srv.port(), handshake_request("127.0.0.1"));
    EXPECT_TRUE(fourth.starts_with("HTTP/1.1 503")) << fourth;
    auto const other = raw_exchange(srv.port(1), handshake_request("[::1]"), 5000ms, "::1");
    EXPECT_TRUE(other.starts_with("HTTP/1.1 200")) << "another address still gets in: " << other;
    held.pop_back(); // one closes: its place is free again
    bool admitted = false;
    for(int attempt = 0; attempt < 50 && !admitted; ++attempt) // the server sees the close soon, not at once
    {
        admitted = raw_exchange(srv.port(), handshake_request("127.0.0.1")).starts_with("HTTP/1.1 200");
        if(!admitted)
            std::this_thread::sleep_for(20ms);
    }
    EXPECT_TRUE(admitted);
    EXPECT_NE(srv.log().find("refused a connection from 127.0.0.1: 3 connections open from there"), std::string::npos)
        << srv.log();
}

} // namespace
