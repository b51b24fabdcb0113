// The time the engines are given: time points and durations, never read from a clock.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_SESSION_CLOCK_HPP
#define RTNOTIFY_SESSION_CLOCK_HPP

#include <chrono>
#include <cstdint>

namespace rtnotify::session {

/** The time the engines are given.

    The engines never read a clock: every entry point takes `now`, and tests
    drive them with a virtual clock (any `time_point` value will do).
*/
using time_point = std::chrono::steady_clock::time_point;

/// Durations in the engines' options, in milliseconds as on the wire.
using duration = std::chrono::milliseconds;

/// `t` as a count of milliseconds, for code that keeps time as numbers (`auth::authenticator`).
inline std::int64_t milliseconds_of(time_point t)
{
    return std::chrono::duration_cast<duration>(t.time_since_epoch()).count();
}

} // namespace rtnotify::session

#endif
