// Helpers shared by the fuzz targets.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_FUZZ_SUPPORT_HPP
#define RTNOTIFY_FUZZ_SUPPORT_HPP

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace rtnotify_fuzz {

/// Stops the run (a crash libFuzzer records) when a property does not hold.
inline void check(bool ok)
{
    if(!ok)
        std::abort();
}

/// As `check`, and says which property failed, with the text it was checking.
inline void check(bool ok, char const* property, std::string_view text = {})
{
    if(ok)
        return;
    std::fprintf(stderr, "property failed: %s\n%.*s\n", property, static_cast<int>(std::min<std::size_t>(text.size(), 2000)),
                 text.data());
    std::abort();
}

/// The fuzzer's bytes, read as a program's choices; reads past the end give 0.
struct input
{
    std::uint8_t const* p;
    std::size_t n;

    bool empty() const { return n == 0; }

    std::uint8_t byte()
    {
        if(n == 0)
            return 0;
        --n;
        return *p++;
    }

    /// The next `k` bytes (fewer at the end) as text.
    std::string_view bytes(std::size_t k)
    {
        k = std::min(k, n);
        std::string_view s(reinterpret_cast<char const*>(p), k);
        p += k;
        n -= k;
        return s;
    }

    /// One element of `a`, chosen by the next byte.
    template<class T, std::size_t N>
    T const& pick(T const (&a)[N])
    {
        return a[byte() % N];
    }
};

} // namespace rtnotify_fuzz

#endif
