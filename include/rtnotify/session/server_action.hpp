//
// rtnotify: header-only C++20 library for real-time notification protocols.
//
#ifndef RTNOTIFY_SESSION_SERVER_ACTION_HPP
#define RTNOTIFY_SESSION_SERVER_ACTION_HPP

#include <rtnotify/bayeux/message.hpp>

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

/** Messages to send on an exchange.

    With `push` false this is the response to the request `exchange` (send it
    and the exchange is over); with `push` true it is an unsolicited frame on
    the connection `exchange` (WebSocket deliveries).
*/
struct send
{
    exchange_id exchange = 0;
    std::vector<bayeux::message> messages;
    bool push = false;
};

/** A publish the server accepted (from a client or `server::publish`): hand it to other nodes.

    The message is shared with the deliveries, not copied.
*/
struct published
{
    std::shared_ptr<bayeux::message const> message;
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
