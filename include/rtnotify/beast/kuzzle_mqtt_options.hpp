// The MQTT listener of beast::server: Kuzzle's MQTT protocol on the broker engine, and its limits.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BEAST_KUZZLE_MQTT_OPTIONS_HPP
#define RTNOTIFY_BEAST_KUZZLE_MQTT_OPTIONS_HPP

#include <rtnotify/beast/ws_service.hpp>
#include <rtnotify/mqtt/broker_options.hpp>
#include <rtnotify/mqtt/decode_options.hpp>
#include <rtnotify/session/clock.hpp>
#include <rtnotify/settings.hpp>

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace rtnotify::beast {

/** What `server::listen_mqtt` serves: an MQTT 3.1.1 broker (`mqtt::broker`)
    and, when `service` is set, Kuzzle's MQTT protocol on it, as Kuzzle 2
    documents it (https://docs.kuzzle.io/core/2/api/protocols/mqtt/):

    - a request is a PUBLISH of its JSON to `request_topic`; its response is
      sent on `response_topic` to the requesting client alone (to every
      subscriber of `response_topic` in `development_mode`, for command-line
      clients that publish and listen on two connections);
    - a notification is published on the topic named by its channel (the
      `channel` of the `realtime:subscribe` response), to every client
      subscribed to that topic;
    - clients may publish to `request_topic` only, unless `allow_pubsub`
      (then to any topic but `response_topic`), may not subscribe to
      `request_topic`, and may not subscribe with wildcards.

    Without `service` the broker is plain MQTT pub/sub, every topic allowed.
*/
struct kuzzle_mqtt_options
{
    /// The Kuzzle API answering requests; the same object as a `ws_services` entry, so both transports share rooms.
    std::shared_ptr<ws_service> service;
    std::string request_topic = "Kuzzle/request";
    std::string response_topic = "Kuzzle/response";
    bool allow_pubsub = false;     ///< Kuzzle's `allowPubSub`
    bool development_mode = false; ///< Kuzzle's `developmentMode`

    /** Checks a CONNECT that carries a user name: given it, the password
        (empty when none), the client's address and the time, `accepted` or
        the refusal CONNACK (`bad_user_name_or_password`, `not_authorized`).
        A CONNECT without a user name is anonymous and accepted (Kuzzle's
        SDKs log in with `auth:login` instead). Empty: every CONNECT is
        accepted. Replaces `broker.authenticate`.
    */
    std::function<mqtt::connect_code(std::string_view user, std::string_view password, std::string_view address,
                                     session::time_point now)>
        credentials;

    /// The broker's limits; with a `service` its `may_publish` and `may_subscribe` are Kuzzle's rules above.
    mqtt::broker_options broker;
    mqtt::decode_options limits; ///< the packets a connection may send
    /// Bytes waiting to be written to one connection (as `max_ws_backlog_bytes` for a WebSocket): past
    /// half of it the broker drops QoS 0 messages for the client and queues QoS 1 ones; past all of it
    /// the connection is closed (a client that does not read).
    std::size_t max_backlog_bytes = std::size_t(8) << 20;
};

/// The first setting of `o` out of its range (named `broker.…`, `limits.…`), or none.
inline std::optional<invalid_setting> check_settings(kuzzle_mqtt_options const& o)
{
    if(auto bad = prefixed("broker.", mqtt::check_settings(o.broker)))
        return bad;
    if(auto bad = prefixed("limits.", mqtt::check_settings(o.limits)))
        return bad;
    if(auto bad = rtnotify::detail::at_least_one("max_backlog_bytes", o.max_backlog_bytes))
        return bad;
    if(o.request_topic.empty() || o.response_topic.empty() || o.request_topic == o.response_topic)
        return invalid_setting{"request_topic", "must be a topic name other than response_topic"};
    return std::nullopt;
}

} // namespace rtnotify::beast

#endif
