// rtnotify/detail/header_lists.hpp: reading HTTP header values that are lists (`a=1; b=2`), item by item, without the blanks around them.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_DETAIL_HEADER_LISTS_HPP
#define RTNOTIFY_DETAIL_HEADER_LISTS_HPP

#include <string_view>

namespace rtnotify::detail {

/// `s` without the optional whitespace (spaces and tabs, RFC 9110 section 5.6.3) around it.
inline std::string_view trim_ows(std::string_view s) noexcept
{
    while(!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while(!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

/// Takes the first item of `list` (up to `separator`, trimmed) off it and returns it.
inline std::string_view next_item(std::string_view& list, char separator) noexcept
{
    auto const end = list.find(separator);
    auto const item = trim_ows(list.substr(0, end));
    list = end == std::string_view::npos ? std::string_view() : list.substr(end + 1);
    return item;
}

} // namespace rtnotify::detail

#endif
