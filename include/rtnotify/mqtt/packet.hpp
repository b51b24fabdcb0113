// The MQTT 3.1.1 control packets as values.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_MQTT_PACKET_HPP
#define RTNOTIFY_MQTT_PACKET_HPP

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace rtnotify::mqtt {

/// The control packet types of MQTT 3.1.1 (the high four bits of the first byte).
enum class packet_type : std::uint8_t
{
    connect = 1,
    connack,
    publish,
    puback,
    pubrec,
    pubrel,
    pubcomp,
    subscribe,
    suback,
    unsubscribe,
    unsuback,
    pingreq,
    pingresp,
    disconnect,
};

/// The name the specification gives a packet type ("CONNECT"), or "reserved".
constexpr char const* to_string(packet_type t) noexcept
{
    constexpr char const* names[] = {"reserved", "CONNECT",  "CONNACK", "PUBLISH",     "PUBACK",   "PUBREC",
                                     "PUBREL",   "PUBCOMP",  "SUBSCRIBE", "SUBACK",    "UNSUBSCRIBE", "UNSUBACK",
                                     "PINGREQ",  "PINGRESP", "DISCONNECT", "reserved"};
    return names[static_cast<std::uint8_t>(t) & 0x0f];
}

/// The CONNACK return codes of MQTT 3.1.1.
enum class connect_code : std::uint8_t
{
    accepted = 0,
    unacceptable_protocol_version,
    identifier_rejected,
    server_unavailable,
    bad_user_name_or_password,
    not_authorized,
};

/// The SUBACK return code that refuses one topic filter.
inline constexpr std::uint8_t suback_failure = 0x80;

/// The message a broker publishes for a client whose connection ends without DISCONNECT.
struct will
{
    std::string topic;
    std::string payload;
    std::uint8_t qos = 0;
    bool retain = false;

    bool operator==(will const&) const = default;
};

/// CONNECT: the first packet of a client.
struct connect
{
    std::uint8_t protocol_level = 4; ///< 4 for MQTT 3.1.1, 3 for MQTT 3.1 ("MQIsdp")
    bool clean_session = true;
    std::uint16_t keep_alive = 0;    ///< seconds; 0 turns the keep-alive off
    std::string client_id;
    std::optional<mqtt::will> will;
    std::optional<std::string> user_name;
    std::optional<std::string> password; ///< binary data

    bool operator==(connect const&) const = default;
};

/// CONNACK: the broker's answer to CONNECT.
struct connack
{
    bool session_present = false;
    connect_code code = connect_code::accepted;

    bool operator==(connack const&) const = default;
};

/// PUBLISH: an application message, in either direction.
struct publish
{
    std::string topic;
    std::string payload;
    std::uint8_t qos = 0;
    bool retain = false;
    bool dup = false;
    std::uint16_t packet_id = 0; ///< present only when `qos > 0`

    bool operator==(publish const&) const = default;
};

/// The packets that hold a packet identifier and nothing else: PUBACK, PUBREC, PUBREL, PUBCOMP, UNSUBACK.
struct packet_id_only
{
    packet_type type = packet_type::puback;
    std::uint16_t packet_id = 0;

    bool operator==(packet_id_only const&) const = default;
};

/// One topic filter of a SUBSCRIBE with the QoS asked for it.
struct subscription
{
    std::string filter;
    std::uint8_t qos = 0;

    bool operator==(subscription const&) const = default;
};

/// SUBSCRIBE: one or more topic filters.
struct subscribe
{
    std::uint16_t packet_id = 0;
    std::vector<subscription> topics;

    bool operator==(subscribe const&) const = default;
};

/// SUBACK: a return code per filter of the SUBSCRIBE, in its order (0–2 granted QoS, or `suback_failure`).
struct suback
{
    std::uint16_t packet_id = 0;
    std::vector<std::uint8_t> codes;

    bool operator==(suback const&) const = default;
};

/// UNSUBSCRIBE: one or more topic filters to remove.
struct unsubscribe
{
    std::uint16_t packet_id = 0;
    std::vector<std::string> filters;

    bool operator==(unsubscribe const&) const = default;
};

/// The packets that are only a fixed header: PINGREQ, PINGRESP, DISCONNECT.
struct header_only
{
    packet_type type = packet_type::pingreq;

    bool operator==(header_only const&) const = default;
};

/// Any MQTT 3.1.1 control packet.
using packet = std::variant<connect, connack, publish, packet_id_only, subscribe, suback, unsubscribe, header_only>;

/// The type of a packet value.
inline packet_type type_of(packet const& p) noexcept
{
    struct visitor
    {
        packet_type operator()(connect const&) const noexcept { return packet_type::connect; }
        packet_type operator()(connack const&) const noexcept { return packet_type::connack; }
        packet_type operator()(publish const&) const noexcept { return packet_type::publish; }
        packet_type operator()(packet_id_only const& p) const noexcept { return p.type; }
        packet_type operator()(subscribe const&) const noexcept { return packet_type::subscribe; }
        packet_type operator()(suback const&) const noexcept { return packet_type::suback; }
        packet_type operator()(unsubscribe const&) const noexcept { return packet_type::unsubscribe; }
        packet_type operator()(header_only const& p) const noexcept { return p.type; }
    };
    return std::visit(visitor{}, p);
}

} // namespace rtnotify::mqtt

#endif
