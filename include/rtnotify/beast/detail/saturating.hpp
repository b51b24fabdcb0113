// Sums and products of sizes that stop at SIZE_MAX instead of wrapping: memory bounds computed from settings.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BEAST_DETAIL_SATURATING_HPP
#define RTNOTIFY_BEAST_DETAIL_SATURATING_HPP

#include <cstddef>
#include <initializer_list>
#include <limits>

namespace rtnotify::beast::detail {

/// `a * b`, or SIZE_MAX when that does not fit.
constexpr std::size_t saturating_product(std::size_t a, std::size_t b) noexcept
{
    if(a != 0 && b > std::numeric_limits<std::size_t>::max() / a)
        return std::numeric_limits<std::size_t>::max();
    return a * b;
}

/// The sum of `terms`, or SIZE_MAX when it does not fit.
constexpr std::size_t saturating_sum(std::initializer_list<std::size_t> terms) noexcept
{
    std::size_t total = 0;
    for(auto const t : terms)
    {
        if(t > std::numeric_limits<std::size_t>::max() - total)
            return std::numeric_limits<std::size_t>::max();
        total += t;
    }
    return total;
}

} // namespace rtnotify::beast::detail

#endif
