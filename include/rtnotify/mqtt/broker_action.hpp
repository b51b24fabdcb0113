// What the MQTT broker engine asks its transport to do: bytes to send, connections to close, what it reports.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_MQTT_BROKER_ACTION_HPP
#define RTNOTIFY_MQTT_BROKER_ACTION_HPP

#include <rtnotify/mqtt/error.hpp>
#include <rtnotify/mqtt/packet.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <variant>

namespace rtnotify::mqtt {

/// Identifies one network connection; the transport picks the values, the broker only compares them.
using connection_id = std::uint64_t;

/// Bytes to write on a connection, after those of earlier actions; many connections may share them.
struct send_bytes
{
    connection_id to = 0;
    std::shared_ptr<std::string const> bytes;
};

/// Close a connection once the bytes sent to it before are written.
struct close_connection
{
    connection_id connection = 0;
    error_code why; ///< empty after a DISCONNECT
};

/// A client published `message` and the broker accepted it (the application's requests arrive this way).
struct message_received
{
    connection_id from = 0;
    std::string client_id;
    publish message;
};

/// The broker published the will of `client_id`, whose connection ended without DISCONNECT.
struct will_published
{
    std::string client_id;
    will message;
};

/// A message meant for a client was lost: its queue was full (`error::queue_full`) or its session expired.
struct message_dropped
{
    std::string client_id;
    std::string topic;
    error_code why;
};

/// One thing the broker asks of its transport or tells its application.
using broker_action = std::variant<send_bytes, close_connection, message_received, will_published, message_dropped>;

} // namespace rtnotify::mqtt

#endif
