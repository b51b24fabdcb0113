// The Socket.IO endpoint of beast::server: Kuzzle's Socket.IO protocol over Engine.IO polling and WebSocket, and its limits.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BEAST_KUZZLE_SOCKETIO_OPTIONS_HPP
#define RTNOTIFY_BEAST_KUZZLE_SOCKETIO_OPTIONS_HPP

#include <rtnotify/beast/ws_service.hpp>
#include <rtnotify/settings.hpp>
#include <rtnotify/socketio/socket_options.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <utility>

namespace rtnotify::beast {

/** What `beast::server` serves under `path` when `service` is set:
    Socket.IO (Engine.IO 3 for socket.io 2.x clients, 4 for later ones;
    HTTP long-polling, the upgrade to WebSocket, or a WebSocket from the
    start) with Kuzzle's conventions of its Socket.IO protocol:

    - a request is the first argument of a `request_event` ("kuzzle") event;
    - its response comes back as an event named by the request's `requestId`;
    - a notification comes as an event named by its channel (the `channel`
      of the `realtime:subscribe` response).

    Only namespace "/" is served; binary packets and JSONP polling are refused.
*/
struct kuzzle_socketio_options
{
    /// The Kuzzle API answering requests; the same object as a `ws_services` entry, so every transport shares the rooms.
    std::shared_ptr<ws_service> service;

    /// Where Engine.IO answers (the path, matched exactly, then the query: `EIO`, `transport`, `sid`).
    std::string path = "/socket.io/";

    /// The event whose first argument is a request.
    std::string request_event = "kuzzle";

    /// Heartbeat, limits and the queue of each socket.
    socketio::socket_options socket;

    /// Most Socket.IO sessions at once; a handshake past it gets HTTP 503.
    std::size_t max_sessions = 10000;

    /// Most Socket.IO sessions of one client address (a session outlives its polling requests); past it: HTTP 503.
    std::size_t max_sessions_per_address = 1000;

    /** Most bytes of packets all sockets together have queued for their
        clients (events between two polls of a long-polling client); an event
        past it is dropped and logged, as one past `socket.max_queued_bytes`.
    */
    std::size_t max_total_queued_bytes = std::size_t(64) << 20;
};

/// The first setting of `o` out of its range (named `socket.…`), or none.
inline std::optional<invalid_setting> check_settings(kuzzle_socketio_options const& o)
{
    if(o.path.empty() || o.path.front() != '/')
        return invalid_setting{"path", "must start with /"};
    if(o.request_event.empty())
        return invalid_setting{"request_event", "must not be empty"};
    for(auto const& [name, value] :
        {std::pair<char const*, std::size_t>{"max_sessions", o.max_sessions},
         {"max_sessions_per_address", o.max_sessions_per_address},
         {"max_total_queued_bytes", o.max_total_queued_bytes},
         {"socket.max_queued_bytes", o.socket.max_queued_bytes},
         {"socket.limits.max_payload_bytes", o.socket.limits.max_payload_bytes},
         {"socket.limits.max_packets_per_payload", o.socket.limits.max_packets_per_payload},
         {"socket.limits.max_namespace_bytes", o.socket.limits.max_namespace_bytes},
         {"socket.limits.max_json_depth", o.socket.limits.max_json_depth}})
        if(auto bad = rtnotify::detail::at_least_one(name, value))
            return bad;
    for(auto const& [name, value] :
        {std::pair<char const*, std::chrono::milliseconds>{"socket.ping_interval", o.socket.ping_interval},
         {"socket.ping_timeout", o.socket.ping_timeout}})
        if(auto bad = rtnotify::detail::duration_within(name, value, std::chrono::milliseconds{1}))
            return bad;
    return std::nullopt;
}

} // namespace rtnotify::beast

#endif
