// Random bytes and ids from the operating system's CSPRNG.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_DETAIL_RANDOM_HPP
#define RTNOTIFY_DETAIL_RANDOM_HPP

#include <cstddef>
#include <random>
#include <string>

#if defined(__linux__)
#include <sys/random.h>
#endif

namespace rtnotify::detail {

/// Fills `p[0..n)` from the operating system's CSPRNG.
inline void random_bytes(unsigned char* p, std::size_t n)
{
#if defined(__linux__)
    while(n != 0)
    {
        auto const got = ::getrandom(p, n, 0);
        if(got <= 0)
            break; // interrupted or unavailable: finish with random_device
        p += got;
        n -= static_cast<std::size_t>(got);
    }
#endif
    if(n != 0)
    {
        std::random_device rd;
        for(std::size_t i = 0; i < n; ++i)
            p[i] = static_cast<unsigned char>(rd());
    }
}

/** `length` characters of `[0-9A-Za-z]` from the OS CSPRNG (about 5.95 bits each).

    Bytes at or above 248 are rejected so each of the 62 symbols is equally
    likely (248 = 4 * 62).
*/
inline std::string random_id(std::size_t length)
{
    static constexpr char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    std::string id;
    id.reserve(length);
    unsigned char buf[48];
    while(id.size() < length)
    {
        random_bytes(buf, sizeof buf);
        for(unsigned char b : buf)
            if(b < 248 && id.size() < length)
                id.push_back(alphabet[b % 62]);
    }
    return id;
}

/// A random UUID (RFC 4122 version 4) in its 36-character text form, from the OS CSPRNG.
inline std::string random_uuid()
{
    unsigned char b[16];
    random_bytes(b, sizeof b);
    b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40); // version 4
    b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80); // variant 10
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(36);
    for(std::size_t i = 0; i < sizeof b; ++i)
    {
        if(i == 4 || i == 6 || i == 8 || i == 10)
            out.push_back('-');
        out.push_back(hex[b[i] >> 4]);
        out.push_back(hex[b[i] & 0x0f]);
    }
    return out;
}

} // namespace rtnotify::detail

#endif
