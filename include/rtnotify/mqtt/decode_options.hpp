// The limits the MQTT decoder enforces on packets from the network.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_MQTT_DECODE_OPTIONS_HPP
#define RTNOTIFY_MQTT_DECODE_OPTIONS_HPP

#include <cstddef>

namespace rtnotify::mqtt {

/// Limits of the packet decoder; the defaults are safe for packets from the network.
struct decode_options
{
    /// Largest Remaining Length accepted (`error::packet_too_large`); the protocol allows 268,435,455.
    std::size_t max_packet_bytes = std::size_t(1) << 20;

    /// Longest topic name or filter, in bytes (`error::topic_too_long`); the protocol allows 65,535.
    std::size_t max_topic_bytes = 1024;

    /// Most topic filters in one SUBSCRIBE or UNSUBSCRIBE (`error::too_many_topics`).
    std::size_t max_topics_per_packet = 32;
};

} // namespace rtnotify::mqtt

#endif
