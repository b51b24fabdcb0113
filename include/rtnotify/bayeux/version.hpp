// Bayeux protocol versions: the grammar of a version string, and their order.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BAYEUX_VERSION_HPP
#define RTNOTIFY_BAYEUX_VERSION_HPP

#include <algorithm>
#include <string_view>

namespace rtnotify::bayeux {

/// True when `v` follows the spec's grammar: an integer, then `.` and elements of letters, digits, `-` and `_`.
inline bool valid_version(std::string_view v) noexcept
{
    auto const alnum = [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
    auto const dot = v.find('.');
    auto const major = v.substr(0, dot);
    if(major.empty() || !std::all_of(major.begin(), major.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return false;
    for(auto rest = dot == std::string_view::npos ? std::string_view() : v.substr(dot); !rest.empty();)
    {
        rest.remove_prefix(1); // the dot
        auto const end = rest.find('.');
        auto const element = rest.substr(0, end);
        if(element.empty() || !alnum(element.front()) ||
           !std::all_of(element.begin(), element.end(), [&](char c) { return alnum(c) || c == '-' || c == '_'; }))
            return false;
        rest = end == std::string_view::npos ? std::string_view() : rest.substr(end);
    }
    return true;
}

/** Compares two Bayeux versions element by element (numerically when both
    elements are digits; a missing element counts as `0`).
    @return -1, 0 or 1 as `a` is older than, the same as or newer than `b`.
*/
inline int compare_versions(std::string_view a, std::string_view b) noexcept
{
    auto next = [](std::string_view& s) {
        auto const dot = s.find('.');
        auto const e = s.substr(0, dot);
        s = dot == std::string_view::npos ? std::string_view() : s.substr(dot + 1);
        return e;
    };
    auto digits = [](std::string_view e) {
        return !e.empty() && std::all_of(e.begin(), e.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    while(!a.empty() || !b.empty())
    {
        auto x = next(a);
        auto y = next(b);
        if(x.empty())
            x = "0";
        if(y.empty())
            y = "0";
        if(digits(x) && digits(y))
        {
            x.remove_prefix(std::min(x.find_first_not_of('0'), x.size() - 1));
            y.remove_prefix(std::min(y.find_first_not_of('0'), y.size() - 1));
            if(x.size() != y.size())
                return x.size() < y.size() ? -1 : 1;
        }
        if(auto const c = x.compare(y); c != 0)
            return c < 0 ? -1 : 1;
    }
    return 0;
}

} // namespace rtnotify::bayeux

#endif
