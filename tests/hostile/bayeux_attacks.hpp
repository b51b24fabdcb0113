// Test helpers for the hostile suite: Bayeux messages as JSON text, and the moves its attacks share.
// SPDX-License-Identifier: BSL-1.0
//
#ifndef RTNOTIFY_TESTS_HOSTILE_BAYEUX_ATTACKS_HPP
#define RTNOTIFY_TESTS_HOSTILE_BAYEUX_ATTACKS_HPP

#include "beast/loopback.hpp"

#include <boost/json.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <string_view>

namespace rtnotify_test {

/// A handshake offering long-polling and WebSocket (one message, not a batch).
inline std::string const handshake_json =
    R"({"channel":"/meta/handshake","version":"1.0","supportedConnectionTypes":["long-polling","websocket"]})";

/// A batch of one message to `channel` from session `id`, with the members `more` (JSON, may be empty).
inline std::string meta(std::string_view channel, std::string const& id, std::string_view more)
{
    return R"([{"channel":")" + std::string(channel) + R"(","clientId":")" + id + "\"" +
           (more.empty() ? "" : "," + std::string(more)) + "}]";
}

/// The first message of a reply.
inline boost::json::object first_message(std::string const& reply)
{
    return boost::json::parse(reply).at(0).as_object();
}

/// The client id of a handshake reply.
inline std::string client_id_of(std::string const& reply)
{
    return std::string(first_message(reply).at("clientId").as_string());
}

/// `n` bytes of JSON strings as a data array (each string under the 256 KiB string limit).
inline std::string big_data(std::size_t n)
{
    constexpr std::size_t piece = 200 * 1000;
    std::string data = "[";
    for(std::size_t done = 0; done < n; done += piece)
        data += (done ? ",\"" : "\"") + std::string(std::min(piece, n - done), 'x') + "\"";
    return data + "]";
}

/** Publishes `count` messages of `n` bytes to `channel` from a new long-polling session on `c`.
    @return the longest a publish waited for its reply, in ms (the server answers once it has fanned
    the message out: how long it held its strand); for the record, never asserted.
*/
inline long publish_big(http_client& c, std::string_view channel, int count, std::size_t n)
{
    auto const id = client_id_of(c.call(http_client::post_json("/bayeux", handshake_json)).body());
    long slowest = 0;
    for(int i = 0; i < count; ++i)
    {
        auto req = http_client::post_json("/bayeux", R"({"channel":")" + std::string(channel) + R"(","clientId":")" +
                                                         id + R"(","data":)" + big_data(n) + "}");
        auto const start = std::chrono::steady_clock::now();
        // the reply comes once the message is handed to every subscriber: ~9 s for 1 MB to 200 WebSockets
        // under ASan alone, more beside other tests; what is checked is memory, so the wait is long
        c.start(std::move(req));
        auto const reply = c.wait(std::chrono::seconds(90));
        if(!reply)
        {
            ADD_FAILURE() << "no reply to publish " << i << " of " << n << " bytes within 90 s";
            break; // the client still waits for it: it cannot send another
        }
        EXPECT_EQ(reply->result_int(), 200u);
        auto const took = std::chrono::steady_clock::now() - start;
        slowest = std::max<long>(slowest, std::chrono::duration_cast<std::chrono::milliseconds>(took).count());
    }
    return slowest;
}

/// A session on `w` subscribed to `channel`, whose connect is then held: deliveries are pushed to it from now on.
inline std::string push_session(ws_client& w, std::string_view channel)
{
    w.send("[" + handshake_json + "]");
    auto const id = client_id_of(w.receive().value());
    w.send(meta("/meta/subscribe", id, R"("subscription":")" + std::string(channel) + "\""));
    EXPECT_TRUE(w.receive());
    w.send(meta("/meta/connect", id, R"("connectionType":"websocket")"));
    EXPECT_TRUE(w.receive());
    w.send(meta("/meta/connect", id, R"("connectionType":"websocket")")); // held
    return id;
}

} // namespace rtnotify_test

#endif
