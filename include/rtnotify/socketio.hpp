// Umbrella header of Socket.IO: the Engine.IO and Socket.IO codecs and the server-side socket engine.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_SOCKETIO_HPP
#define RTNOTIFY_SOCKETIO_HPP

/// Socket.IO over Engine.IO (protocols 3 and 4): packets, polling payloads, the server-side socket.

#include <rtnotify/socketio/decode_options.hpp>
#include <rtnotify/socketio/diagnostic.hpp>
#include <rtnotify/socketio/engineio_packet.hpp>
#include <rtnotify/socketio/engineio_payload.hpp>
#include <rtnotify/socketio/error.hpp>
#include <rtnotify/socketio/packet.hpp>
#include <rtnotify/socketio/request.hpp>
#include <rtnotify/socketio/socket.hpp>
#include <rtnotify/socketio/socket_options.hpp>

#endif
