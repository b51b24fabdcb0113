// Base64url without padding (RFC 4648 section 5), as JSON Web Tokens use it, on OpenSSL's base64.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_AUTH_BASE64URL_HPP
#define RTNOTIFY_AUTH_BASE64URL_HPP

#include <openssl/evp.h>

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace rtnotify::auth {

/// `bytes` in base64url, without padding.
inline std::string base64url_encode(std::string_view bytes)
{
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    auto const n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                   reinterpret_cast<unsigned char const*>(bytes.data()), static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(n));
    while(!out.empty() && out.back() == '=')
        out.pop_back();
    std::replace(out.begin(), out.end(), '+', '-');
    std::replace(out.begin(), out.end(), '/', '_');
    return out;
}

/** The bytes `text` encodes in base64url without padding; nothing when it
    holds a character outside `[A-Za-z0-9_-]` (the index of the first one
    goes to `bad_at`), has a length no encoding has (4n + 1), or is not the
    canonical spelling (unused bits of its last character set).
*/
inline std::optional<std::string> base64url_decode(std::string_view text, std::size_t* bad_at = nullptr)
{
    std::string b64(text);
    for(std::size_t i = 0; i < b64.size(); ++i)
    {
        char& c = b64[i];
        bool const plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if(c == '-')
            c = '+';
        else if(c == '_')
            c = '/';
        else if(!plain)
        {
            if(bad_at)
                *bad_at = i;
            return std::nullopt;
        }
    }
    if(b64.size() % 4 == 1)
    {
        if(bad_at)
            *bad_at = b64.size();
        return std::nullopt;
    }
    auto const pad = (4 - b64.size() % 4) % 4;
    b64.append(pad, '=');
    std::string out(b64.size() / 4 * 3, '\0');
    auto const n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                   reinterpret_cast<unsigned char const*>(b64.data()), static_cast<int>(b64.size()));
    if(n < 0)
    {
        if(bad_at)
            *bad_at = 0;
        return std::nullopt;
    }
    out.resize(static_cast<std::size_t>(n) - pad); // EVP_DecodeBlock counts the padding as zero bytes
    if(base64url_encode(out) != text) // bits past the last byte set: one text per value, no other spelling
    {
        if(bad_at)
            *bad_at = text.size() - 1;
        return std::nullopt;
    }
    return out;
}

} // namespace rtnotify::auth

#endif
