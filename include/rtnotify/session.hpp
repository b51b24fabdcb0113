// Umbrella header of the sans-I/O session engines.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_SESSION_HPP
#define RTNOTIFY_SESSION_HPP

/// The sans-I/O session engines: Bayeux server and client, and the SmartREST real-time bridge.

#include <rtnotify/session/ack.hpp>
#include <rtnotify/session/address_counts.hpp>
#include <rtnotify/session/client.hpp>
#include <rtnotify/session/client_state.hpp>
#include <rtnotify/session/clock.hpp>
#include <rtnotify/session/device.hpp>
#include <rtnotify/session/device_state.hpp>
#include <rtnotify/session/server.hpp>
#include <rtnotify/session/server_action.hpp>
#include <rtnotify/session/server_options.hpp>
#include <rtnotify/session/session_state.hpp>
#include <rtnotify/session/smartrest_bridge.hpp>
#include <rtnotify/session/timesync.hpp>

#endif
