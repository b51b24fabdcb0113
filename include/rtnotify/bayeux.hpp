// Umbrella header of Bayeux 1.0: messages, channels, error strings, validation, the HTTP and WebSocket bindings.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BAYEUX_HPP
#define RTNOTIFY_BAYEUX_HPP

/// Bayeux 1.0: messages, batches, channels, error strings, validation, HTTP and WebSocket bindings.

#include <rtnotify/bayeux/channel.hpp>
#include <rtnotify/bayeux/decode.hpp>
#include <rtnotify/bayeux/encode.hpp>
#include <rtnotify/bayeux/error.hpp>
#include <rtnotify/bayeux/error_string.hpp>
#include <rtnotify/bayeux/http.hpp>
#include <rtnotify/bayeux/message.hpp>
#include <rtnotify/bayeux/subscription_index.hpp>
#include <rtnotify/bayeux/validate.hpp>
#include <rtnotify/bayeux/version.hpp>
#include <rtnotify/bayeux/websocket.hpp>

#endif
