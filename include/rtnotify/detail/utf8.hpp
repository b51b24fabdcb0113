// Walks well-formed UTF-8 one code point at a time (RFC 3629), for the codecs that must check or count it.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_DETAIL_UTF8_HPP
#define RTNOTIFY_DETAIL_UTF8_HPP

#include <cstddef>
#include <string_view>

namespace rtnotify::detail {

/** The length in bytes (1 to 4) of the well-formed UTF-8 sequence that
    starts `s`, or 0 when `s` is empty or starts with an ill-formed one:
    RFC 3629 shortest forms, no surrogates, nothing above U+10FFFF.
*/
inline std::size_t utf8_sequence_length(std::string_view s) noexcept
{
    if(s.empty())
        return 0;
    auto const* p = reinterpret_cast<unsigned char const*>(s.data());
    unsigned const c = p[0];
    if(c < 0x80)
        return 1;
    std::size_t n;
    unsigned lo = 0x80, hi = 0xBF; // the range of the second byte
    if(c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if(c >= 0xE0 && c <= 0xEF)
    {
        n = 3;
        if(c == 0xE0)
            lo = 0xA0; // no overlong three-byte forms
        else if(c == 0xED)
            hi = 0x9F; // no surrogates
    }
    else if(c >= 0xF0 && c <= 0xF4)
    {
        n = 4;
        if(c == 0xF0)
            lo = 0x90; // no overlong four-byte forms
        else if(c == 0xF4)
            hi = 0x8F; // nothing above U+10FFFF
    }
    else
        return 0;
    if(s.size() < n || p[1] < lo || p[1] > hi)
        return 0;
    for(std::size_t i = 2; i < n; ++i)
        if((p[i] & 0xC0) != 0x80)
            return 0;
    return n;
}

} // namespace rtnotify::detail

#endif
