// MQTT topic names and topic filters: their rules and how a filter matches a name.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_MQTT_TOPIC_HPP
#define RTNOTIFY_MQTT_TOPIC_HPP

#include <rtnotify/mqtt/error.hpp>

#include <string_view>

namespace rtnotify::mqtt {

/** Checks a topic name (what a PUBLISH is sent to): at least one byte and no
    wildcard (MQTT 3.1.1 section 4.7). UTF-8 is the decoder's check.

    @return empty, or `error::bad_topic_name`.
*/
inline error_code validate_topic_name(std::string_view name) noexcept
{
    if(name.empty() || name.find_first_of("+#") != std::string_view::npos)
        return error::bad_topic_name;
    return {};
}

/** Checks a topic filter (what a SUBSCRIBE names): at least one byte; `+`
    only as a whole level; `#` only as a whole level, and the last one.

    @return empty, or `error::bad_topic_filter`.
*/
inline error_code validate_topic_filter(std::string_view filter) noexcept
{
    if(filter.empty())
        return error::bad_topic_filter;
    for(std::size_t i = 0; i < filter.size(); ++i)
    {
        char const c = filter[i];
        if(c != '+' && c != '#')
            continue;
        bool const whole = (i == 0 || filter[i - 1] == '/') && (i + 1 == filter.size() || filter[i + 1] == '/');
        if(!whole || (c == '#' && i + 1 != filter.size()))
            return error::bad_topic_filter;
    }
    return {};
}

/** True when the valid topic filter `filter` matches the valid topic name
    `name`: `+` matches one level (empty ones too), a final `#` matches its
    parent level and everything under it, and a name starting with `$` is
    matched by no filter starting with a wildcard (MQTT 3.1.1 section 4.7.2).
*/
inline bool topic_matches(std::string_view filter, std::string_view name) noexcept
{
    if(!name.empty() && name.front() == '$' && !filter.empty() && (filter.front() == '+' || filter.front() == '#'))
        return false;
    for(;;)
    {
        auto const fcut = filter.find('/');
        auto const flevel = filter.substr(0, fcut);
        if(flevel == "#")
            return true;
        auto const ncut = name.find('/');
        if(flevel != "+" && flevel != name.substr(0, ncut))
            return false;
        if(fcut == std::string_view::npos || ncut == std::string_view::npos)
        {
            // One of them has no level left: a match only if both end here, or
            // the filter's one remaining level is "#" ("a/#" matches "a").
            if(fcut == std::string_view::npos)
                return ncut == std::string_view::npos;
            return filter.substr(fcut + 1) == "#";
        }
        filter.remove_prefix(fcut + 1);
        name.remove_prefix(ncut + 1);
    }
}

} // namespace rtnotify::mqtt

#endif
