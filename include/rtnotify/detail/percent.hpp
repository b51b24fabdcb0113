// Decoding of `%XX` escapes (URLs, forms, queries): the one decoder every area uses.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_DETAIL_PERCENT_HPP
#define RTNOTIFY_DETAIL_PERCENT_HPP

#include <optional>
#include <string>
#include <string_view>

namespace rtnotify::detail {

/// The value of the hex digit `c`, or -1.
constexpr int hex_digit(char c) noexcept
{
    if(c >= '0' && c <= '9')
        return c - '0';
    if(c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if(c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/** `text` with its `%XX` escapes decoded, and `+` as a space when
    `plus_is_space` (forms and queries); empty when an escape is malformed.
*/
inline std::optional<std::string> percent_decoded(std::string_view text, bool plus_is_space = false)
{
    std::string out;
    out.reserve(text.size());
    for(std::size_t i = 0; i < text.size(); ++i)
    {
        if(text[i] == '%')
        {
            if(text.size() - i < 3)
                return std::nullopt;
            int const hi = hex_digit(text[i + 1]), lo = hex_digit(text[i + 2]);
            if(hi < 0 || lo < 0)
                return std::nullopt;
            out.push_back(static_cast<char>(hi * 16 + lo));
            i += 2;
        }
        else
            out.push_back(plus_is_space && text[i] == '+' ? ' ' : text[i]);
    }
    return out;
}

} // namespace rtnotify::detail

#endif
