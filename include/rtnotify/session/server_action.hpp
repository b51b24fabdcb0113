// What the server engine asks its transport to do: sends, and what it reports.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_SESSION_SERVER_ACTION_HPP
#define RTNOTIFY_SESSION_SERVER_ACTION_HPP

#include <rtnotify/bayeux/encode.hpp>
#include <rtnotify/bayeux/message.hpp>
#include <rtnotify/session/clock.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace rtnotify::session {

/** Identifies where replies go: one HTTP request, or one WebSocket connection.

    The transport picks the values; the engine only compares them.
*/
using exchange_id = std::uint64_t;

/// What an exchange can carry: decides whether deliveries may be pushed on it.
enum class exchange_kind
{
    request, ///< one HTTP request: answered once, then over
    socket,  ///< a WebSocket: many replies, and deliveries pushed as they come
};

/** A message published to subscribers, as every queue holds it.

    Made once per publish: the message and its JSON text are shared by every
    recipient's queue and every frame that carries it, never copied.
*/
struct delivery
{
    std::shared_ptr<bayeux::message const> message;
    std::shared_ptr<std::string const> json; ///< `bayeux::encode(*message)`
    time_point accepted{};                   ///< when the server took the message in (its wait starts there)

    /// What it weighs in a queue's byte budget: the length of its JSON text.
    std::size_t bytes() const noexcept { return json->size(); }
};

/// The delivery of `m`, encoded now, which the server took in at `accepted`.
inline delivery make_delivery(std::shared_ptr<bayeux::message const> m, time_point accepted)
{
    auto json = std::make_shared<std::string const>(bayeux::encode(*m));
    return {std::move(m), std::move(json), accepted};
}

/// A delivery in a `send`: it goes out after the first `after` replies of `send::messages`.
struct placed_delivery
{
    delivery what;
    std::size_t after = 0;
};

/** Messages to send on an exchange, in one batch.

    With `push` false this is the response to the request `exchange` (send it
    and the exchange is over); with `push` true it is an unsolicited frame on
    the connection `exchange` (WebSocket deliveries).

    The replies are `messages`; the deliveries are shared with other sends
    and placed among the replies (a connect reply is followed by the
    deliveries it carries). `for_each_in_order` walks both as they go out.
*/
struct send
{
    exchange_id exchange = 0;
    std::vector<bayeux::message> messages;
    std::vector<placed_delivery> deliveries; ///< sorted by `after`
    bool push = false;
};

/// Calls `reply(message const&)` for each reply of `s` and `deliver(delivery const&)` for each delivery, in sending order.
template<class OnReply, class OnDelivery>
void for_each_in_order(send const& s, OnReply&& reply, OnDelivery&& deliver)
{
    std::size_t d = 0;
    for(std::size_t r = 0; r <= s.messages.size(); ++r)
    {
        for(; d < s.deliveries.size() && s.deliveries[d].after <= r; ++d)
            deliver(s.deliveries[d].what);
        if(r < s.messages.size())
            reply(s.messages[r]);
    }
}

/// The messages of `s` in sending order, deliveries copied: for an in-process peer that takes messages by value.
inline std::vector<bayeux::message> messages_in_order(send const& s)
{
    std::vector<bayeux::message> out;
    out.reserve(s.messages.size() + s.deliveries.size());
    for_each_in_order(
        s, [&](bayeux::message const& m) { out.push_back(m); },
        [&](delivery const& d) { out.push_back(*d.message); });
    return out;
}

/** A publish the server accepted (from a client or `server::publish`): hand it to other nodes.

    The message and its JSON text are shared with the deliveries, not copied.
*/
struct published
{
    std::shared_ptr<bayeux::message const> message;
    std::shared_ptr<std::string const> json; ///< `bayeux::encode(*message)`, as subscribers receive it
};

/// Deliveries to `client_id` were dropped because its queue was full.
struct overflowed
{
    std::string client_id;
    std::size_t dropped = 0;
};

/// Why a session ended.
enum class close_reason
{
    disconnected, ///< the client sent `/meta/disconnect`
    expired,      ///< no connect within `max_interval`
    overflow,     ///< its queue overflowed under `overflow_policy::close_session`
    closed,       ///< the application called `server::close`
};

/// A session ended; its subscriptions and queue are gone.
struct session_closed
{
    std::string client_id;
    close_reason reason = close_reason::disconnected;
};

/// A message to a `/service/**` channel: for the application only, never broadcast.
struct service_request
{
    std::string client_id;
    std::shared_ptr<bayeux::message const> message;
};

/// Something the server asks its caller to do or to know.
using server_action = std::variant<send, published, overflowed, session_closed, service_request>;

} // namespace rtnotify::session

#endif
