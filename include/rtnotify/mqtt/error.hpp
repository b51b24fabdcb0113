// The error codes of the MQTT codec and their category.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_MQTT_ERROR_HPP
#define RTNOTIFY_MQTT_ERROR_HPP

#include <rtnotify/error.hpp>

namespace rtnotify::mqtt {

using rtnotify::error_code;
using rtnotify::result;

/** Errors of the MQTT 3.1.1 codec and of the broker engine.

    Every codec error a broker meets is a reason to close the network
    connection (MQTT 3.1.1 section 4.8); `unsupported_protocol_level` is the
    one a broker answers first, with CONNACK return code 1. The broker's own
    errors say why it closed a connection or dropped a message.
*/
enum class error
{
    /// The packet is incomplete: feed more bytes (condition::need_more).
    need_more = 1,

    /// The packet type is 0 or 15, reserved in MQTT 3.1.1.
    reserved_packet_type,

    /// The flags of the fixed header are not the ones its type requires, or DUP is set on a QoS 0 PUBLISH.
    bad_flags,

    /// The Remaining Length does not end within four bytes.
    bad_remaining_length,

    /// The Remaining Length is above `decode_options::max_packet_bytes` (condition::limit_exceeded).
    packet_too_large,

    /// A field runs past the end of the packet.
    truncated,

    /// Bytes follow the last field of a packet.
    trailing_bytes,

    /// A string is not well-formed UTF-8, or holds U+0000.
    bad_utf8,

    /// The CONNECT protocol name is neither "MQTT" nor, for level 3, "MQIsdp".
    bad_protocol_name,

    /// The CONNECT protocol level is not 3 (MQTT 3.1) or 4 (MQTT 3.1.1) (condition::unsupported).
    unsupported_protocol_level,

    /// The CONNECT flags break a rule: reserved bit set, will QoS or retain without a will, password without user name.
    bad_connect_flags,

    /// A QoS of 3, or reserved bits set in a SUBSCRIBE's requested QoS byte.
    bad_qos,

    /// A packet identifier of 0.
    bad_packet_id,

    /// A topic name that is empty or holds `+` or `#`.
    bad_topic_name,

    /// A topic filter that is empty or has a wildcard that is not a whole level (or `#` not last).
    bad_topic_filter,

    /// A SUBSCRIBE or UNSUBSCRIBE without any topic filter.
    no_topic_filter,

    /// A topic is longer than `decode_options::max_topic_bytes` (condition::limit_exceeded).
    topic_too_long,

    /// A SUBSCRIBE or UNSUBSCRIBE has more filters than `decode_options::max_topics_per_packet` (condition::limit_exceeded).
    too_many_topics,

    /// A CONNACK with reserved bits set or a return code above 5.
    bad_connack,

    /// A SUBACK return code other than 0, 1, 2 or 0x80.
    bad_suback_code,

    /// Encoding: a string or binary field over 65,535 bytes, or a packet over 268,435,455 (condition::api_misuse).
    field_too_long,

    // --- the broker engine (why it closed a connection or dropped a message)

    /// The first packet of a connection is not CONNECT.
    connect_expected,

    /// A second CONNECT on a connection.
    second_connect,

    /// A packet only a server sends (CONNACK, SUBACK, UNSUBACK, PINGRESP) came from a client.
    server_packet,

    /// No CONNECT within `broker_options::connect_timeout`.
    connect_timeout,

    /// Nothing received for one and a half times the keep-alive the client asked for.
    keep_alive_expired,

    /// A new connection connected with the same client identifier.
    taken_over,

    /// The CONNECT was refused: its CONNACK says why (condition::unsupported for the protocol level).
    connect_refused,

    /// The broker's publish policy refused a PUBLISH (`broker_options::may_publish`).
    publish_refused,

    /// More sessions than `broker_options::max_sessions` (condition::limit_exceeded).
    too_many_sessions,

    /// A message for a client whose queue is full was dropped (condition::limit_exceeded).
    queue_full,

