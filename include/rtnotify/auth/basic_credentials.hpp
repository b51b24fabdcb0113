// The user name and password of an HTTP `Authorization: Basic` header (RFC 7617).
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_AUTH_BASIC_CREDENTIALS_HPP
#define RTNOTIFY_AUTH_BASIC_CREDENTIALS_HPP

#include <openssl/evp.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace rtnotify::auth {

/// A user name and password, as a client sent them.
struct basic_credentials
{
    std::string user;
    std::string password;
};

/// Encoded headers longer than this are refused unread.
inline constexpr std::size_t max_basic_header_bytes = 4096;

/** The credentials of an `Authorization` header value `Basic <base64 of
    user:password>` (the scheme's case ignored); nothing for another scheme,
    malformed base64 (padding is required), or a decoded text without `:` or
    with a control character.
*/
inline std::optional<basic_credentials> parse_basic_authorization(std::string_view header)
{
    constexpr std::string_view scheme = "basic ";
    if(header.size() <= scheme.size() || header.size() > max_basic_header_bytes)
        return std::nullopt;
    for(std::size_t i = 0; i < scheme.size(); ++i)
        if((header[i] | 0x20) != scheme[i])
            return std::nullopt;
    auto b64 = header.substr(scheme.size());
    while(!b64.empty() && b64.front() == ' ')
        b64.remove_prefix(1);
    if(b64.empty() || b64.size() % 4 != 0)
        return std::nullopt;
    for(std::size_t i = 0; i < b64.size(); ++i)
    {
        char const c = b64[i];
        bool const alphabet = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
                              c == '/';
        bool const padding = c == '=' && i + 2 >= b64.size() && (i + 1 == b64.size() || b64.back() == '=');
        if(!alphabet && !padding)
            return std::nullopt;
    }
    std::string text(b64.size() / 4 * 3, '\0');
    auto const n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(text.data()),
                                   reinterpret_cast<unsigned char const*>(b64.data()), static_cast<int>(b64.size()));
    if(n < 0)
        return std::nullopt;
    // EVP_DecodeBlock counts the padding's bytes as zeros
    auto const pad = std::size_t(b64.back() == '=') + std::size_t(b64[b64.size() - 2] == '=');
    text.resize(static_cast<std::size_t>(n) - pad);
    auto const colon = text.find(':');
    if(colon == std::string::npos)
        return std::nullopt;
    for(unsigned char c : text)
        if(c < 0x20 || c == 0x7f)
            return std::nullopt;
    return basic_credentials{text.substr(0, colon), text.substr(colon + 1)};
}

} // namespace rtnotify::auth

#endif
