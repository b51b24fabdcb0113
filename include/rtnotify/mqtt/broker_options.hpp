// The limits and policies of the MQTT broker engine.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_MQTT_BROKER_OPTIONS_HPP
#define RTNOTIFY_MQTT_BROKER_OPTIONS_HPP

#include <rtnotify/mqtt/packet.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>

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
    /// A connection that sends no CONNECT in this time is closed (`error::connect_timeout`).
    std::chrono::milliseconds connect_timeout{10'000};

    /// Sessions in all, connected or kept for a client that left with `clean_session` false.
    std::size_t max_sessions = 100'000;

    /// Longest client identifier accepted; longer: CONNACK `identifier_rejected`.
    std::size_t max_client_id_bytes = 256;

    /// Topic filters per session; beyond: SUBACK `suback_failure` for the filter.
    std::size_t max_subscriptions = 100;

    /// QoS 1 messages sent to a client and not yet acknowledged (and QoS 2 messages from it awaiting PUBREL).
    std::size_t max_inflight = 32;

    /// Messages waiting for a client (window full, or a kept session offline); beyond: dropped, reported.
    std::size_t max_queued = 1000;

    /// Bytes of topic and payload waiting for one client; beyond: dropped, reported.
    std::size_t max_queued_bytes = std::size_t(1) << 20;

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

    /// Accepts or refuses a CONNECT (credentials). Null: everyone is accepted.
    std::function<connect_code(connect const&)> authenticate;
};

} // namespace rtnotify::mqtt

#endif
