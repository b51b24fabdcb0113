// The Bayeux client's state machine: its states, what moves it, and the table of every transition.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_SESSION_CLIENT_STATE_HPP
#define RTNOTIFY_SESSION_CLIENT_STATE_HPP

#include <rtnotify/detail/transition_table.hpp>

#include <optional>

namespace rtnotify::session {

/// Where a client is in the protocol.
enum class client_state
{
    unconnected,  ///< nothing sent yet
    handshaking,  ///< a handshake is due or on its way
    connecting,   ///< handshake done, no connect answered yet
    connected,    ///< connects are answered
    disconnected, ///< disconnected by the application, or told `reconnect:"none"`
};

/// What moves a client from one state to another.
enum class client_trigger
{
    start,              ///< the application calls `handshake`
    handshake_accepted, ///< a successful handshake reply
    connect_accepted,   ///< a successful connect reply
    rehandshake,        ///< the server's advice is `handshake` (its session is gone)
    stop,               ///< the disconnect is done, the advice is `none`, or the application leaves
};

/// One row of `client_transitions`.
using client_transition = rtnotify::detail::transition<client_state, client_trigger>;

/** Every transition of `session::client`; a trigger not listed for a state
    leaves it where it is and does nothing else.

    `rehandshake` is not listed from `disconnected`: a client that left does
    not come back on the server's advice, only when the application calls
    `handshake` again. `handshake_accepted` is listed from `handshaking` only:
    a handshake reply that arrives after the application left does not bring
    the client back either.
*/
inline constexpr client_transition client_transitions[] = {
    {client_state::unconnected, client_trigger::start, client_state::handshaking},
    {client_state::handshaking, client_trigger::start, client_state::handshaking},
    {client_state::connecting, client_trigger::start, client_state::handshaking},
    {client_state::connected, client_trigger::start, client_state::handshaking},
    {client_state::disconnected, client_trigger::start, client_state::handshaking},

    {client_state::handshaking, client_trigger::handshake_accepted, client_state::connecting},

    {client_state::connecting, client_trigger::connect_accepted, client_state::connected},
    {client_state::connected, client_trigger::connect_accepted, client_state::connected},

    {client_state::handshaking, client_trigger::rehandshake, client_state::handshaking},
    {client_state::connecting, client_trigger::rehandshake, client_state::handshaking},
    {client_state::connected, client_trigger::rehandshake, client_state::handshaking},

    {client_state::unconnected, client_trigger::stop, client_state::disconnected},
    {client_state::handshaking, client_trigger::stop, client_state::disconnected},
    {client_state::connecting, client_trigger::stop, client_state::disconnected},
    {client_state::connected, client_trigger::stop, client_state::disconnected},
    {client_state::disconnected, client_trigger::stop, client_state::disconnected},
};

/// The state `trigger` moves a client in `from` to, or nothing when the table has no such row.
constexpr std::optional<client_state> next_client_state(client_state from, client_trigger trigger) noexcept
{
    return rtnotify::detail::next_state(client_transitions, from, trigger);
}

/// True in the states where the client has a session to send messages and connects on.
constexpr bool has_session(client_state s) noexcept
{
    return s == client_state::connecting || s == client_state::connected;
}

} // namespace rtnotify::session

#endif
