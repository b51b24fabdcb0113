// Test helpers for the session engines: a server driven by JSON text under a virtual clock.
// SPDX-License-Identifier: BSL-1.0
//
#ifndef RTNOTIFY_TESTS_SESSION_HARNESS_HPP
#define RTNOTIFY_TESTS_SESSION_HARNESS_HPP

#include <rtnotify/bayeux/decode.hpp>
#include <rtnotify/bayeux/encode.hpp>
#include <rtnotify/session/server.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace rtnotify_test {

namespace bx = rtnotify::bayeux;
namespace ss = rtnotify::session;
using namespace std::chrono_literals;

/// The messages of a JSON batch (or of one object).
inline std::vector<bx::message> batch(std::string_view json)
{
    return bx::decode(json).value();
}

/// A server, a virtual clock and the actions it produced, sorted by kind.
struct server_fixture
{
    ss::server srv;
    ss::time_point now{};
    ss::exchange_id next_exchange = 1;
    std::vector<ss::send> sends;
    std::vector<ss::published> published;
    std::vector<ss::overflowed> overflows;
    std::vector<ss::session_closed> closed;
    std::vector<ss::service_request> services;

    explicit server_fixture(ss::server_options o = {}) : srv(std::move(o)) {}

    /// Moves the server's actions into the vectors above.
    void collect()
    {
        for(auto& a : srv.take_actions())
            std::visit(
                [&](auto& v) {
                    using T = std::decay_t<decltype(v)>;
                    if constexpr(std::is_same_v<T, ss::send>) sends.push_back(std::move(v));
                    else if constexpr(std::is_same_v<T, ss::published>) published.push_back(std::move(v));
                    else if constexpr(std::is_same_v<T, ss::overflowed>) overflows.push_back(std::move(v));
                    else if constexpr(std::is_same_v<T, ss::session_closed>) closed.push_back(std::move(v));
                    else services.push_back(std::move(v));
                },
                a);
    }

    /// The response sent on `ex`, taken out of `sends`; empty when none (yet).
    std::optional<std::vector<bx::message>> response(ss::exchange_id ex)
    {
        collect();
        for(auto it = sends.begin(); it != sends.end(); ++it)
            if(it->exchange == ex && !it->push)
            {
                auto m = ss::messages_in_order(*it);
                sends.erase(it);
                return m;
            }
        return std::nullopt;
    }

    /// Sends `json` on a new exchange; returns its id.
    ss::exchange_id post(std::string_view json)
    {
        auto const ex = next_exchange++;
        srv.receive(ex, batch(json), now);
        return ex;
    }

    /// Sends `json` and returns the immediate response (fails the test if it is held).
    std::vector<bx::message> call(std::string_view json)
    {
        auto r = response(post(json));
        EXPECT_TRUE(r) << "held: " << json;
        return r ? *r : std::vector<bx::message>();
    }

    /// Handshakes and returns the client id.
    std::string handshake(std::string_view ext = "")
    {
        std::string j = R"({"channel":"/meta/handshake","version":"1.0","supportedConnectionTypes":["long-polling","websocket"])";
        if(!ext.empty())
            j += std::string(R"(,"ext":)") + std::string(ext);
        j += "}";
        auto r = call(j);
        return r.at(0).client_id.value();
    }

    /// A connect request for `id`, with extra members `more` (e.g. `"ext":{"ack":1}`).
    static std::string connect(std::string const& id, std::string_view more = "",
                               std::string_view type = "long-polling")
    {
        std::string j = R"({"channel":"/meta/connect","clientId":")" + id + R"(","connectionType":")" +
                        std::string(type) + "\"";
        if(!more.empty())
            j += "," + std::string(more);
        return j + "}";
    }

    static std::string subscribe(std::string const& id, std::string_view channels_json)
    {
        return R"({"channel":"/meta/subscribe","clientId":")" + id + R"(","subscription":)" +
               std::string(channels_json) + "}";
    }

    static std::string publish(std::string const& id, std::string_view channel, std::string_view data = "1")
    {
        return R"({"channel":")" + std::string(channel) + R"(","clientId":")" + id + R"(","data":)" +
               std::string(data) + "}";
    }

    /// Runs the timers up to `t`.
    void advance_to(ss::time_point t)
    {
        while(auto d = srv.next_deadline())
        {
            if(*d > t)
                break;
            now = *d;
            srv.on_timer(now);
        }
        now = t;
    }
};

/// The error of a reply, empty if none.
inline std::string err(bx::message const& m)
{
    return m.error.value_or("");
}

/// The `reconnect` advice of a reply, empty if none.
inline std::string reconnect(bx::message const& m)
{
    return m.advice && m.advice->reconnect ? *m.advice->reconnect : "";
}

/// The channels of the deliveries in `msgs` (messages without `successful`).
inline std::vector<std::string> delivery_channels(std::vector<bx::message> const& msgs)
{
    std::vector<std::string> out;
    for(auto const& m : msgs)
        if(!m.successful)
            out.push_back(m.channel);
    return out;
}

} // namespace rtnotify_test

#endif
