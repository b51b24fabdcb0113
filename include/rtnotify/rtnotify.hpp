//
// rtnotify: header-only C++20 library for real-time notification protocols.
//
#ifndef RTNOTIFY_RTNOTIFY_HPP
#define RTNOTIFY_RTNOTIFY_HPP

/// The whole library: include this, or only the area headers you need.

#include <rtnotify/bayeux.hpp>
#include <rtnotify/error.hpp>
#include <rtnotify/session.hpp>
#include <rtnotify/smartrest.hpp>

#endif
