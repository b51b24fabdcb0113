// Checks that a string is well-formed UTF-8 as MQTT requires (no U+0000, no surrogates).
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_MQTT_DETAIL_UTF8_HPP
#define RTNOTIFY_MQTT_DETAIL_UTF8_HPP

#include <cstddef>
#include <string_view>

namespace rtnotify::mqtt::detail {

/** True when `s` is well-formed UTF-8 (RFC 3629: shortest forms, no
    surrogates, nothing above U+10FFFF) without U+0000, the rules of
    MQTT 3.1.1 section 1.5.3.
*/
inline bool is_mqtt_utf8(std::string_view s) noexcept
{
    auto const* p = reinterpret_cast<unsigned char const*>(s.data());
    auto const* const end = p + s.size();
    while(p != end)
    {
        unsigned const c = *p++;
        if(c == 0)
            return false;
        if(c < 0x80)
            continue;
        std::size_t more;
        unsigned lo = 0x80, hi = 0xBF; // the range of the second byte
        if(c >= 0xC2 && c <= 0xDF)
            more = 1;
        else if(c >= 0xE0 && c <= 0xEF)
        {
            more = 2;
            if(c == 0xE0)
                lo = 0xA0; // no overlong three-byte forms
            else if(c == 0xED)
                hi = 0x9F; // no surrogates
        }
        else if(c >= 0xF0 && c <= 0xF4)
        {
            more = 3;
            if(c == 0xF0)
                lo = 0x90; // no overlong four-byte forms
            else if(c == 0xF4)
                hi = 0x8F; // nothing above U+10FFFF
        }
        else
            return false;
        if(static_cast<std::size_t>(end - p) < more || *p < lo || *p > hi)
            return false;
        for(++p, --more; more != 0; --more, ++p)
            if((*p & 0xC0) != 0x80)
                return false;
    }
    return true;
}

} // namespace rtnotify::mqtt::detail

#endif
