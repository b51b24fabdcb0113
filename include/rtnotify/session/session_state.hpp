// The server's per-session state machine: a session's states, what moves it, the table of every transition.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_SESSION_SESSION_STATE_HPP
#define RTNOTIFY_SESSION_SESSION_STATE_HPP

#include <rtnotify/detail/transition_table.hpp>

#include <optional>

namespace rtnotify::session {

/** Where one session of `session::server` is in its connect cycle.

    Each live state has one deadline, which `server::on_timer` acts on: in
    `holding` the end of the hold (the held connect is answered), otherwise
    the session's expiry (`interval + max_interval` after its last answer).
*/
enum class session_state
{
    handshaken, ///< handshake answered, no connect answered yet (the first connect is never held)
    connected,  ///< a connect answered, none held: the client is expected to connect again
    holding,    ///< a connect is held, waiting for a delivery or the end of the hold
    closed,     ///< gone (disconnected, expired, overflowed or closed by the application)
};

/// What moves a session from one state to another.
enum class session_trigger
{
    connect_answered, ///< a connect was answered at once
    connect_held,     ///< a connect was held
    hold_ended,       ///< the held connect was answered, or its exchange was lost
    close,            ///< the session ends; a connect still held is answered first (`hold_ended`)
};

/// One row of `session_transitions`.
using session_transition = rtnotify::detail::transition<session_state, session_trigger>;

/// The state a session starts in, with its handshake.
inline constexpr session_state initial_session_state = session_state::handshaken;

/** Every transition of a session of `session::server`. The server fires
    no other: a connect that arrives while one is held ends the hold first,
    and so does closing a session that holds one.
*/
inline constexpr session_transition session_transitions[] = {
    {session_state::handshaken, session_trigger::connect_answered, session_state::connected},
    {session_state::connected, session_trigger::connect_answered, session_state::connected},
    {session_state::connected, session_trigger::connect_held, session_state::holding},
    {session_state::holding, session_trigger::hold_ended, session_state::connected},
    {session_state::handshaken, session_trigger::close, session_state::closed},
    {session_state::connected, session_trigger::close, session_state::closed},
};

/// The state `trigger` moves a session in `from` to, or nothing when the table has no such row.
constexpr std::optional<session_state> next_session_state(session_state from, session_trigger trigger) noexcept
{
    return rtnotify::detail::next_state(session_transitions, from, trigger);
}

} // namespace rtnotify::session

#endif
