// Unsigned decimal fields of SmartREST records.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_SMARTREST_DETAIL_NUMBER_HPP
#define RTNOTIFY_SMARTREST_DETAIL_NUMBER_HPP

#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>

namespace rtnotify::smartrest::detail {

/// `s` as an unsigned decimal: digits only, no sign, no blanks, no overflow.
inline std::optional<std::uint64_t> to_unsigned(std::string_view s) noexcept
{
    std::uint64_t v = 0;
    if(s.empty() || s.front() < '0' || s.front() > '9')
        return std::nullopt;
    auto const [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if(ec != std::errc() || end != s.data() + s.size())
        return std::nullopt;
    return v;
}

} // namespace rtnotify::smartrest::detail

#endif
