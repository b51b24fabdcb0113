// A transparent string hash, so maps keyed by std::string are searched with a string_view without a copy.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_DETAIL_STRING_HASH_HPP
#define RTNOTIFY_DETAIL_STRING_HASH_HPP

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace rtnotify::detail {

/// Hashes any string type as a `std::string_view`; use with `std::equal_to<>`.
struct string_hash
{
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

/// A hash map keyed by `std::string` that finds with a `std::string_view` (or any string) without a copy.
template<class V>
using string_map = std::unordered_map<std::string, V, string_hash, std::equal_to<>>;

} // namespace rtnotify::detail

#endif
