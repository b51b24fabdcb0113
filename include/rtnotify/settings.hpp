// rtnotify/settings.hpp: range checks for option structs: which setting is out of range, and what it must be.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_SETTINGS_HPP
#define RTNOTIFY_SETTINGS_HPP

#include <chrono>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace rtnotify {

/// A setting out of its range: its name in the options struct (`session.max_queue`) and what it must be.
struct invalid_setting
{
    std::string name;
    std::string requirement; ///< e.g. "must be at least 1"

    /// "session.max_queue must be at least 1".
    std::string to_string() const { return name + " " + requirement; }
};

/// The longest time a duration setting accepts: one day (longer ones overflow deadlines or never end).
inline constexpr std::chrono::milliseconds max_setting_duration{86'400'000};

/// `bad` with `prefix` before its name (`session.` for the session engine's settings inside the server's).
inline std::optional<invalid_setting> prefixed(std::string_view prefix, std::optional<invalid_setting> bad)
{
    if(bad)
        bad->name.insert(0, prefix);
    return bad;
}

/// Throws `std::invalid_argument` with the text of `bad`, if any.
inline void throw_if_invalid(std::optional<invalid_setting> const& bad)
{
    if(bad)
        throw std::invalid_argument("invalid setting: " + bad->to_string());
}

namespace detail {

/// A count or size that must not be 0 (a bound of 0 would refuse everything or break an invariant).
inline std::optional<invalid_setting> at_least_one(std::string_view name, std::size_t v)
{
    if(v == 0)
        return invalid_setting{std::string(name), "must be at least 1"};
    return std::nullopt;
}

/// A duration from `min` to `max_setting_duration`.
inline std::optional<invalid_setting> duration_within(std::string_view name, std::chrono::milliseconds v,
                                                      std::chrono::milliseconds min)
{
    if(v < min || v > max_setting_duration)
        return invalid_setting{std::string(name), "must be from " + std::to_string(min.count()) + " to " +
                                                      std::to_string(max_setting_duration.count()) + " ms"};
    return std::nullopt;
}

} // namespace detail

} // namespace rtnotify

#endif
