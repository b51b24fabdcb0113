// The engines the session benchmarks load: a server with N subscribed sessions, and the messages they exchange.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BENCH_ENGINE_FIXTURE_HPP
#define RTNOTIFY_BENCH_ENGINE_FIXTURE_HPP

#include <rtnotify/session/server.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace rtnotify_bench {

namespace bx = rtnotify::bayeux;
namespace ss = rtnotify::session;

inline bx::message handshake()
{
    bx::message m;
    m.channel = "/meta/handshake";
    m.version = "1.0";
    m.supported_connection_types = {"long-polling", "websocket"};
    return m;
}

inline bx::message connect(std::string const& id, char const* type)
{
    bx::message m;
    m.channel = "/meta/connect";
    m.client_id = id;
    m.connection_type = type;
    return m;
}

inline bx::message subscribe(std::string const& id, std::string channel)
{
    bx::message m;
    m.channel = "/meta/subscribe";
    m.client_id = id;
    m.subscription = {std::move(channel)};
    return m;
}

inline bx::message payload(std::string channel)
{
    bx::message m;
    m.channel = std::move(channel);
    m.data = bx::json::object{{"text", "a message of ordinary size for a chat or a sensor"}, {"value", 21.5}};
    return m;
}

/// A server with `n` sessions subscribed to `channel_of(i)`, each with its first connect answered.
struct populated
{
    ss::server srv;
    std::vector<std::string> ids;
    ss::exchange_id next = 1;

    template<class ChannelOf>
    populated(std::size_t n, ChannelOf channel_of, char const* type, ss::server_options o = {}) : srv(std::move(o))
    {
        ids.reserve(n);
        for(std::size_t i = 0; i < n; ++i)
        {
            srv.receive(next++, {handshake()}, {});
            auto actions = srv.take_actions();
            ids.push_back(*std::get<ss::send>(actions.front()).messages.front().client_id);
            srv.receive(next++, {subscribe(ids.back(), channel_of(i)), connect(ids.back(), type)}, {}, kind_of(type));
            srv.take_actions();
        }
    }

    /// Holds one connect per session (the WebSocket heartbeat, or the long poll).
    void hold_all(char const* type)
    {
        for(auto const& id : ids)
            srv.receive(next++, {connect(id, type)}, {}, kind_of(type));
    }

    /// A WebSocket carries `websocket` connects (pushes need a socket), HTTP requests the others.
    static ss::exchange_kind kind_of(char const* type)
    {
        return std::string_view(type) == "websocket" ? ss::exchange_kind::socket : ss::exchange_kind::request;
    }
};

} // namespace rtnotify_bench

#endif
