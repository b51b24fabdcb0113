// The limits the Engine.IO and Socket.IO decoders enforce on what comes from the network.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_SOCKETIO_DECODE_OPTIONS_HPP
#define RTNOTIFY_SOCKETIO_DECODE_OPTIONS_HPP

#include <cstddef>

namespace rtnotify::socketio {

/// Limits of the decoders; the defaults are safe for input from the network.
struct decode_options
{
    /// Largest polling payload or WebSocket message, in bytes (`error::payload_too_large`); Engine.IO 4 servers announce it as `maxPayload`.
    std::size_t max_payload_bytes = 1000000;

    /// Most packets in one polling payload (`error::too_many_packets`).
    std::size_t max_packets_per_payload = 64;

    /// Longest Socket.IO namespace, in bytes (`error::namespace_too_long`).
    std::size_t max_namespace_bytes = 256;

    /// Deepest nesting of a Socket.IO packet's data (`error::json_too_deep`).
    std::size_t max_json_depth = 32;
};

} // namespace rtnotify::socketio

#endif
