// Routes, limits and hooks of beast::server.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BEAST_SERVER_OPTIONS_HPP
#define RTNOTIFY_BEAST_SERVER_OPTIONS_HPP

#include <rtnotify/bayeux/http_options.hpp>
#include <rtnotify/beast/access_entry.hpp>
#include <rtnotify/beast/cors.hpp>
#include <rtnotify/beast/kuzzle_mqtt_options.hpp>
#include <rtnotify/beast/kuzzle_socketio_options.hpp>
#include <rtnotify/beast/metrics.hpp>
#include <rtnotify/beast/sharding.hpp>
#include <rtnotify/beast/ws_service.hpp>
#include <rtnotify/session/server_action.hpp>
#include <rtnotify/session/server_options.hpp>
#include <rtnotify/settings.hpp>
#include <rtnotify/smartrest/registry_options.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rtnotify::beast {

/** Routes, limits and hooks of `beast::server`; the defaults are safe for input from the network.

    Every limit is enforced per connection: exceeding one answers with an
    HTTP status (413, 431, 503) or closes the WebSocket with a reason, and
    leaves every other connection alone.
*/
struct server_options
{
    /// Where Bayeux is mounted: this path and any path below it (`/bayeux/handshake`).
    std::string bayeux_path = "/bayeux";
    /// Where SmartREST templates are registered (`POST` with an `X-Id` header).
    std::string smartrest_path = "/s";
    /// SmartREST real-time paths: a `POST` with `X-Id` goes to the SmartREST
    /// bridge, anything else is Bayeux (these paths speak JSON Bayeux too).
    std::vector<std::string> realtime_paths = {"/notification/operations", "/devicecontrol/notifications",
                                               "/cep/realtime", "/notification/realtime"};

    /// WebSocket applications by path (matched exactly, query ignored), such
    /// as `{"/", std::make_shared<kuzzle_service>()}` for Kuzzle's SDKs; the
    /// Bayeux and real-time paths come first.
    std::map<std::string, std::shared_ptr<ws_service>, std::less<>> ws_services;

    /// `GET` here answers the server's metrics in Prometheus' text format
    /// (`rtnotify_connections`, `rtnotify_bayeux_deliveries_total`, ...;
    /// docs/server.md lists them); empty: nowhere.
    std::string metrics_path = "/metrics";
    /// `GET` here answers `{"status":"ok"}` (200) while the server runs and
    /// `{"status":"stopping"}` (503) once `stop()` was called; empty: nowhere.
    std::string health_path = "/health";

    /// What answers HTTP requests (not upgrades) on the paths that neither
    /// Bayeux, SmartREST, Socket.IO nor the real-time paths take, such as
    /// the `kuzzle_service` of `ws_services` for Kuzzle's HTTP API; null: 404.
    std::shared_ptr<ws_service> http_api;

    session::server_options session;      ///< the Bayeux session engine
    bayeux::http_options http;            ///< the Bayeux HTTP binding (body, batch and callback limits)
    smartrest::registry_options templates; ///< the SmartREST template registry
    kuzzle_mqtt_options mqtt;             ///< what `listen_mqtt` serves (Kuzzle over MQTT)
    kuzzle_socketio_options socketio;     ///< Kuzzle over Socket.IO, under `socketio.path` when `socketio.service` is set

    /// Request line and headers, and the bytes of a request read but not
    /// parsed yet (a chunk-size line and its extensions); beyond: 431 (400
    /// for a chunk header). Also the most one socket read takes in.
    std::size_t max_header_bytes = 8 * 1024;
    std::size_t max_body_bytes = 1024 * 1024;    ///< request body, chunked or not; beyond: 413
    std::size_t max_connections = 10000;         ///< open sockets; beyond: 503 and close
    std::size_t max_connections_per_address = 1000; ///< open sockets from one client address; beyond: 503 and close
    std::size_t max_ws_message_bytes = 1024 * 1024; ///< one WebSocket message; beyond: close 1009
    std::size_t max_ws_backlog_bytes = 8 * 1024 * 1024; ///< unsent WebSocket bytes; beyond: close 1008
    /// What all connections buffer together: request bodies and WebSocket
    /// messages being read, responses and frames being written (text shared
    /// by several counted once). Beyond: a request body gets 503, a WebSocket
    /// message or a reader behind by more than 64 KiB closes with 1013.
    std::size_t max_buffered_bytes = std::size_t(256) << 20;
    /// What the connections of one client address may have counted in
    /// `max_buffered_bytes` while reading (request bodies, WebSocket
    /// messages), so that one address cannot take it all. Beyond: a request
    /// body gets 503, a WebSocket message being read closes with 1013.
    std::size_t max_buffered_bytes_per_address = std::size_t(32) << 20;
    std::chrono::milliseconds idle_timeout{60000};      ///< time to read a request (or wait for the next one)
    std::chrono::milliseconds write_timeout{30000};     ///< time to write a response
    /// After `stop()`, connections still open this long (a peer that does
    /// not read what is being written to it) are closed at once.
    std::chrono::milliseconds shutdown_grace{2000};
    /// A held SmartREST connect sends a space this often, as Cumulocity does every 10 minutes;
    /// the response is then chunked (HTTP/1.1) or ends with the connection (HTTP/1.0).
    std::chrono::milliseconds smartrest_keep_alive{600000};

