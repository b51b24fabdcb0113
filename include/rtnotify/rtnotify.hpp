// Umbrella header of the library's dependency-free areas: SmartREST, Bayeux, MQTT, Socket.IO, the session engines.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_RTNOTIFY_HPP
#define RTNOTIFY_RTNOTIFY_HPP

/** The areas of target `rtnotify`, which needs Boost only: the SmartREST
    and Bayeux codecs, the MQTT 3.1.1 codec, the Socket.IO codecs and socket,
    and the session engines. The filter rooms
    (<rtnotify/rooms.hpp>, target `rtnotify::rooms`, which needs RE2) and
    the Beast bindings (<rtnotify/beast/server.hpp>, <rtnotify/beast/client.hpp>,
    target `rtnotify::beast`) are included on their own.
*/

#include <rtnotify/bayeux.hpp>
#include <rtnotify/error.hpp>
#include <rtnotify/mqtt.hpp>
#include <rtnotify/session.hpp>
#include <rtnotify/settings.hpp>
#include <rtnotify/smartrest.hpp>
#include <rtnotify/socketio.hpp>

#endif
