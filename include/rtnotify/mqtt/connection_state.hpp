// The MQTT broker's state machine for one connection: its states, what moves it, and the table of every transition.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_MQTT_CONNECTION_STATE_HPP
#define RTNOTIFY_MQTT_CONNECTION_STATE_HPP

#include <rtnotify/detail/transition_table.hpp>

namespace rtnotify::mqtt {

/// Where one network connection is, as the broker sees it.
enum class connection_state
{
    awaiting_connect, ///< accepted; nothing but CONNECT may come
    connected,        ///< CONNACK 0 sent: a session is attached
    closed,           ///< closed by the broker or gone; nothing more is sent
};

/// What moves a connection from one state to another.
enum class connection_trigger
{
    accepted,  ///< a CONNECT the broker answered with CONNACK 0
    refused,   ///< a CONNECT answered with another code
    disconnect,///< the client sent DISCONNECT (its will is discarded)
    violation, ///< a malformed packet or one breaking the protocol
    expired,   ///< no CONNECT in time, or the keep-alive ran out
    taken_over,///< another connection connected with the same client identifier
    gone,      ///< the transport says the connection is closed
};

/// One row of `connection_transitions`.
using connection_transition = rtnotify::detail::transition<connection_state, connection_trigger>;

/** Every transition of a connection in `mqtt::broker`; a trigger not listed
    for a state is a mistake of the broker's, asserted in debug builds.
    A connection leaves `connected` abnormally (not by `disconnect`) when the
    will of its CONNECT is published.
*/
inline constexpr connection_transition connection_transitions[] = {
    {connection_state::awaiting_connect, connection_trigger::accepted, connection_state::connected},
    {connection_state::awaiting_connect, connection_trigger::refused, connection_state::closed},
    {connection_state::awaiting_connect, connection_trigger::violation, connection_state::closed},
    {connection_state::awaiting_connect, connection_trigger::expired, connection_state::closed},
    {connection_state::awaiting_connect, connection_trigger::gone, connection_state::closed},

    {connection_state::connected, connection_trigger::disconnect, connection_state::closed},
    {connection_state::connected, connection_trigger::violation, connection_state::closed},
    {connection_state::connected, connection_trigger::expired, connection_state::closed},
    {connection_state::connected, connection_trigger::taken_over, connection_state::closed},
    {connection_state::connected, connection_trigger::gone, connection_state::closed},
};

} // namespace rtnotify::mqtt

#endif