    /// Which browser origins may call (CORS answers and WebSocket upgrades);
    /// by default any origin, without credentials.
    cors_policy cors;

    /** Who may use SmartREST (template registration and real-time requests
        with `X-Id`): given the request's `Authorization` header (empty:
        none), the client's address and the time, true serves the request;
        false answers `401` with `WWW-Authenticate: Basic`, as Cumulocity
        does. Empty: everyone.
    */
    std::function<bool(std::string_view authorization, std::string_view address, session::time_point now)>
        smartrest_credentials;

    /** Receives every Bayeux publish this server accepted (a client's, a
        SmartREST device's, or `server::publish`), on the strand, after
        its local subscribers got it: the seam of a cluster bus, which
        hands it to the other nodes (they call `server::publish_remote`).
        Empty: none.
    */
    std::function<void(session::published const&)> on_published;

    /** Receives every SmartREST template registration that created a
        collection here (the `POST`'s X-Id, body and the client's address),
        on the strand: a cluster bus hands it to the other nodes (they call
        `server::register_remote_templates`). Empty: none.
    */
    std::function<void(std::string_view xid, std::string_view body, std::string_view owner)> on_templates_registered;

    /** Receives each event a WebSocket service made for the other nodes of
        a cluster (`ws_service::take_cluster_events`: Kuzzle's document
        changes and realtime publishes), on the strand; they give it to
        `server::deliver_service_event`. Empty: none (the events are dropped).
    */
    std::function<void(std::string const&)> on_service_event;

    /** Receives every MQTT message a client published here (a PUBLISH, or
        the will of a client that left without DISCONNECT), Kuzzle's requests
        excepted, on the strand, after the subscribers here got it: a cluster
        bus hands it to the other nodes (they call `server::publish_mqtt_remote`).
        Empty: none.
    */
    std::function<void(std::string_view topic, std::string_view payload, std::uint8_t qos, bool retain)>
        on_mqtt_published;

    /// More metric families for `metrics_path` to answer (a cluster bus's), called on the strand; empty: none.
    std::function<std::vector<metric_family>()> more_metrics;

    /// Its place in a group of servers, one per thread (`server_group` sets it); alone by default.
    sharding_options sharding;

    /// Receives one line per event worth a log (listening, sessions, refusals, shutdown).
    std::function<void(std::string_view)> log;

    /// Receives one entry per HTTP response and WebSocket upgrade (an access log); empty: none.
    std::function<void(access_entry const&)> access_log;
};

/** The first setting of `o` out of its range, or none (the session
    engine's are named `session.…`). `beast::server` throws
    `std::invalid_argument` naming it.

    Sizes and counts run from 1 (`max_header_bytes` from 512, room for a
    request line); durations from 1 ms to `max_setting_duration` (one day).
*/
inline std::optional<invalid_setting> check_settings(server_options const& o)
{
    if(auto bad = prefixed("session.", session::check_settings(o.session)))
        return bad;
    if(auto bad = prefixed("mqtt.", check_settings(o.mqtt)))
        return bad;
    if(auto bad = prefixed("socketio.", check_settings(o.socketio)))
        return bad;
    if(auto bad = prefixed("templates.", smartrest::check_settings(o.templates)))
        return bad;
    if(o.max_header_bytes < 512)
        return invalid_setting{"max_header_bytes", "must be at least 512"};
    if(o.sharding.count < 1 || o.sharding.count > shard_tags.size())
        return invalid_setting{"sharding.count", "must be from 1 to " + std::to_string(shard_tags.size())};
    if(o.sharding.index >= o.sharding.count)
        return invalid_setting{"sharding.index", "must be below sharding.count"};
    if(o.sharding.count > 1 && !o.sharding.hand_off)
        return invalid_setting{"sharding.hand_off", "is needed when sharding.count is more than 1"};
    for(auto const& [name, value] : {std::pair<char const*, std::size_t>{"max_body_bytes", o.max_body_bytes},
                                     {"max_connections", o.max_connections},
                                     {"max_connections_per_address", o.max_connections_per_address},
                                     {"max_ws_message_bytes", o.max_ws_message_bytes},
                                     {"max_ws_backlog_bytes", o.max_ws_backlog_bytes},
                                     {"max_buffered_bytes", o.max_buffered_bytes},
                                     {"max_buffered_bytes_per_address", o.max_buffered_bytes_per_address},
                                     {"http.limits.max_body_size", o.http.limits.max_body_size},
                                     {"http.limits.max_messages", o.http.limits.max_messages},
                                     {"http.limits.max_depth", o.http.limits.max_depth},
                                     {"http.limits.max_string_length", o.http.limits.max_string_length}})
        if(auto bad = rtnotify::detail::at_least_one(name, value))
            return bad;
    for(auto const& [name, value] :
        {std::pair<char const*, std::chrono::milliseconds>{"idle_timeout", o.idle_timeout},
         {"write_timeout", o.write_timeout},
         {"shutdown_grace", o.shutdown_grace},
         {"smartrest_keep_alive", o.smartrest_keep_alive}})
        if(auto bad = rtnotify::detail::duration_within(name, value, std::chrono::milliseconds{1}))
            return bad;
    return std::nullopt;
}

} // namespace rtnotify::beast

#endif
