// The body of an `mqtt` frame of the cluster bus: an MQTT message a client of one node published, for the others.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_CLUSTER_MQTT_BODY_HPP
#define RTNOTIFY_CLUSTER_MQTT_BODY_HPP

#include <rtnotify/cluster/frame.hpp>

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace rtnotify::cluster {

/// An MQTT message as an `mqtt` frame carries it; the views refer to the frame's text.
struct mqtt_message
{
    std::string_view topic;
    std::string_view payload; ///< any bytes
    std::uint8_t qos = 0;     ///< as published: 0, 1 or 2
    bool retain = false;
};

/// The longest topic name MQTT can carry (a two-byte length).
inline constexpr std::size_t max_mqtt_topic_bytes = 65535;

/** The body of an `mqtt` frame:

    @code
    1 0 11\ncluster/onehello
    @endcode

    the QoS, the retain flag (`0` or `1`) and the topic's length in bytes,
    a line feed, the topic, then the payload to the end (any bytes).
    `m.qos` is 0, 1 or 2.
*/
inline std::string mqtt_body(mqtt_message const& m)
{
    std::string out;
    out.reserve(16 + m.topic.size() + m.payload.size());
    out.append(1, static_cast<char>('0' + m.qos)).append(m.retain ? " 1 " : " 0 ").append(std::to_string(m.topic.size()));
    out.append(1, '\n').append(m.topic).append(m.payload);
    return out;
}

/** The message an `mqtt` frame's body carries, or what is wrong and at which byte.

    A QoS of 0 to 2, a retain flag of 0 or 1, and a topic length in decimal
    without leading zeros, of 1 to `max_mqtt_topic_bytes`, that the body
    holds. Whether the topic is a topic name is the broker's check
    (`mqtt::broker::publish`).
*/
inline std::variant<mqtt_message, frame_error> read_mqtt_body(std::string_view body)
{
    mqtt_message m;
    if(body.size() < 4 || body[0] < '0' || body[0] > '2')
        return frame_error{"QoS is not 0, 1 or 2", 0};
    m.qos = static_cast<std::uint8_t>(body[0] - '0');
    if(body[1] != ' ')
        return frame_error{"no space after the QoS", 1};
    if(body[2] != '0' && body[2] != '1')
        return frame_error{"retain flag is not 0 or 1", 2};
    m.retain = body[2] == '1';
    if(body[3] != ' ')
        return frame_error{"no space after the retain flag", 3};
    auto const eol = body.find('\n', 4);
    if(eol == std::string_view::npos)
        return frame_error{"no line feed after the topic length", body.size()};
    std::string_view const digits = body.substr(4, eol - 4);
    std::size_t length = 0;
    auto const [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), length);
    if(digits.empty() || (digits.front() == '0' && digits.size() > 1) || ec != std::errc() ||
       ptr != digits.data() + digits.size())
        return frame_error{"invalid topic length", 4 + static_cast<std::size_t>(ptr - digits.data())};
    if(length == 0 || length > max_mqtt_topic_bytes)
        return frame_error{"topic length not from 1 to 65535", 4};
    if(length > body.size() - eol - 1)
        return frame_error{"topic length past the end of the body", body.size()};
    m.topic = body.substr(eol + 1, length);
    m.payload = body.substr(eol + 1 + length);
    return m;
}

} // namespace rtnotify::cluster

#endif
