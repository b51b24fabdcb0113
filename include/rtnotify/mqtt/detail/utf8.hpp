// Checks that a string is well-formed UTF-8 as MQTT requires (no U+0000, no surrogates).
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_MQTT_DETAIL_UTF8_HPP
#define RTNOTIFY_MQTT_DETAIL_UTF8_HPP

#include <rtnotify/detail/utf8.hpp>

#include <cstddef>
#include <string_view>

namespace rtnotify::mqtt::detail {

/** True when `s` is well-formed UTF-8 (RFC 3629: shortest forms, no
    surrogates, nothing above U+10FFFF) without U+0000, the rules of
    MQTT 3.1.1 section 1.5.3.
*/
inline bool is_mqtt_utf8(std::string_view s) noexcept
{
    while(!s.empty())
    {
        auto const n = rtnotify::detail::utf8_sequence_length(s);
        if(n == 0 || s[0] == '\0')
            return false;
        s.remove_prefix(n);
    }
    return true;
}

} // namespace rtnotify::mqtt::detail

#endif
