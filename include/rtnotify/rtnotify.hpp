// Umbrella header of the whole library.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_RTNOTIFY_HPP
#define RTNOTIFY_RTNOTIFY_HPP

/// The whole library: include this, or only the area headers you need.

#include <rtnotify/bayeux.hpp>
#include <rtnotify/error.hpp>
#include <rtnotify/session.hpp>
#include <rtnotify/smartrest.hpp>

#endif
