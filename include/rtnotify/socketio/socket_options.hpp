// The settings of a Socket.IO socket: heartbeat, limits, the queue towards its client.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_SOCKETIO_SOCKET_OPTIONS_HPP
#define RTNOTIFY_SOCKETIO_SOCKET_OPTIONS_HPP

#include <rtnotify/socketio/decode_options.hpp>

#include <chrono>
#include <cstddef>

namespace rtnotify::socketio {

/// Settings of `socketio::socket`; the defaults are Socket.IO's, with bounds safe on the internet.
struct socket_options
{
    /// How often the heartbeat runs: Engine.IO 4 servers ping this often, Engine.IO 3 clients are told to.
    std::chrono::milliseconds ping_interval{25000};

    /** How long a PONG may take (Engine.IO 4), or how late a client's PING
        may come after `ping_interval` (Engine.IO 3), before the socket closes
        with `error::ping_timeout`. Socket.IO 2 servers used 5 s, later ones 20 s.
    */
    std::chrono::milliseconds ping_timeout{20000};

    /// Limits on what the client sends.
    decode_options limits;

    /** Most bytes of packets queued for the client, not yet taken by its
        transport; an event past it is dropped (`emit` says so, `error::queue_full`).
    */
    std::size_t max_queued_bytes = std::size_t(1) << 20;
};

} // namespace rtnotify::socketio

#endif