    /// More QoS 2 messages from a client awaiting PUBREL than `broker_options::max_inflight` (condition::limit_exceeded).
    too_many_unreleased,

    /// A session without connection expired; its queued messages were dropped (condition::limit_exceeded).
    session_expired,

    /// A QoS 0 message was dropped: its client's transport was behind with writing (condition::limit_exceeded).
    client_behind,
};

} // namespace rtnotify::mqtt

template<>
struct rtnotify::detail::error_traits<rtnotify::mqtt::error>
{
    static constexpr unsigned long long id = 0xf5458dfc80329891ull;
    static constexpr char const* name = "rtnotify.mqtt";

    static error_info info(mqtt::error e) noexcept
    {
        using mqtt::error;
        switch(e)
        {
        case error::need_more:                  return {"incomplete packet", condition::need_more};
        case error::reserved_packet_type:       return {"reserved packet type", condition::parse_error};
        case error::bad_flags:                  return {"wrong fixed header flags", condition::protocol_error};
        case error::bad_remaining_length:       return {"remaining length longer than four bytes", condition::parse_error};
        case error::packet_too_large:           return {"packet too large", condition::limit_exceeded};
        case error::truncated:                  return {"field runs past the end of the packet", condition::parse_error};
        case error::trailing_bytes:             return {"bytes after the last field", condition::parse_error};
        case error::bad_utf8:                   return {"string is not well-formed UTF-8", condition::parse_error};
        case error::bad_protocol_name:          return {"unknown protocol name", condition::protocol_error};
        case error::unsupported_protocol_level: return {"unsupported protocol level", condition::unsupported};
        case error::bad_connect_flags:          return {"bad connect flags", condition::protocol_error};
        case error::bad_qos:                    return {"bad QoS", condition::protocol_error};
        case error::bad_packet_id:              return {"packet identifier 0", condition::protocol_error};
        case error::bad_topic_name:             return {"bad topic name", condition::protocol_error};
        case error::bad_topic_filter:           return {"bad topic filter", condition::protocol_error};
        case error::no_topic_filter:            return {"no topic filter", condition::protocol_error};
        case error::topic_too_long:             return {"topic too long", condition::limit_exceeded};
        case error::too_many_topics:            return {"too many topic filters", condition::limit_exceeded};
        case error::bad_connack:                return {"bad CONNACK", condition::protocol_error};
        case error::bad_suback_code:            return {"bad SUBACK return code", condition::protocol_error};
        case error::field_too_long:             return {"field too long to encode", condition::api_misuse};
        case error::connect_expected:           return {"first packet is not CONNECT", condition::protocol_error};
        case error::second_connect:             return {"second CONNECT", condition::protocol_error};
        case error::server_packet:              return {"packet only a server sends", condition::protocol_error};
        case error::connect_timeout:            return {"no CONNECT in time", condition::protocol_error};
        case error::keep_alive_expired:         return {"keep-alive expired", condition::protocol_error};
        case error::taken_over:                 return {"client identifier taken over", condition::protocol_error};
        case error::connect_refused:            return {"CONNECT refused", condition::protocol_error};
        case error::publish_refused:            return {"publish refused", condition::protocol_error};
        case error::too_many_sessions:          return {"too many sessions", condition::limit_exceeded};
        case error::queue_full:                 return {"queue full", condition::limit_exceeded};
        case error::too_many_unreleased:        return {"too many QoS 2 messages awaiting PUBREL", condition::limit_exceeded};
        case error::session_expired:            return {"session expired", condition::limit_exceeded};
        case error::client_behind:              return {"client behind with reading", condition::limit_exceeded};
        }
        return {"unknown mqtt error", condition::protocol_error};
    }
};

template<>
struct boost::system::is_error_code_enum<rtnotify::mqtt::error> : std::true_type
{
};

namespace rtnotify::mqtt {

/// Makes an error code from an MQTT error value.
inline error_code make_error_code(error e) noexcept
{
    return {static_cast<int>(e), rtnotify::detail::category_of<error>()};
}

} // namespace rtnotify::mqtt

#endif
