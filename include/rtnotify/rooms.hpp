// Umbrella header of the filter rooms: the Koncorde DSL, rooms, the matcher, Kuzzle's API and its controllers.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_ROOMS_HPP
#define RTNOTIFY_ROOMS_HPP

/// Filter rooms (target `rtnotify::rooms`, which brings RE2 and `rtnotify::auth`).

#include <rtnotify/rooms/api_failure.hpp>
#include <rtnotify/rooms/auth_controller.hpp>
#include <rtnotify/rooms/canonical.hpp>
#include <rtnotify/rooms/document.hpp>
#include <rtnotify/rooms/document_controller.hpp>
#include <rtnotify/rooms/document_store.hpp>
#include <rtnotify/rooms/error.hpp>
#include <rtnotify/rooms/evaluate.hpp>
#include <rtnotify/rooms/filter.hpp>
#include <rtnotify/rooms/geo.hpp>
#include <rtnotify/rooms/kuzzle_api.hpp>
#include <rtnotify/rooms/matcher.hpp>
#include <rtnotify/rooms/notification.hpp>
#include <rtnotify/rooms/room_registry.hpp>

#endif
