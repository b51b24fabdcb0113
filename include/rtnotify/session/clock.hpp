// The time the engines are given: time points and durations, never read from a clock.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_SESSION_CLOCK_HPP
#define RTNOTIFY_SESSION_CLOCK_HPP

#include <chrono>

namespace rtnotify::session {

/** The time the engines are given.

    The engines never read a clock: every entry point takes `now`, and tests
    drive them with a virtual clock (any `time_point` value will do).
*/
using time_point = std::chrono::steady_clock::time_point;

/// Durations in the engines' options, in milliseconds as on the wire.
using duration = std::chrono::milliseconds;

} // namespace rtnotify::session

#endif
