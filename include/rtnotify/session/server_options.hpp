// Settings and limits of the server engine.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_SESSION_SERVER_OPTIONS_HPP
#define RTNOTIFY_SESSION_SERVER_OPTIONS_HPP

#include <rtnotify/bayeux/message.hpp>
#include <rtnotify/session/address_counts.hpp>
#include <rtnotify/session/clock.hpp>
#include <rtnotify/session/detail/client_id.hpp>
#include <rtnotify/settings.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rtnotify::session {

/** What a subscription weighs in `max_total_subscription_bytes` besides
    twice its channel's length (the session's copy and the index's): its
    entries and their allocations. Measured with rtnotify-server: about
    390 bytes plus 2.07 per byte of channel.
*/
inline constexpr std::size_t subscription_overhead = 512;

/// What one entry of a queue weighs in `max_total_queue_bytes` besides the delivery's text (counted once for all queues).
inline constexpr std::size_t queue_slot_overhead = 64;

/// What the server does when a delivery finds a client's queue full.
enum class overflow_policy
{
    drop_oldest,   ///< the oldest undelivered message is dropped to make room
    drop_newest,   ///< the new message is not queued for this client
    close_session, ///< the session is closed; the client must handshake again
};

/// What the transport knows of who sent a handshake.
struct handshake_credentials
{
    /// The HTTP `Authorization` header of the request, or of the WebSocket
    /// upgrade the handshake came on; empty: none.
    std::string_view authorization;
    std::string_view owner; ///< the client's address (`server::receive`'s `owner`); empty: unknown
};

/// A session, as the policy sees it.
struct session_identity
{
    std::string_view client_id;
    std::string_view principal; ///< what `authenticate` named (empty: anonymous)
};

/** Decisions the application makes about remote clients.

    An empty function allows. Denials are answered with `403` errors
    (`handshake_denied` with `reconnect:"none"`, `Subscription denied`,
    `Publish denied`).
*/
struct security_policy
{
    /** Who opens a session with this handshake: the principal's name (kept
        with the session; empty: anonymous), or nothing to refuse it. Called
        with the handshake (its `ext` may carry credentials), what the
        transport knows, and the time.
    */
    std::function<std::optional<std::string>(bayeux::message const& handshake, handshake_credentials const& from,
                                              time_point now)>
        authenticate;
    /// May the session subscribe to this channel or pattern?
    std::function<bool(session_identity const& who, std::string_view channel)> can_subscribe;
    /// May the session publish to this channel?
    std::function<bool(session_identity const& who, std::string_view channel)> can_publish;
};

/** A message hook, e.g. authentication carried in `ext`.

    `incoming` sees every message from a client before it is processed
    (`client_id` is empty for a handshake); returning false drops it, and the
    client gets `404::message_deleted`. `outgoing` sees every reply and
    delivery before it is sent; returning false removes it from what is sent.
*/
struct extension
{
    std::function<bool(std::string_view client_id, bayeux::message& m)> incoming;
    std::function<bool(std::string_view client_id, bayeux::message& m)> outgoing;
};

/// Settings and hooks of `session::server`; the defaults are safe for input from the network.
struct server_options
{
    /// Connection types the server offers, in order of preference.
    std::vector<std::string> connection_types{"long-polling", "callback-polling", "websocket"};
    /// Connection types whose deliveries are pushed as soon as they are queued.
    std::vector<std::string> push_connection_types{"websocket"};
    duration timeout{20000};            ///< how long a connect is held; `advice.timeout`
    duration max_client_timeout{60000}; ///< upper bound of a client's own `advice.timeout`
    duration interval{0};               ///< `advice.interval`
    duration max_interval{10000};       ///< a session without a connect for this long (after `interval`) expires
    std::size_t max_sessions = 100000;      ///< handshakes beyond this are refused
    std::size_t max_sessions_per_owner = 1000; ///< sessions one client address may hold (`server::receive`)
    /// Where the sessions per owner are counted: the engines of a server
    /// group share one, so `max_sessions_per_owner` holds for the group;
    /// empty (the default): the engine counts its own.
    std::shared_ptr<address_counts> owner_counts;
    std::size_t max_queue = 1000;           ///< undelivered messages per client
    std::size_t max_queue_bytes = 8 * 1024 * 1024; ///< bytes of JSON those messages hold, per client
    /// Every queue together: the JSON of each delivery once, however many
    /// queues hold it, plus `queue_slot_overhead` per queue entry.
    std::size_t max_total_queue_bytes = std::size_t(64) << 20;
    std::size_t max_batch = 100;            ///< deliveries per connect reply
    std::size_t max_subscriptions = 1000;   ///< channels and patterns per client
    std::size_t max_channel_length = 1024;  ///< bytes of a channel or pattern a client names
    /// Every session's subscriptions together, each counted as twice its
    /// channel's length plus `subscription_overhead` bytes.
    std::size_t max_total_subscription_bytes = std::size_t(64) << 20;
    overflow_policy overflow = overflow_policy::drop_oldest;
    bool broadcast_to_publisher = true;     ///< a subscribed publisher receives its own message
    bool allow_non_strict_channels = false; ///< accept channel names only CometD accepts
    bool ack_extension = true;              ///< grant the acknowledgement extension when asked
    security_policy policy;
    std::vector<extension> extensions;
    /// Makes client ids; the default draws about 154 bits from the OS CSPRNG.
    std::function<std::string()> make_client_id = detail::random_client_id;
    /// The application's clock in milliseconds since 1970, read for CometD's
    /// timesync extension (session/timesync.hpp) on handshakes and connects
    /// that carry it; empty (the default): timesync replies are not given and
    /// the engine reads no clock.
    std::function<std::int64_t()> wall_clock_ms;
};

/** The first setting of `o` out of its range, or none. `session::server`
    throws `std::invalid_argument` naming it.

    Durations run from 0 to `max_setting_duration` (one day); counts
    (`max_sessions`, `max_sessions_per_owner`, `max_queue`, `max_queue_bytes`, `max_total_queue_bytes`, `max_batch`,
    `max_subscriptions`, `max_channel_length`, `max_total_subscription_bytes`) from 1.
*/
inline std::optional<invalid_setting> check_settings(server_options const& o)
{
    for(auto const& [name, value] : {std::pair<char const*, duration>{"timeout", o.timeout},
                                     {"max_client_timeout", o.max_client_timeout},
                                     {"interval", o.interval},
                                     {"max_interval", o.max_interval}})
        if(auto bad = rtnotify::detail::duration_within(name, value, duration{0}))
            return bad;
    for(auto const& [name, value] : {std::pair<char const*, std::size_t>{"max_sessions", o.max_sessions},
                                     {"max_sessions_per_owner", o.max_sessions_per_owner},
                                     {"max_queue", o.max_queue},
                                     {"max_queue_bytes", o.max_queue_bytes},
                                     {"max_total_queue_bytes", o.max_total_queue_bytes},
                                     {"max_batch", o.max_batch},
                                     {"max_subscriptions", o.max_subscriptions},
                                     {"max_channel_length", o.max_channel_length},
                                     {"max_total_subscription_bytes", o.max_total_subscription_bytes}})
        if(auto bad = rtnotify::detail::at_least_one(name, value))
            return bad;
    if(!o.make_client_id)
        return invalid_setting{"make_client_id", "must be set"};
    return std::nullopt;
}

} // namespace rtnotify::session

#endif
