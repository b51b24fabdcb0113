// The limits and policies of the MQTT broker engine.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_MQTT_BROKER_OPTIONS_HPP
#define RTNOTIFY_MQTT_BROKER_OPTIONS_HPP

#include <rtnotify/mqtt/broker_action.hpp>
#include <rtnotify/mqtt/decode_options.hpp>
#include <rtnotify/mqtt/packet.hpp>
#include <rtnotify/settings.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <utility>

namespace rtnotify::mqtt {

/// Who asks the broker's policies: the client of a connected session.
struct client_view
{
    std::uint64_t connection = 0;
    std::string_view client_id;
    std::string_view user_name; ///< empty when the CONNECT had none
};

/// Limits and policies of `mqtt::broker`; the defaults are safe for clients from the network.
struct broker_options
{
    /// What one queued or unacknowledged message counts for in the byte limits, besides its topic and payload.
    static constexpr std::size_t message_overhead = 64;

    /// What one subscription counts for in `max_total_subscription_bytes`, besides its filter.
    static constexpr std::size_t subscription_overhead = 128;

    /// A connection that sends no CONNECT in this time is closed (`error::connect_timeout`).
    std::chrono::milliseconds connect_timeout{10'000};

    /// Sessions in all, connected or kept for a client that left with `clean_session` false; beyond: CONNACK 3.
    std::size_t max_sessions = 10'000;

    /// Longest client identifier accepted; longer: CONNACK `identifier_rejected`.
    std::size_t max_client_id_bytes = 256;

    /// Topic filters per session; beyond: SUBACK `suback_failure` for the filter.
    std::size_t max_subscriptions = 100;

    /// Topic filters of every session together, each counted as its length plus `subscription_overhead`; beyond: `suback_failure`.
    std::size_t max_total_subscription_bytes = std::size_t(16) << 20;

    /// QoS 1 messages sent to a client and not yet acknowledged (and QoS 2 messages from it awaiting PUBREL).
    std::size_t max_inflight = 32;

    /// Messages waiting for a client (window full, or a kept session offline); beyond: dropped, reported.
    std::size_t max_queued = 1000;

    /// Bytes waiting for one client (queued or unacknowledged), each message counted as its topic
    /// and payload plus `message_overhead`; beyond: dropped, reported.
    std::size_t max_queued_bytes = std::size_t(1) << 20;

    /// The same bytes for every session together; beyond: dropped, reported.
    std::size_t max_total_queued_bytes = std::size_t(64) << 20;

    /// A kept session whose client stays away this long is removed, with what it queued.
    std::chrono::milliseconds session_expiry{3'600'000};

    /// Retained messages in all (one per topic), and their topic and payload bytes together.
    std::size_t max_retained = 10'000;
    std::size_t max_retained_bytes = std::size_t(16) << 20;

    /// The highest QoS granted to a subscription (0 or 1): deliveries never go above it.
    std::uint8_t max_qos = 1;

    /// May this client publish to `topic`? Null: anyone anywhere. A refusal closes the connection (`error::publish_refused`).
    std::function<bool(client_view const&, std::string_view topic)> may_publish;

    /// May this client subscribe to `filter`? Null: anyone to anything. A refusal is a `suback_failure` for the filter.
    std::function<bool(client_view const&, std::string_view filter)> may_subscribe;

    /// Accepts or refuses a CONNECT (its credentials) on connection `c` at `now`. Null: everyone is accepted.
    std::function<connect_code(connect const&, connection_id c, std::chrono::steady_clock::time_point now)> authenticate;
};

/** The first setting of `o` out of its range, or none: sizes and counts
    from 1, `max_qos` 0 or 1, durations from 1 ms to `max_setting_duration`.
*/
inline std::optional<invalid_setting> check_settings(broker_options const& o)
{
    for(auto const& [name, value] : {std::pair<char const*, std::size_t>{"max_sessions", o.max_sessions},
                                     {"max_client_id_bytes", o.max_client_id_bytes},
                                     {"max_subscriptions", o.max_subscriptions},
                                     {"max_total_subscription_bytes", o.max_total_subscription_bytes},
                                     {"max_total_queued_bytes", o.max_total_queued_bytes},
                                     {"max_inflight", o.max_inflight},
                                     {"max_queued", o.max_queued},
                                     {"max_queued_bytes", o.max_queued_bytes},
                                     {"max_retained", o.max_retained},
                                     {"max_retained_bytes", o.max_retained_bytes}})
        if(auto bad = rtnotify::detail::at_least_one(name, value))
            return bad;
    if(o.max_qos > 1)
        return invalid_setting{"max_qos", "must be 0 or 1"};
    for(auto const& [name, value] : {std::pair<char const*, std::chrono::milliseconds>{"connect_timeout", o.connect_timeout},
                                     {"session_expiry", o.session_expiry}})
        if(auto bad = rtnotify::detail::duration_within(name, value, std::chrono::milliseconds{1}))
            return bad;
    return std::nullopt;
}

/// The first limit of `o` out of its range (every one from 1), or none.
inline std::optional<invalid_setting> check_settings(decode_options const& o)
{
    for(auto const& [name, value] : {std::pair<char const*, std::size_t>{"max_packet_bytes", o.max_packet_bytes},
                                     {"max_topic_bytes", o.max_topic_bytes},
                                     {"max_topics_per_packet", o.max_topics_per_packet}})
        if(auto bad = rtnotify::detail::at_least_one(name, value))
            return bad;
    return std::nullopt;
}

} // namespace rtnotify::mqtt

#endif
