// The error codes of the Engine.IO and Socket.IO codecs and of the socket engine, and their category.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_SOCKETIO_ERROR_HPP
#define RTNOTIFY_SOCKETIO_ERROR_HPP

#include <rtnotify/error.hpp>

namespace rtnotify::socketio {

using rtnotify::error_code;

/** Errors of the Engine.IO and Socket.IO codecs (what a packet or a polling
    payload breaks) and of `socketio::socket` (why it closed).
*/
enum class error
{
    /// An Engine.IO packet without a type, or an empty packet in a payload.
    empty_packet = 1,

    /// An Engine.IO packet type other than 0 to 6, or a Socket.IO packet type other than 0 to 6.
    bad_packet_type,

    /// Binary data: an Engine.IO `b` packet, a binary payload or frame, a Socket.IO packet with attachments (condition::unsupported).
    binary_unsupported,

    /// An Engine.IO 3 payload whose length prefix is not digits and `:`, or runs past the payload.
    bad_length_prefix,

    /// A payload or packet that is not well-formed UTF-8.
    bad_utf8,

    /// A payload or a WebSocket message over `decode_options::max_payload_bytes` (condition::limit_exceeded).
    payload_too_large,

    /// A payload with more packets than `decode_options::max_packets_per_payload` (condition::limit_exceeded).
    too_many_packets,

    /// A Socket.IO namespace longer than `decode_options::max_namespace_bytes` (condition::limit_exceeded).
    namespace_too_long,

    /// A Socket.IO acknowledgement id of more than 15 digits.
    bad_ack_id,

    /// A Socket.IO packet's data is not JSON, or holds a number too large for a double (1e999).
    bad_json,

    /// A Socket.IO packet's data nests deeper than `decode_options::max_json_depth` (condition::limit_exceeded).
    json_too_deep,

    /// A Socket.IO packet's data has the wrong shape for its type: an event that is not an array starting with its name, data on DISCONNECT...
    bad_data,

    // --- the socket engine (why it closed a socket, or ignored a packet)

    /// No PONG (Engine.IO 4) or PING (Engine.IO 3) in time.
    ping_timeout,

    /// A packet only a server sends (OPEN, a Socket.IO CONNECT_ERROR...) came from a client, or UPGRADE came when no upgrade was under way.
    unexpected_packet,

    /// A Socket.IO packet for a namespace the socket has not connected to, or that the server does not serve.
    unknown_namespace,

    /// An event other than the ones the application serves (condition::unsupported).
    unknown_event,

    /// More queued bytes for the client than `socket_options::max_queued_bytes` (condition::limit_exceeded).
    queue_full,
};

} // namespace rtnotify::socketio

template<>
struct rtnotify::detail::error_traits<rtnotify::socketio::error>
{
    static constexpr unsigned long long id = 0x8e3b5a1d0c7f6249ull;
    static constexpr char const* name = "rtnotify.socketio";

    static error_info info(socketio::error e) noexcept
    {
        using socketio::error;
        switch(e)
        {
        case error::empty_packet:       return {"empty packet", condition::parse_error};
        case error::bad_packet_type:    return {"unknown packet type", condition::parse_error};
        case error::binary_unsupported: return {"binary data is not supported", condition::unsupported};
        case error::bad_length_prefix:  return {"bad payload length prefix", condition::parse_error};
        case error::bad_utf8:           return {"not well-formed UTF-8", condition::parse_error};
        case error::payload_too_large:  return {"payload too large", condition::limit_exceeded};
        case error::too_many_packets:   return {"too many packets in a payload", condition::limit_exceeded};
        case error::namespace_too_long: return {"namespace too long", condition::limit_exceeded};
        case error::bad_ack_id:         return {"acknowledgement id longer than 15 digits", condition::parse_error};
        case error::bad_json:           return {"data is not JSON", condition::parse_error};
        case error::json_too_deep:      return {"data nests too deep", condition::limit_exceeded};
        case error::bad_data:           return {"data of the wrong shape for the packet type", condition::protocol_error};
        case error::ping_timeout:       return {"ping timeout", condition::protocol_error};
        case error::unexpected_packet:  return {"unexpected packet", condition::protocol_error};
        case error::unknown_namespace:  return {"unknown namespace", condition::protocol_error};
        case error::unknown_event:      return {"unknown event", condition::unsupported};
        case error::queue_full:         return {"queue full", condition::limit_exceeded};
        }
        return {"unknown socketio error", condition::protocol_error};
    }
};

template<>
struct boost::system::is_error_code_enum<rtnotify::socketio::error> : std::true_type
{
};

namespace rtnotify::socketio {

/// Makes an error code from a Socket.IO error value.
inline error_code make_error_code(error e) noexcept
{
    return {static_cast<int>(e), rtnotify::detail::category_of<error>()};
}

} // namespace rtnotify::socketio

#endif
