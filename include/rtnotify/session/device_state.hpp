// The SmartREST device engine's state machine: its states, what moves it, and the table of every transition.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_SESSION_DEVICE_STATE_HPP
#define RTNOTIFY_SESSION_DEVICE_STATE_HPP

#include <rtnotify/detail/transition_table.hpp>

#include <optional>

namespace rtnotify::session {

/// Where a SmartREST device is in the real-time flow (`80` → `81` → `83`...).
enum class device_state
{
    unconnected,  ///< nothing sent yet
    handshaking,  ///< an `80` is due or on its way
    subscribing,  ///< a client id is known; the `81` lines are due or on their way
    connected,    ///< subscribed: `83` long polls follow one another
    disconnected, ///< stopped by the application (`84`), or told `86,...,none`
};

/// What moves a device from one state to another.
enum class device_trigger
{
    start,               ///< the application calls `start`
    handshake_accepted,  ///< the `80` reply names a client id
    subscribe_accepted,  ///< the `81` reply has no error
    rehandshake,         ///< the advice is `handshake`, or the server no longer knows the client id
    stop,                ///< the application leaves, or the advice is `none`
};

/// One row of `device_transitions`.
using device_transition = rtnotify::detail::transition<device_state, device_trigger>;

/** Every transition of `session::device`; a trigger not listed for a state
    leaves it where it is and does nothing else.

    As for the Bayeux client, `rehandshake` is not listed from
    `disconnected`: a device that stopped comes back only when the
    application starts it again.
*/
inline constexpr device_transition device_transitions[] = {
    {device_state::unconnected, device_trigger::start, device_state::handshaking},
    {device_state::handshaking, device_trigger::start, device_state::handshaking},
    {device_state::subscribing, device_trigger::start, device_state::handshaking},
    {device_state::connected, device_trigger::start, device_state::handshaking},
    {device_state::disconnected, device_trigger::start, device_state::handshaking},

    {device_state::handshaking, device_trigger::handshake_accepted, device_state::subscribing},

    {device_state::subscribing, device_trigger::subscribe_accepted, device_state::connected},

    {device_state::handshaking, device_trigger::rehandshake, device_state::handshaking},
    {device_state::subscribing, device_trigger::rehandshake, device_state::handshaking},
    {device_state::connected, device_trigger::rehandshake, device_state::handshaking},

    {device_state::unconnected, device_trigger::stop, device_state::disconnected},
    {device_state::handshaking, device_trigger::stop, device_state::disconnected},
    {device_state::subscribing, device_trigger::stop, device_state::disconnected},
    {device_state::connected, device_trigger::stop, device_state::disconnected},
    {device_state::disconnected, device_trigger::stop, device_state::disconnected},
};

/// The state `trigger` moves a device in `from` to, or nothing when the table has no such row.
constexpr std::optional<device_state> next_device_state(device_state from, device_trigger trigger) noexcept
{
    return rtnotify::detail::next_state(device_transitions, from, trigger);
}

} // namespace rtnotify::session

#endif
